// shopify.app.toml and the app agree: every topic subscribed at one API version, each
// with its route (named in a "Handled by" comment), the scopes, the app proxy.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";

import { envSchema } from "../app/config/env.server";
import { COMPLIANCE_TOPICS, EVENT_TOPICS, webhookPath } from "../app/crm/ingest/webhook-topics";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const text = readFileSync(path.join(root, "shopify.app.toml"), "utf8");

interface AppToml {
  embedded: boolean;
  access_scopes: { scopes: string };
  webhooks: { api_version: string; subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
  app_proxy: { url: string; prefix: string; subpath: string };
}
const toml = parse(text) as unknown as AppToml;

describe("shopify.app.toml", () => {
  it("is an embedded app with the scopes the product needs", () => {
    expect(toml.embedded).toBe(true);
    const scopes = toml.access_scopes.scopes.split(",");
    expect(scopes.sort()).toEqual(
      [
        "read_customers",
        "write_customers",
        "read_orders",
        "write_orders",
        "read_all_orders",
        "write_discounts",
        "read_products",
      ].sort(),
    );
    expect(envSchema.shape.SCOPES.parse(undefined).split(",").sort()).toEqual(scopes);
  });

  it("subscribes every topic at 2026-07, each to its own route", () => {
    expect(toml.webhooks.api_version).toBe("2026-07");
    const subscribed = toml.webhooks.subscriptions.flatMap((sub) =>
      [...(sub.topics ?? []), ...(sub.compliance_topics ?? [])].map((topic) => [topic, sub.uri]),
    );
    expect(subscribed.sort()).toEqual([...EVENT_TOPICS, ...COMPLIANCE_TOPICS].map((t) => [t, webhookPath(t)]).sort());
    for (const topic of COMPLIANCE_TOPICS) {
      expect(toml.webhooks.subscriptions.find((sub) => sub.uri === webhookPath(topic))?.compliance_topics).toEqual([
        topic,
      ]);
    }
    for (const [topic] of subscribed) {
      const route = `app/routes/webhooks.${topic!.replace("/", ".")}.tsx`;
      expect(existsSync(path.join(root, route)), route).toBe(true);
      expect(text).toContain(`# Handled by: ${route}`);
    }
  });

  it("declares the app proxy at /apps/kinship", () => {
    expect(toml.app_proxy).toMatchObject({ prefix: "apps", subpath: "kinship" });
    expect(new URL(toml.app_proxy.url).pathname).toBe("/proxy");
    expect(existsSync(path.join(root, "app/routes/proxy.$.tsx"))).toBe(true);
  });
});
