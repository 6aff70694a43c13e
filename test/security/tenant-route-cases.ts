// Every file in app/routes/ and how the tenant isolation suite attacks it. A new route without
// an entry here fails tenant-route-table.test.ts, so nobody adds a route without saying how it
// keeps to its shop.
//
// Each admin case is sent as shop A (a session token minted for A) and aims at shop B:
// - "not-found": B's id in the path/form must answer exactly what an id that exists nowhere
//   answers (a 404, or the same field error), so nothing tells B's records apart from none;
// - "own-only": the route works on A's own data whatever B-shaped input it is given.
// In both, nothing of B (marker, domain, Shopify ids) may appear in the body, and B's rows are
// compared before and after.
import { encodeCursor } from "../../app/crm/customers/customer-list";
import type { SeededTenant } from "../helpers/seed-tenant";
import type { RouteCall } from "./tenant-harness";

export interface AdminCase {
  name: string;
  call: RouteCall;
  expect: "not-found" | "own-only";
  /** For "not-found": the same request with ids that exist in no shop. */
  unknownTwin?: RouteCall;
  /** For "not-found": B's id and the unknown one, which a message may repeat back to the caller. */
  echo?: [string, string];
}

export type RouteEntry =
  | { auth: "admin"; cases: (a: SeededTenant, b: SeededTenant) => AdminCase[] }
  /** Covered by tenant-isolation-webhooks.integration.test.ts (header shop vs payload). */
  | { auth: "webhook"; topic: string }
  /** Covered by tenant-isolation-storefront.integration.test.ts. */
  | { auth: "app-proxy" | "customer-account" }
  | { auth: "none"; reason: string };

const UNKNOWN_SHOPIFY_ID = "9000000000000000001";
const UNKNOWN_ID = "2147483000";
const searchRule = (value: string) =>
  JSON.stringify({ combinator: "and", conditions: [{ field: "search", op: "contains", value }] });
const get = (url: string, params?: Record<string, string>): RouteCall => ({ method: "GET", url, params });
const post = (url: string, form: Record<string, string>, params?: Record<string, string>): RouteCall => ({
  method: "POST",
  url,
  form,
  params,
});
const bulk = (action: object, target: object) => ({
  payload: JSON.stringify({ requestId: crypto.randomUUID(), action, target }),
});

function notFound(name: string, call: (id: string) => RouteCall, bId: string, unknown = UNKNOWN_ID): AdminCase {
  return { name, expect: "not-found", call: call(bId), unknownTwin: call(unknown), echo: [bId, unknown] };
}
const ownOnly = (name: string, call: RouteCall): AdminCase => ({ name, expect: "own-only", call });

const webhook = (topic: string): RouteEntry => ({ auth: "webhook", topic });

export const ROUTE_ENTRIES: Record<string, RouteEntry> = {
  "_index.tsx": { auth: "none", reason: "redirects ?shop= to /app (which authenticates); reads no data" },
  "auth.$.tsx": {
    auth: "admin",
    cases: (_a, b) => [ownOnly("session-token bounce naming B", get(`/auth/session-token?shop=${b.domain}`))],
  },
  "app.tsx": { auth: "admin", cases: (_a, b) => [ownOnly("layout with ?shop=B", get(`/app?shop=${b.domain}`))] },
  "app._index.tsx": {
    auth: "admin",
    cases: (_a, b) => [ownOnly("dashboard with ?shop=B", get(`/app?shop=${b.domain}`))],
  },
  "app.analytics.status.tsx": {
    auth: "admin",
    cases: (_a, b) => [ownOnly("run status with ?shop=B", get(`/app/analytics/status?shop=${b.domain}`))],
  },
  "app.analytics.recalculate.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly(
        "recalculate with B's shop in the form",
        post("/app/analytics/recalculate", { intent: "recalculate", shop: b.domain, shopId: String(b.shopId) }),
      ),
    ],
  },
  "app.automations._index.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly("automations", get("/app/automations")),
      notFound(
        "switch B's automation on",
        (id) => post("/app/automations", { intent: "switch", ruleId: id, enabled: "true" }),
        String(b.automationRuleId),
      ),
    ],
  },
  "app.automations.$id.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      notFound("B's automation", (id) => get(`/app/automations/${id}`, { id }), String(b.automationRuleId)),
      ...(
        [
          { intent: "save", rule: "{}" },
          { intent: "dry-run", rule: "{}" },
          { intent: "switch", enabled: "true" },
          { intent: "delete" },
        ] as Record<string, string>[]
      ).map((form) =>
        notFound(
          `${form.intent} on B's automation`,
          (id) => post(`/app/automations/${id}`, form, { id }),
          String(b.automationRuleId),
        ),
      ),
    ],
  },
  "app.customers._index.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly("list", get("/app/customers")),
      ownOnly("search for B's customer", get(`/app/customers?q=${b.marker}`)),
      ownOnly("B's tier as filter", get(`/app/customers?tier=${b.tierId}`)),
      ownOnly("filter JSON searching B", get(`/app/customers?filter=${encodeURIComponent(searchRule(b.marker))}`)),
      ownOnly(
        "keyset cursor pointing at B's customer",
        get(
          `/app/customers?cursor=${encodeCursor({ sort: "netSpent:desc", direction: "after", key: 20_000n, id: b.customerId })}&sort=netSpent:desc`,
        ),
      ),
    ],
  },
  "app.customers.$id.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      notFound(
        "Customer 360 of B's customer",
        (id) => get(`/app/customers/${id}`, { id }),
        String(b.customerShopifyId),
        UNKNOWN_SHOPIFY_ID,
      ),
      notFound(
        "Customer 360 by B's internal id",
        (id) => get(`/app/customers/${id}`, { id }),
        String(b.customerId),
        UNKNOWN_SHOPIFY_ID,
      ),
      notFound(
        "note on B's customer",
        (id) => post(`/app/customers/${id}`, { intent: "note", body: "planted by A" }, { id }),
        String(b.customerShopifyId),
        UNKNOWN_SHOPIFY_ID,
      ),
      notFound(
        "points on B's customer",
        (id) =>
          post(
            `/app/customers/${id}`,
            { intent: "adjust", points: "1000", reason: "planted by A", requestId: crypto.randomUUID() },
            { id },
          ),
        String(b.customerShopifyId),
        UNKNOWN_SHOPIFY_ID,
      ),
    ],
  },
  "app.customers.bulk.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly(
        "tag B's customers by id",
        post(
          "/app/customers/bulk",
          bulk(
            { kind: "addTag", tag: "planted" },
            { customerIds: [String(b.customerId), String(b.customerShopifyId)] },
          ),
        ),
      ),
      ownOnly(
        "points to B's customers by id",
        post(
          "/app/customers/bulk",
          bulk(
            { kind: "adjustPoints", points: 1000, reason: "planted" },
            { customerIds: [String(b.customerId), String(b.customerShopifyId)] },
          ),
        ),
      ),
      ownOnly(
        "B's customers into a segment by id",
        post(
          "/app/customers/bulk",
          bulk({ kind: "addToSegment", segmentId: b.segmentId }, { customerIds: [String(b.customerId)] }),
        ),
      ),
      ownOnly(
        "tag everyone matching B's marker",
        post(
          "/app/customers/bulk",
          bulk({ kind: "addTag", tag: "planted" }, { filter: JSON.parse(searchRule(b.marker)) }),
        ),
      ),
      notFound(
        "A's customers into B's segment",
        (id) =>
          post(
            "/app/customers/bulk",
            bulk({ kind: "addToSegment", segmentId: Number(id) }, { filter: { combinator: "and", conditions: [] } }),
          ),
        String(b.segmentId),
      ),
    ],
  },
  "app.customers.export.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      notFound("export of B's segment", (id) => get(`/app/customers/export?segment=${id}`), String(b.segmentId)),
      ownOnly("export filtered on B's marker", get(`/app/customers/export?q=${b.marker}`)),
      ownOnly("export of everything", get("/app/customers/export")),
    ],
  },
  "app.data-health.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly("data health", get(`/app/data-health?shop=${b.domain}`)),
      ownOnly("retry failed deliveries", post("/app/data-health", { intent: "retry-failed", shop: b.domain })),
    ],
  },
  "app.feedback._index.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly("survey answers", get("/app/feedback")),
      ownOnly("search for B's comment", get(`/app/feedback?q=${b.marker}`)),
      ownOnly("page before B's answers", get("/app/feedback?before=9223372036854775807")),
      ownOnly(
        "settings with B's shop in the form",
        post("/app/feedback", { shop: b.domain, shopId: String(b.shopId) }),
      ),
    ],
  },
  "app.history.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly("re-import with B's shop in the form", post("/app/history", { intent: "reimport", shop: b.domain })),
    ],
  },
  "app.loyalty._index.tsx": { auth: "admin", cases: () => [ownOnly("program overview", get("/app/loyalty"))] },
  "app.loyalty.members.$customerId.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      notFound(
        "B's member ledger",
        (id) => get(`/app/loyalty/members/${id}`, { customerId: id }),
        String(b.customerShopifyId),
        UNKNOWN_SHOPIFY_ID,
      ),
      notFound(
        "adjust B's member",
        (id) =>
          post(
            `/app/loyalty/members/${id}`,
            { points: "1000", reason: "planted by A", requestId: crypto.randomUUID() },
            { customerId: id },
          ),
        String(b.customerShopifyId),
        UNKNOWN_SHOPIFY_ID,
      ),
    ],
  },
  "app.loyalty.rewards.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly("rewards page", get("/app/loyalty/rewards")),
      notFound(
        "archive B's reward",
        (id) => post("/app/loyalty/rewards", { intent: "archive-reward", rewardId: id }),
        String(b.rewardId),
      ),
      notFound(
        "update B's reward",
        (id) =>
          post("/app/loyalty/rewards", {
            intent: "update-reward",
            rewardId: id,
            title: "planted",
            kind: "fixed_amount",
            pointsCost: "1",
            amount: "1",
          }),
        String(b.rewardId),
      ),
      notFound(
        "a reward for B's tier",
        (id) =>
          post("/app/loyalty/rewards", {
            intent: "create-reward",
            title: "planted",
            kind: "fixed_amount",
            pointsCost: "1",
            amount: "1",
            tierId: id,
          }),
        String(b.tierId),
      ),
    ],
  },
  "app.loyalty.settings.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly("settings page", get("/app/loyalty/settings")),
      ownOnly(
        "save with B's shop in the form",
        post("/app/loyalty/settings", { shop: b.domain, shopId: String(b.shopId), enabled: "on" }),
      ),
    ],
  },
  "app.loyalty.tiers.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly("tiers page", get("/app/loyalty/tiers")),
      notFound(
        "archive B's tier",
        (id) => post("/app/loyalty/tiers", { intent: "archive-tier", tierId: id }),
        String(b.tierId),
      ),
      notFound(
        "update B's tier",
        (id) =>
          post("/app/loyalty/tiers", {
            intent: "update-tier",
            tierId: id,
            name: "planted",
            threshold: "1",
            earnMultiplier: "1",
            entryBonusPoints: "0",
          }),
        String(b.tierId),
      ),
    ],
  },
  "app.privacy.$id.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      notFound("B's data request download", (id) => get(`/app/privacy/${id}`, { id }), String(b.privacyRequestId)),
    ],
  },
  "app.segments._index.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly("segments", get("/app/segments")),
      ownOnly("page before B's segment", get(`/app/segments?before=${b.segmentId + 1}`)),
    ],
  },
  "app.segments.$id.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      notFound("B's segment", (id) => get(`/app/segments/${id}`, { id }), String(b.segmentId)),
      notFound(
        "B's segment history page",
        (id) => get(`/app/segments/${id}?before=99999`, { id }),
        String(b.segmentId),
      ),
      ...(["sync-on", "resync", "sync-off", "delete"] as const).map((intent) =>
        notFound(
          `${intent} on B's segment`,
          (id) => post(`/app/segments/${id}`, { intent }, { id }),
          String(b.segmentId),
        ),
      ),
    ],
  },
  "app.segments.$id_.edit.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      notFound("edit form of B's segment", (id) => get(`/app/segments/${id}/edit`, { id }), String(b.segmentId)),
      notFound(
        "save over B's segment",
        (id) =>
          post(`/app/segments/${id}/edit`, { name: "planted", rule: searchRule("x"), syncToShopify: "false" }, { id }),
        String(b.segmentId),
      ),
    ],
  },
  "app.segments.new.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly(
        "builder prefilled with B's marker",
        get(`/app/segments/new?filter=${encodeURIComponent(searchRule(b.marker))}`),
      ),
      ownOnly(
        "new segment with B's ids in the form",
        post("/app/segments/new", {
          name: `Mine ${b.shopId}`,
          rule: searchRule("nobody"),
          syncToShopify: "false",
          id: String(b.segmentId),
          shopId: String(b.shopId),
        }),
      ),
    ],
  },
  "app.segments.count.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly(
        "live count of a rule matching B",
        get(`/app/segments/count?rule=${encodeURIComponent(searchRule(b.marker))}`),
      ),
    ],
  },
  "app.settings._index.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly("settings", get("/app/settings")),
      ownOnly(
        "analytics settings with B's shop in the form",
        post("/app/settings", { intent: "analytics-settings", shop: b.domain, shopId: String(b.shopId) }),
      ),
    ],
  },
  "app.settings.audit-log.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      ownOnly("audit log", get("/app/settings/audit-log")),
      ownOnly("page before B's entry", get(`/app/settings/audit-log?before=${b.auditEntryId + 1n}`)),
      ownOnly("page after zero", get("/app/settings/audit-log?after=0")),
    ],
  },
  "app.settings.audit-log.export.tsx": {
    auth: "admin",
    cases: (_a, b) => [ownOnly("audit log CSV", get(`/app/settings/audit-log/export?shop=${b.domain}`))],
  },
  "api.admin-extensions.customer.$id.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      notFound(
        "insights block for B's customer",
        (id) => get(`/api/admin-extensions/customer/${id}`, { id }),
        String(b.customerShopifyId),
        UNKNOWN_SHOPIFY_ID,
      ),
    ],
  },
  "api.admin-extensions.adjust-points.tsx": {
    auth: "admin",
    cases: (_a, b) => [
      notFound(
        "adjust action on B's customer",
        (id) => ({
          method: "POST",
          url: "/api/admin-extensions/adjust-points",
          json: {
            customerId: `gid://shopify/Customer/${id}`,
            points: 1000,
            reason: "planted by A",
            requestId: crypto.randomUUID(),
          },
        }),
        String(b.customerShopifyId),
        UNKNOWN_SHOPIFY_ID,
      ),
    ],
  },
  "api.customer-account.loyalty.tsx": { auth: "customer-account" },
  "api.customer-account.survey.tsx": { auth: "customer-account" },
  "proxy.$.tsx": { auth: "app-proxy" },
  "webhooks.app.scopes_update.tsx": webhook("app/scopes_update"),
  "webhooks.app.uninstalled.tsx": webhook("app/uninstalled"),
  "webhooks.bulk_operations.finish.tsx": webhook("bulk_operations/finish"),
  "webhooks.customers.create.tsx": webhook("customers/create"),
  "webhooks.customers.data_request.tsx": webhook("customers/data_request"),
  "webhooks.customers.delete.tsx": webhook("customers/delete"),
  "webhooks.customers.redact.tsx": webhook("customers/redact"),
  "webhooks.customers.update.tsx": webhook("customers/update"),
  "webhooks.orders.cancelled.tsx": webhook("orders/cancelled"),
  "webhooks.orders.create.tsx": webhook("orders/create"),
  "webhooks.orders.paid.tsx": webhook("orders/paid"),
  "webhooks.orders.updated.tsx": webhook("orders/updated"),
  "webhooks.refunds.create.tsx": webhook("refunds/create"),
  "webhooks.shop.redact.tsx": webhook("shop/redact"),
};
