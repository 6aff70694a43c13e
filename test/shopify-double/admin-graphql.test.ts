import { GraphqlQueryError, type Session } from "@shopify/shopify-api";
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

async function query<T = Record<string, unknown>>(document: string, variables?: Record<string, unknown>) {
  const client = new api.clients.Graphql({ session });
  const response = await client.request<T>(document, { variables });
  return response;
}

async function raw(document: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${double.url}/shops/${FIXTURE_SHOP}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": session.accessToken! },
    body: JSON.stringify({ query: document, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-side JSON probing
}

describe("Admin GraphQL", () => {
  it("answers shop with the store's data and reports the cost", async () => {
    const response = await query(
      `query Shop { shop { id name email myshopifyDomain currencyCode ianaTimezone timezoneAbbreviation } }`,
    );
    expect(response.data).toEqual({
      shop: {
        id: expect.stringMatching(/^gid:\/\/shopify\/Shop\/\d+$/),
        name: "Fixture Records",
        email: "owner@fixture.example",
        myshopifyDomain: FIXTURE_SHOP,
        currencyCode: "USD",
        ianaTimezone: "America/New_York",
        timezoneAbbreviation: expect.stringMatching(/^E[SD]T$/),
      },
    });
    expect(response.extensions).toMatchObject({
      cost: { requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } },
    });
  });

  it("answers with the served API version header", async () => {
    const { headers } = await raw("{ shop { name } }");
    expect(headers.get("x-shopify-api-version")).toBe("2026-07");
  });

  it("maps customers to 2026-07 fields with exact money strings", async () => {
    const response = await query<{ customer: unknown }>(
      `query($id: ID!) {
      customer(id: $id) {
        id legacyResourceId firstName lastName displayName note state tags createdAt updatedAt numberOfOrders
        amountSpent { amount currencyCode }
        defaultEmailAddress { emailAddress marketingState }
        defaultPhoneNumber { phoneNumber marketingState }
        defaultAddress { address1 city province provinceCode country countryCodeV2 zip }
      }
    }`,
      { id: "gid://shopify/Customer/101" },
    );
    expect(response.data?.customer).toEqual({
      id: "gid://shopify/Customer/101",
      legacyResourceId: "101",
      firstName: "Ada",
      lastName: "Lovelace",
      displayName: "Ada Lovelace",
      note: "Prefers vinyl",
      state: "DISABLED",
      tags: ["vip", "newsletter"],
      createdAt: "2026-01-05T10:00:00Z",
      updatedAt: "2026-03-01T12:00:00Z",
      numberOfOrders: "2",
      // 3090 + 2999 - 1295 refunded
      amountSpent: { amount: "47.94", currencyCode: "USD" },
      defaultEmailAddress: { emailAddress: "ada@example.com", marketingState: "SUBSCRIBED" },
      defaultPhoneNumber: { phoneNumber: "+15555550101", marketingState: "NOT_SUBSCRIBED" },
      defaultAddress: {
        address1: "1 Analytical Way",
        city: "New York",
        province: "New York",
        provinceCode: "NY",
        country: "United States",
        countryCodeV2: "US",
        zip: "10001",
      },
    });
  });

  it("pages through customers with cursors", async () => {
    const page = `query($after: String) {
      customers(first: 2, after: $after) { edges { cursor node { legacyResourceId } } pageInfo { hasNextPage endCursor } }
    }`;
    type Page = {
      customers: {
        edges: { node: { legacyResourceId: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const first = await query<Page>(page);
    expect(first.data?.customers.edges.map((e) => e.node.legacyResourceId)).toEqual(["101", "102"]);
    expect(first.data?.customers.pageInfo.hasNextPage).toBe(true);
    const second = await query<Page>(page, { after: first.data?.customers.pageInfo.endCursor });
    expect(second.data?.customers.edges.map((e) => e.node.legacyResourceId)).toEqual(["103"]);
    expect(second.data?.customers.pageInfo.hasNextPage).toBe(false);
    expect(first.extensions).toMatchObject({ cost: { requestedQueryCost: 4, actualQueryCost: 4 } });
  });

  it("filters by updated_at with >= and >, and sorts by sortKey", async () => {
    const ids = async (q: string, extra = "") => {
      const response = await query<{ customers: { nodes: { legacyResourceId: string }[] } }>(
        `query($q: String) { customers(first: 10, query: $q${extra}) { nodes { legacyResourceId } } }`,
        { q },
      );
      return response.data?.customers.nodes.map((n) => n.legacyResourceId);
    };
    expect(await ids("updated_at:>='2026-03-01T12:00:00Z'")).toEqual(["101", "102"]);
    expect(await ids("updated_at:>2026-03-01T12:00:00Z")).toEqual(["102"]);
    expect(await ids("updated_at:>='2026-01-01T00:00:00Z'", ", sortKey: UPDATED_AT, reverse: true")).toEqual([
      "102",
      "101",
      "103",
    ]);
  });

  it("counts customers and orders, with query filters", async () => {
    const response = await query(`{
      customersCount { count precision }
      ordersCount(query: "updated_at:>='2026-02-01T00:00:00Z'") { count precision }
    }`);
    expect(response.data).toEqual({
      customersCount: { count: 3, precision: "EXACT" },
      ordersCount: { count: 2, precision: "EXACT" },
    });
  });

  it("returns null for unknown ids and a coercion error for malformed ones", async () => {
    expect((await query(`{ customer(id: "gid://shopify/Customer/999") { id } }`)).data).toEqual({ customer: null });
    const { body } = await raw(`{ customer(id: "not-a-gid") { id } }`);
    expect(body.errors[0].message).toBe("Invalid global id 'not-a-gid'");
  });

  it("lists the granted access scopes", async () => {
    const response = await query(`{ appInstallation { accessScopes { handle } } }`);
    expect(response.data).toEqual({
      appInstallation: {
        accessScopes: ["read_customers", "write_customers", "read_orders", "read_products"].map((handle) => ({
          handle,
        })),
      },
    });
  });

  it("rejects documents that are invalid against the real schema with validation errors", async () => {
    const { status, body } = await raw(`{ shop { name notAField } customer(id: 5) { nope } }`);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    const messages: string[] = body.errors.map((e: { message: string }) => e.message);
    expect(messages).toEqual([
      expect.stringMatching(/^Cannot query field "notAField" on type "Shop"\./),
      expect.stringMatching(/^Cannot query field "nope" on type "Customer"\./),
    ]);
    await expect(query(`{ shop { notAField } }`)).rejects.toBeInstanceOf(GraphqlQueryError);
  });

  it("answers schema fields it does not implement with a clear error, not fake data", async () => {
    const { body } = await raw(`{ order(id: "gid://shopify/Order/401") { name app { name } } }`);
    expect(body.data).toEqual({ order: { name: "#1001", app: null } });
    expect(body.errors[0]).toMatchObject({
      message: "Order.app is not implemented by the local Shopify double",
      path: ["order", "app"],
      extensions: { code: "NOT_IMPLEMENTED_BY_DOUBLE" },
    });
  });

  it("requires first or last on connections", async () => {
    const { body } = await raw(`{ customers { nodes { id } } }`);
    expect(body.errors[0].message).toBe("you must provide one of first or last");
  });

  it("reports ignored search terms in extensions.search", async () => {
    const { body } = await raw(`{ customers(first: 5, query: "favourite_colour:blue") { nodes { id } } }`);
    expect(body.data.customers.nodes).toHaveLength(3);
    expect(body.extensions.search).toEqual([
      {
        path: ["customers"],
        query: "favourite_colour:blue",
        warnings: [{ field: "favourite_colour", message: "Invalid search field for this query." }],
      },
    ]);
  });

  it("logs the requests it received", async () => {
    await query(`query Logged($id: ID!) { customer(id: $id) { id } }`, { id: "gid://shopify/Customer/102" });
    const last = double.graphqlCalls(FIXTURE_SHOP).at(-1);
    expect(last?.query).toContain("query Logged");
    expect(last?.variables).toEqual({ id: "gid://shopify/Customer/102" });
  });

  it("sees changes tests make to the live store", async () => {
    double.store(FIXTURE_SHOP).customers[0]!.firstName = "Augusta Ada";
    const response = await query(`{ customer(id: "gid://shopify/Customer/101") { firstName } }`);
    expect(response.data).toEqual({ customer: { firstName: "Augusta Ada" } });
  });
});
