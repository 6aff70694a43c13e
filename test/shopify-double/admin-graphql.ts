// POST /admin/api/{version}/graphql.json: token check, injected failures, cost-based
// throttle, then graphql-js execution against the real 2026-07 schema.
import type { IncomingMessage, ServerResponse } from "node:http";

import { type DocumentNode, execute, GraphQLError, parse, validate } from "graphql";

import { verifyAccessToken } from "./access-token";
import { adminPageUrl, type DoubleState, stateForShop } from "./double-state";
import { fieldResolver, typeResolver } from "./graphql-resolvers";
import type { ResolverContext } from "./graphql-types";
import { HttpError, readBody, sendJson } from "./http-utils";
import { actualQueryCost, findOperation, requestedQueryCost } from "./query-cost";
import { adminSchema, SCHEMA_API_VERSION } from "./schema";
import type { StoreShop } from "./store-data";
import { type InjectedFailure, MAX_SINGLE_QUERY_COST, type ThrottleStatus } from "./throttle";

export const INVALID_TOKEN_BODY = {
  errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
};
export const RATE_LIMITED_BODY = {
  errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
};

interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

async function readGraphqlRequest(req: IncomingMessage): Promise<GraphqlRequest> {
  const raw = (await readBody(req)).toString("utf8");
  if ((req.headers["content-type"] ?? "").includes("application/graphql")) {
    return { query: raw, variables: undefined, operationName: undefined };
  }
  let body: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    throw new HttpError(400, { errors: { query: "Required parameter missing or invalid" } });
  }
  if (typeof body?.query !== "string" || body.query.trim() === "") {
    throw new HttpError(400, { errors: { query: "Required parameter missing or invalid" } });
  }
  const variables =
    body.variables && typeof body.variables === "object" ? (body.variables as Record<string, unknown>) : undefined;
  return {
    query: body.query,
    variables,
    operationName: typeof body.operationName === "string" ? body.operationName : undefined,
  };
}

function sendInjected(res: ServerResponse, status: InjectedFailure, headers: Record<string, string>): void {
  if (status === 429) sendJson(res, 429, RATE_LIMITED_BODY, { ...headers, "Retry-After": "1.0" });
  else if (status === 401) sendJson(res, 401, INVALID_TOKEN_BODY, headers);
  else sendJson(res, 500, { errors: "Internal Server Error" }, headers);
}

function costExtension(requested: number, actual: number | null, throttleStatus: ThrottleStatus) {
  return { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus } };
}

export async function handleAdminGraphql(
  state: DoubleState,
  shop: StoreShop,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // Shopify answers any supported version with the version it served.
  const headers = { "X-Shopify-API-Version": SCHEMA_API_VERSION };
  const bucket = state.throttle.bucket(shop.domain);

  const delay = state.throttle.takeDelay(shop.domain);
  if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
  const failure = state.throttle.takeFailure(shop.domain);
  if (failure) {
    sendInjected(res, failure, headers);
    return;
  }
  const token = req.headers["x-shopify-access-token"];
  if (typeof token !== "string" || !verifyAccessToken(state.tokenKey, shop.domain, token)) {
    sendJson(res, 401, INVALID_TOKEN_BODY, headers);
    return;
  }

  const request = await readGraphqlRequest(req);
  const log = state.calls.get(shop.domain) ?? [];
  log.push({ query: request.query, variables: request.variables ?? {} });
  state.calls.set(shop.domain, log);

  const schema = adminSchema();
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    const errors = [error instanceof GraphQLError ? error.toJSON() : { message: String(error) }];
    sendJson(res, 200, { errors, extensions: costExtension(0, 0, bucket.status()) }, headers);
    return;
  }
  const requested = requestedQueryCost(schema, document, request.operationName, request.variables);
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) {
    const errors = validationErrors.map((e) => e.toJSON());
    sendJson(res, 200, { errors, extensions: costExtension(requested, 0, bucket.status()) }, headers);
    return;
  }

  if (requested > MAX_SINGLE_QUERY_COST) {
    const message =
      `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\n` +
      "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n" +
      "cost of a query is calculated.\n\n" +
      "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
      "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n";
    const errors = [
      { message, extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_SINGLE_QUERY_COST } },
    ];
    sendJson(res, 200, { errors, extensions: costExtension(requested, null, bucket.status()) }, headers);
    return;
  }
  if (!bucket.tryTake(requested)) {
    const errors = [
      {
        message: "Throttled",
        extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
      },
    ];
    sendJson(res, 200, { errors, extensions: costExtension(requested, null, bucket.status()) }, headers);
    return;
  }

  const context: ResolverContext = {
    store: shop,
    grantedScopes: state.config.scopes,
    apiKey: state.config.apiKey,
    appLaunchUrl: adminPageUrl(state.baseUrl, state.config.apiKey, shop.domain),
    searchReports: [],
    shopState: stateForShop(state, shop.domain),
  };
  const operation = findOperation(document, request.operationName);
  const result = await execute({
    schema,
    document,
    rootValue: operation?.operation === "mutation" ? state.resolvers.mutation : state.resolvers.query,
    contextValue: context,
    variableValues: request.variables,
    operationName: request.operationName,
    fieldResolver,
    typeResolver,
  });
  const actual = Math.min(
    requested,
    actualQueryCost(
      schema,
      document,
      request.operationName,
      request.variables,
      result.data as Record<string, unknown> | null,
    ),
  );
  bucket.give(requested - actual);

  const extensions: Record<string, unknown> = costExtension(requested, actual, bucket.status());
  if (context.searchReports.length > 0) extensions.search = context.searchReports;
  const body: Record<string, unknown> = {};
  if (result.errors) body.errors = result.errors.map((e) => e.toJSON());
  if (result.data !== undefined) body.data = result.data;
  body.extensions = extensions;
  sendJson(res, 200, body, headers);
}
