// Response headers: the document frame policy built from the library's own shop check, and
// the base headers the app server puts on every kind of response.
import type { AddressInfo } from "node:net";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { securityHeadersMiddleware } from "./security-headers-express.server";
import { baseSecurityHeaders, documentFramePolicy } from "./security-headers";

describe("document frame policy", () => {
  async function libraryHeaders(query: string) {
    const { addDocumentResponseHeaders } = await import("../../shopify.server");
    const headers = new Headers();
    addDocumentResponseHeaders(new Request(`${process.env.SHOPIFY_APP_URL}/app${query}`), headers);
    return headers.get("Content-Security-Policy");
  }

  it("lets only the requesting shop's admin frame a document", async () => {
    // Given a document request from a shop's admin
    const policy = documentFramePolicy(await libraryHeaders("?shop=alpha-store.myshopify.com&embedded=1"));
    // Then that shop and Shopify's admin may frame it, nobody else
    expect(policy).toBe("frame-ancestors https://alpha-store.myshopify.com https://admin.shopify.com;");
    expect(documentFramePolicy(await libraryHeaders("?shop=beta-store.myshopify.com"))).toContain(
      "https://beta-store.myshopify.com",
    );
    expect(policy).not.toMatch(/spin\.dev|beta-store|\*/);
  });

  it("forbids framing when the shop is missing or not a shop domain", async () => {
    expect(documentFramePolicy(await libraryHeaders(""))).toBe("frame-ancestors 'none';");
    expect(documentFramePolicy(await libraryHeaders("?shop=evil.example.com"))).toBe("frame-ancestors 'none';");
    expect(documentFramePolicy(await libraryHeaders("?shop=a.myshopify.com%20https://evil.example.com"))).toBe(
      "frame-ancestors 'none';",
    );
  });

  it("adds the local double's origin offline, and keeps Shopify's staff admins only when asked", async () => {
    const library = await libraryHeaders("?shop=alpha-store.myshopify.com");
    expect(documentFramePolicy(library, { extraOrigins: ["http://127.0.0.1:3457"] })).toBe(
      "frame-ancestors https://alpha-store.myshopify.com https://admin.shopify.com http://127.0.0.1:3457;",
    );
    expect(documentFramePolicy(library, { keepShopifyStaffAdmins: true })).toContain("https://*.spin.dev");
  });
});

describe("base security headers on every response", () => {
  let baseUrl: string;
  let close: () => void;

  beforeAll(async () => {
    // The app server's middleware in front of the kinds of response it serves
    const app = express();
    app.use(securityHeadersMiddleware("https://kinship.example.com"));
    app.post("/webhooks/orders/create", (_req, res) => res.status(200).end());
    app.get("/proxy/loyalty", (_req, res) => res.json({ member: false }));
    app.get("/app/customers/export", (_req, res) => res.type("text/csv").send("a,b\r\n"));
    app.get("/app", (_req, res) => res.type("html").send("<!doctype html>"));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it("sets nosniff, the referrer policy and HSTS on documents, JSON, CSV and webhook answers", async () => {
    const responses = await Promise.all([
      fetch(`${baseUrl}/app`),
      fetch(`${baseUrl}/proxy/loyalty`),
      fetch(`${baseUrl}/app/customers/export`),
      fetch(`${baseUrl}/webhooks/orders/create`, { method: "POST" }),
    ]);
    for (const response of responses) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    }
  });

  it("sends HSTS only when the app is served over HTTPS", () => {
    expect(baseSecurityHeaders({ https: false })).not.toHaveProperty("Strict-Transport-Security");
    expect(baseSecurityHeaders({ https: true })).toHaveProperty("Strict-Transport-Security");
  });
});
