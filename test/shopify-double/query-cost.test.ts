import { parse } from "graphql";
import { describe, expect, it } from "vitest";

import { actualQueryCost, requestedQueryCost } from "./query-cost";
import { adminSchema } from "./schema";

const requested = (document: string, variables?: Record<string, unknown>) =>
  requestedQueryCost(adminSchema(), parse(document), undefined, variables);

describe("requested query cost", () => {
  it("charges objects 1 and scalars nothing", () => {
    expect(requested("{ shop { id name currencyCode } }")).toBe(1);
    expect(requested("{ shop { name } customersCount { count } }")).toBe(2);
  });

  it("charges connections 2 + page size × one node, through edges or nodes", () => {
    expect(requested("{ customers(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage } } }")).toBe(12);
    expect(requested("{ customers(first: 10) { nodes { id amountSpent { amount } } } }")).toBe(22);
    expect(requested("query($n: Int) { orders(last: $n) { nodes { id } } }", { n: 7 })).toBe(9);
  });

  it("multiplies nested connections", () => {
    expect(requested("{ orders(first: 10) { nodes { lineItems(first: 5) { nodes { id } } } } }")).toBe(
      2 + 10 * (1 + 2 + 5),
    );
  });

  it("follows fragments and takes the dearest alternative on interfaces", () => {
    const document = `
      query { node(id: "gid://shopify/Order/1") { id ...on Order { customer { id } lineItems(first: 3) { nodes { id } } } ...on Customer { id } } }
    `;
    expect(requested(document)).toBe(1 + 1 + 5);
    expect(requested("fragment F on Shop { name } { shop { ...F } }")).toBe(1);
  });

  it("charges each mutation field 10", () => {
    expect(
      requested(
        `mutation { a: customerDelete(input: { id: "x" }) { deletedCustomerId } b: customerDelete(input: { id: "y" }) { deletedCustomerId } }`,
      ),
    ).toBe(20);
  });
});

describe("actual query cost", () => {
  it("counts what came back", () => {
    const document = parse("{ customers(first: 10) { edges { node { id } } } shop { name } }");
    const data = { customers: { edges: [{ node: { id: "1" } }, { node: { id: "2" } }] }, shop: { name: "x" } };
    expect(actualQueryCost(adminSchema(), document, undefined, undefined, data)).toBe(2 + 2 + 1);
  });
});
