// The order status page's survey block: its own code run through remote-ui as customer accounts
// run it, its fetch() answered by the real route (api.customer-account.survey) with the session
// token the block sends, and the route's rules (own order only, after the delay, once per survey).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { openFeedbackStore, type FeedbackStore } from "../../../test/helpers/feedback-test-setup";
import { renderAdminExtension } from "../../../test/helpers/render-admin-extension";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { mintSessionToken } from "../../../test/shopify-double/session-token";
import { APP_URL } from "../../../extensions/survey-account/src/app-url";
import { createJobQueues } from "../../jobs/job-queues.server";
import type * as SurveyRouteModule from "../../routes/api.customer-account.survey";

type Entry = Parameters<typeof renderAdminExtension>[0];
const TARGET = "customer-account.order-status.block.render";
const realFetch = globalThis.fetch;
const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
let fx: FeedbackStore;
let route: typeof SurveyRouteModule;
let block: Entry;

beforeAll(async () => {
  fx = await openFeedbackStore(db, jobs, "survey-account");
  route = await import("../../routes/api.customer-account.survey");
  block = (await import("../../../extensions/survey-account/src/SurveyBlock")).default as unknown as Entry;
  await fx.setSettings({
    surveys: { nps: true, csat: false, likert: true },
    likertStatements: ["Delivery was quick", "I would buy again"],
    askAfterDays: 7,
  });
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await fx.cleanUp();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

const tokenOf = (customer: { shopifyId: bigint }) =>
  mintSessionToken({
    shop: fx.shop.domain,
    apiKey: process.env.SHOPIFY_API_KEY!,
    apiSecret: process.env.SHOPIFY_API_SECRET!,
    userId: `gid://shopify/Customer/${customer.shopifyId}`,
  });

async function callRoute(request: Request) {
  try {
    return request.method === "GET"
      ? await route.loader({ request, params: {}, context: {} })
      : await route.action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function apiRequest(customer: { shopifyId: bigint }, order: bigint, body?: Record<string, unknown>) {
  const url = `${process.env.SHOPIFY_APP_URL}/api/customer-account/survey?order=gid://shopify/Order/${order}`;
  return new Request(body ? url.replace(/\?.*/, "") : url, {
    method: body ? "POST" : "GET",
    headers: {
      Origin: "https://extensions.shopifycdn.com",
      Authorization: `Bearer ${tokenOf(customer)}`,
      "Content-Type": "application/json",
    },
    body: body ? JSON.stringify({ order: `gid://shopify/Order/${order}`, ...body }) : undefined,
  });
}

async function api(customer: { shopifyId: bigint }, order: bigint, body?: Record<string, unknown>) {
  const response = await callRoute(apiRequest(customer, order, body));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("customer account survey API", () => {
  it("lists the open surveys of the customer's own delivered order, then fewer as they are answered", async () => {
    const order = await fx.addOrder(fx.ada, 10);
    expect(await api(fx.ada, order)).toEqual({
      status: 200,
      body: {
        orderName: expect.any(String),
        surveys: [
          { kind: "nps", statements: [] },
          { kind: "likert", statements: ["Delivery was quick", "I would buy again"] },
        ],
      },
    });
    expect(await api(fx.ada, order, { kind: "likert", answers: [5, 4] })).toMatchObject({ status: 200 });
    expect((await api(fx.ada, order)).body.surveys).toEqual([{ kind: "nps", statements: [] }]);
    expect(await api(fx.ada, order, { kind: "likert", answers: [1, 1] })).toEqual({
      status: 409,
      body: { error: "not_open" },
    });
    expect(await db.surveyResponse.findMany({ where: { shopId: fx.shop.id, orderShopifyId: order } })).toMatchObject([
      { kind: "likert", score: 5, answers: [5, 4], channel: "customer_account" },
    ]);
  });

  it("asks nothing before the delay, and treats another customer's order as unknown", async () => {
    const fresh = await fx.addOrder(fx.ada, 2);
    expect((await api(fx.ada, fresh)).body.surveys).toEqual([]);
    expect((await api(fx.ada, fresh, { kind: "nps", score: 9 })).status).toBe(409);
    const adas = await fx.addOrder(fx.ada, 10);
    expect(await api(fx.grace, adas)).toEqual({ status: 404, body: { error: "unknown_order" } });
    expect((await api(fx.grace, adas, { kind: "nps", score: 0 })).status).toBe(404);
    expect(
      await db.surveyResponse.count({ where: { shopId: fx.shop.id, orderShopifyId: { in: [fresh, adas] } } }),
    ).toBe(0);
  });

  it("asks a delivered order before the delay when the block says it arrived", async () => {
    const fresh = await fx.addOrder(fx.ada, 1);
    const delivered = new Request(`${apiRequest(fx.ada, fresh).url}&delivered=1`, apiRequest(fx.ada, fresh));
    const listed = await callRoute(delivered);
    expect(((await listed.json()) as { surveys: unknown[] }).surveys).toHaveLength(2);
    // Without the claim the delay still holds; with it the answer is taken
    expect((await api(fx.ada, fresh, { kind: "nps", score: 8 })).status).toBe(409);
    expect((await api(fx.ada, fresh, { kind: "nps", score: 8, delivered: true })).status).toBe(200);
    // Another customer's order stays unknown, arrived or not
    const adas = await fx.addOrder(fx.ada, 1);
    expect((await api(fx.grace, adas, { kind: "nps", score: 8, delivered: true })).status).toBe(404);
  });

  it("refuses an answer off the scale with the field's message", async () => {
    const order = await fx.addOrder(fx.grace, 10);
    expect(await api(fx.grace, order, { kind: "nps", score: 12 })).toEqual({
      status: 422,
      body: { error: "invalid_answer", errors: { score: "Choose a number from 0 to 10" } },
    });
  });
});

describe("order status survey block", () => {
  it("asks the first open survey, sends the answer with the session token, and thanks the shopper", async () => {
    // Given Grace's delivered order
    const order = await fx.addOrder(fx.grace, 10);
    const sent: { method: string; path: string; auth: string | null }[] = [];
    vi.stubGlobal("fetch", async (input: string, init: RequestInit = {}) => {
      const url = new URL(input);
      // The app's own calls to Shopify (the double) go out as usual.
      if (url.origin !== APP_URL) return realFetch(input, init);
      const headers = new Headers(init.headers);
      sent.push({ method: init.method ?? "GET", path: url.pathname, auth: headers.get("Authorization") });
      const request = new Request(`${process.env.SHOPIFY_APP_URL}${url.pathname}${url.search}`, {
        method: init.method ?? "GET",
        headers: { ...Object.fromEntries(headers), Origin: "https://extensions.shopifycdn.com" },
        body: init.body as string | undefined,
      });
      return callRoute(request);
    });
    const token = tokenOf(fx.grace);
    const orderApi = { current: { id: `gid://shopify/Order/${order}`, name: "#1" }, subscribe: () => () => {} };
    // When the block renders on the order status page
    const rendered = await renderAdminExtension(block, TARGET, {
      customerGid: `gid://shopify/Customer/${fx.grace.shopifyId}`,
      api: { extension: { target: TARGET }, sessionToken: { get: async () => token }, order: orderApi },
    });
    await rendered.waitFor(/How likely are you to recommend us/);
    expect(rendered.find("ToggleButton")).toHaveLength(11);
    expect(rendered.find("Button")[0]!.props.disabled).toBe(true);
    // And she picks 10, writes a comment and sends
    (rendered.find("ToggleButtonGroup")[0]!.props.onChange as (value: string) => void)("10");
    (rendered.find("TextField")[0]!.props.onChange as (value: string) => void)("Perfect pressing");
    await rendered.waitFor(/Perfect pressing|Send my answer/);
    await vi.waitFor(() => expect(rendered.find("Button")[0]!.props.disabled).toBe(false));
    (rendered.find("Button")[0]!.props.onPress as () => void)();
    // Then she is thanked, and the answer is stored from the customer account
    await rendered.waitFor(/Thank you for your feedback/);
    expect(sent.map(({ method, path }) => `${method} ${path}`)).toEqual([
      "GET /api/customer-account/survey",
      "POST /api/customer-account/survey",
    ]);
    expect(sent.every((call) => call.auth === `Bearer ${token}`)).toBe(true);
    expect(await db.surveyResponse.findMany({ where: { shopId: fx.shop.id, orderShopifyId: order } })).toMatchObject([
      { kind: "nps", score: 10, band: "promoter", comment: "Perfect pressing", channel: "customer_account" },
    ]);
  });

  it("asks as soon as the Customer Account API says the order was delivered, not while it is in transit", async () => {
    // Given two of Ada's orders placed yesterday (the shop asks 7 days after an order)
    const delivered = await fx.addOrder(fx.ada, 1);
    const inTransit = await fx.addOrder(fx.ada, 1);
    const shipment = (order: bigint) => (order === delivered ? "DELIVERED" : "IN_TRANSIT");
    const asked: string[] = [];
    vi.stubGlobal("fetch", async (input: string, init: RequestInit = {}) => {
      if (input.startsWith("shopify://customer-account/")) {
        // The block's own Customer Account API query about the order's fulfilments
        const { variables } = JSON.parse(String(init.body)) as { variables: { id: string } };
        const order = BigInt(variables.id.split("/").at(-1)!);
        const nodes = [
          { status: "SUCCESS", latestShipmentStatus: shipment(order), requiresShipping: true, isPickedUp: false },
        ];
        return Response.json({ data: { order: { fulfillments: { nodes } } } });
      }
      const url = new URL(input);
      if (url.origin !== APP_URL) return realFetch(input, init);
      asked.push(`${init.method ?? "GET"} ${url.search}`);
      return callRoute(
        new Request(`${process.env.SHOPIFY_APP_URL}${url.pathname}${url.search}`, {
          method: init.method ?? "GET",
          headers: { ...Object.fromEntries(new Headers(init.headers)), Origin: "https://extensions.shopifycdn.com" },
          body: init.body as string | undefined,
        }),
      );
    });
    const render = (order: bigint) =>
      renderAdminExtension(block, TARGET, {
        customerGid: `gid://shopify/Customer/${fx.ada.shopifyId}`,
        api: {
          extension: { target: TARGET },
          sessionToken: { get: async () => tokenOf(fx.ada) },
          order: { current: { id: `gid://shopify/Order/${order}`, name: "#3" }, subscribe: () => () => {} },
        },
      });
    // When the block renders on the delivered order, it asks at once, and the answer is taken
    const shown = await render(delivered);
    await shown.waitFor(/How likely are you to recommend us/);
    (shown.find("ToggleButtonGroup")[0]!.props.onChange as (value: string) => void)("6");
    await vi.waitFor(() => expect(shown.find("Button")[0]!.props.disabled).toBe(false));
    (shown.find("Button")[0]!.props.onPress as () => void)();
    await shown.waitFor(/Thank you for your feedback/);
    expect(
      await db.surveyResponse.findMany({ where: { shopId: fx.shop.id, orderShopifyId: delivered } }),
    ).toMatchObject([{ kind: "nps", score: 6, channel: "customer_account" }]);
    // And on the order still in transit it falls back to the delay: nothing yet
    const hidden = await render(inTransit);
    await vi.waitFor(() => expect(asked.filter((call) => call.includes(String(inTransit)))).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await hidden.waitFor(/^$/)).toBe("");
    expect(asked.find((call) => call.includes(String(inTransit)))).not.toContain("delivered=1");
  });

  it("renders nothing for an order it may not ask about", async () => {
    const order = await fx.addOrder(fx.ada, 1);
    let asked = 0;
    vi.stubGlobal("fetch", async (input: string, init: RequestInit = {}) => {
      const url = new URL(input);
      if (url.origin !== APP_URL) return realFetch(input, init);
      asked++;
      return callRoute(
        new Request(`${process.env.SHOPIFY_APP_URL}${url.pathname}${url.search}`, {
          headers: { ...Object.fromEntries(new Headers(init.headers)), Origin: "https://extensions.shopifycdn.com" },
        }),
      );
    });
    const rendered = await renderAdminExtension(block, TARGET, {
      customerGid: `gid://shopify/Customer/${fx.ada.shopifyId}`,
      api: {
        extension: { target: TARGET },
        sessionToken: { get: async () => tokenOf(fx.ada) },
        order: { current: { id: `gid://shopify/Order/${order}`, name: "#2" }, subscribe: () => () => {} },
      },
    });
    await vi.waitFor(() => expect(asked).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await rendered.waitFor(/^$/)).toBe("");
  });
});
