// Two installed shops, A and B, on the Shopify double, each seeded with one of everything
// (test/helpers/seed-tenant.ts), and a way to call any app route as shop A: its loader or
// action with a session token minted for A, the outcome reduced to a status and a body text.
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { PrismaClient } from "../../app/db.server";
import { seedTenant, type SeededTenant } from "../helpers/seed-tenant";
import { smallTestStore } from "../helpers/small-test-store";
import { startTestDouble } from "../helpers/start-test-double";
import type { ShopifyDouble } from "../shopify-double/index";

export const ROUTES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../app/routes");

export interface TenantPair {
  double: ShopifyDouble;
  a: SeededTenant;
  b: SeededTenant;
}

type RouteFn = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
interface RouteModule {
  loader?: RouteFn;
  action?: RouteFn;
}

export interface RouteOutcome {
  status: number;
  body: string;
}

const bigintSafe = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);

/** Starts the double with two stores, installs both through the real token exchange, seeds them. */
export async function openTenantPair(db: PrismaClient): Promise<TenantPair> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const stores = [
    smallTestStore(`tenant-a-${suffix}.myshopify.com`),
    smallTestStore(`tenant-b-${suffix}.myshopify.com`),
  ];
  const double = await startTestDouble(stores);
  const seeded: SeededTenant[] = [];
  for (const [index, store] of stores.entries()) {
    // Opening the app once installs the shop (afterAuth records it), as a merchant would.
    const installed = await callRoute(double, store.domain, "app.tsx", { method: "GET", url: "/app" });
    if (installed.status !== 200) throw new Error(`install of ${store.domain} answered ${installed.status}`);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: store.domain } });
    seeded.push(await seedTenant(db, index === 0 ? "A" : "B", shop));
  }
  return { double, a: seeded[0]!, b: seeded[1]! };
}

export async function closeTenantPair(db: PrismaClient, pair: TenantPair | undefined) {
  if (!pair) return;
  const domains = [pair.a.domain, pair.b.domain];
  await db.session.deleteMany({ where: { shop: { in: domains } } });
  await db.webhookDelivery.deleteMany({ where: { shopDomain: { in: domains } } });
  await db.privacyRequest.deleteMany({ where: { shopDomain: { in: domains } } });
  await db.shop.deleteMany({ where: { domain: { in: domains } } });
  await pair.double.close();
}

export interface RouteCall {
  method: "GET" | "POST" | "OPTIONS";
  /** Path and query, e.g. "/app/segments/12?before=3". */
  url: string;
  params?: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
  headers?: Record<string, string>;
}

async function loadRoute(file: string): Promise<RouteModule> {
  return (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule;
}

/** Builds the request as the embedded admin (or an admin extension) sends it for `shopDomain`. */
export function adminRequest(double: ShopifyDouble, shopDomain: string, call: RouteCall): Request {
  const headers = new Headers({
    Authorization: `Bearer ${double.mintSessionToken(shopDomain)}`,
    "User-Agent": "Mozilla/5.0 Chrome/120",
    ...call.headers,
  });
  let body: BodyInit | undefined;
  if (call.form) body = new URLSearchParams(call.form);
  if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    headers.set("Content-Type", "application/json");
  }
  return new Request(`${process.env.SHOPIFY_APP_URL}${call.url}`, { method: call.method, headers, body });
}

/** Calls the route's loader (GET/OPTIONS) or action (POST) with `request` and reduces the outcome. */
export async function runRoute(file: string, request: Request, params: Record<string, string> = {}) {
  const route = await loadRoute(file);
  const handler = request.method === "POST" ? route.action : route.loader;
  if (!handler) return { status: 405, body: "" };
  try {
    return await reduce(await handler({ request, params, context: {} }));
  } catch (thrown) {
    if (thrown instanceof Response) return reduce(thrown);
    // An unexpected error is a 500 to the merchant; its message is what could leak.
    return { status: 500, body: thrown instanceof Error ? `${thrown.message}\n${thrown.stack}` : String(thrown) };
  }
}

export function callRoute(double: ShopifyDouble, shopDomain: string, file: string, call: RouteCall) {
  return runRoute(file, adminRequest(double, shopDomain, call), call.params);
}

async function reduce(value: unknown): Promise<RouteOutcome> {
  if (value instanceof Response) {
    const location = value.headers.get("Location");
    return { status: value.status, body: `${location ?? ""}\n${await value.text()}` };
  }
  if (value && typeof value === "object") {
    // Deferred values (Customer 360's addresses) are part of what the page receives.
    const settled = Object.fromEntries(
      await Promise.all(Object.entries(value).map(async ([key, v]) => [key, v instanceof Promise ? await v : v])),
    );
    return { status: 200, body: JSON.stringify(settled, bigintSafe) };
  }
  return { status: 200, body: JSON.stringify(value ?? null, bigintSafe) };
}

/**
 * Everything of `tenant` that must never appear in another shop's responses: its records' text
 * (not the bare marker, which the attacks themselves type into searches that A's own audit log
 * rightly records), its domain and its Shopify ids.
 */
export function fingerprints(tenant: SeededTenant): string[] {
  const m = tenant.marker;
  return [
    `First${m}`,
    `Last${m}`,
    `${m}@example.com`,
    `Record ${m}`,
    `REF${m}`.toUpperCase(),
    `Note ${m}`,
    `Segment ${m}`,
    `seg-${m}`,
    `Tier ${m}`,
    `Reward ${m}`,
    `Staff ${m}`,
    `Seed ${m}`,
    `Survey ${m}`,
    `Automation ${m}`,
    tenant.domain,
    tenant.customerShopifyId.toString(),
    tenant.orderShopifyId.toString(),
  ];
}
