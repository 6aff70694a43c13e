import {
  GraphqlQueryError,
  HttpInternalError,
  HttpResponseError,
  HttpThrottlingError,
  Session,
} from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { FIXTURE_SHOP } from "./fixtures";
import { type Api, offlineSession, startHarness } from "./library-harness";
import type { ShopifyDouble } from "./types";

let double: ShopifyDouble;
let api: Api;
let session: Session;

beforeAll(async () => {
  ({ double, api } = await startHarness());
  session = await offlineSession(api, double, FIXTURE_SHOP);
});
afterAll(async () => {
  await double.close();
});

const client = () => new api.clients.Graphql({ session });
const CUSTOMERS_50 = "{ customers(first: 50) { nodes { id } } }"; // 2 + 50 × 1

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the request to fail");
    },
    (error: unknown) => error,
  );
}

describe("cost-based throttle", () => {
  it("charges the requested cost, refunds the unused part and refills over time", async () => {
    const started = Date.now();
    double.throttle.set(FIXTURE_SHOP, 1000);
    const response = await client().request(CUSTOMERS_50);
    const refilled = ((Date.now() - started) / 1000) * 100;
    const cost = (
      response.extensions as {
        cost: { requestedQueryCost: number; actualQueryCost: number; throttleStatus: { currentlyAvailable: number } };
      }
    ).cost;
    expect(cost.requestedQueryCost).toBe(52);
    expect(cost.actualQueryCost).toBe(5); // three customers came back
    // 1000 - 52 + (52 - 5), plus what leaked back in while the request ran
    expect(cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(995);
    expect(cost.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(995 + Math.ceil(refilled));
  });

  it("answers THROTTLED when the bucket cannot pay the requested cost", async () => {
    double.throttle.set(FIXTURE_SHOP, 0);
    const error = await failure(client().request(CUSTOMERS_50));
    expect(error).toBeInstanceOf(GraphqlQueryError);
    const body = (error as GraphqlQueryError).body as { errors: { graphQLErrors: unknown[] }; extensions: unknown };
    expect(body.errors.graphQLErrors).toEqual([
      {
        message: "Throttled",
        extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
      },
    ]);
    expect(body.extensions).toMatchObject({
      cost: {
        requestedQueryCost: 52,
        actualQueryCost: null,
        throttleStatus: { maximumAvailable: 2000, restoreRate: 100 },
      },
    });
    double.throttle.set(FIXTURE_SHOP, 2000);
  });

  it("rejects a single query above 1000 points with MAX_COST_EXCEEDED", async () => {
    const error = await failure(
      client().request("{ orders(first: 250) { nodes { lineItems(first: 10) { nodes { id } } } } }"),
    );
    expect(error).toBeInstanceOf(GraphqlQueryError);
    const body = (error as GraphqlQueryError).body as { errors: { graphQLErrors: { extensions: unknown }[] } };
    expect(body.errors.graphQLErrors[0]?.extensions).toEqual({
      code: "MAX_COST_EXCEEDED",
      cost: 250 * 13 + 2,
      maxCost: 1000,
    });
  });
});

describe("failures", () => {
  it("answers a wrong access token with 401, which the library throws as HttpResponseError", async () => {
    const forged = new Session({
      id: "x",
      shop: FIXTURE_SHOP,
      state: "",
      isOnline: false,
      accessToken: "shpat_00000000000000000000000000000000",
    });
    const error = await failure(new api.clients.Graphql({ session: forged }).request("{ shop { name } }"));
    expect(error).toBeInstanceOf(HttpResponseError);
    expect((error as HttpResponseError).response.code).toBe(401);
    expect((error as HttpResponseError).response.body).toMatchObject({
      errors: expect.objectContaining({ networkStatusCode: 401 }),
    });
  });

  it("answers 401 with Shopify's body for a missing token", async () => {
    const response = await fetch(`${double.url}/shops/${FIXTURE_SHOP}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
  });

  it("injects 429 with Retry-After for the next N calls, then recovers", async () => {
    double.throttle.failNext(FIXTURE_SHOP, 429, 2);
    for (let i = 0; i < 2; i++) {
      const error = await failure(client().request("{ shop { name } }"));
      expect(error).toBeInstanceOf(HttpThrottlingError);
      expect((error as HttpThrottlingError).response.code).toBe(429);
      expect((error as HttpThrottlingError).response.retryAfter).toBe(1);
    }
    const raw = await (async () => {
      double.throttle.failNext(FIXTURE_SHOP, 429);
      return fetch(`${double.url}/shops/${FIXTURE_SHOP}/admin/api/2026-07/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": session.accessToken! },
        body: JSON.stringify({ query: "{ shop { name } }" }),
      });
    })();
    expect(raw.headers.get("retry-after")).toBe("1.0");
    expect(await raw.json()).toEqual({
      errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
    });
    await expect(client().request("{ shop { name } }")).resolves.toMatchObject({
      data: { shop: { name: "Fixture Records" } },
    });
  });

  it("injects 500 and 401", async () => {
    double.throttle.failNext(FIXTURE_SHOP, 500);
    expect(await failure(client().request("{ shop { name } }"))).toBeInstanceOf(HttpInternalError);
    double.throttle.failNext(FIXTURE_SHOP, 401);
    const error = await failure(client().request("{ shop { name } }"));
    expect((error as HttpResponseError).response.code).toBe(401);
  });
});
