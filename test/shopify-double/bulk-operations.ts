// Bulk Operations as the 2026-07 Admin API has them: bulkOperationRunQuery (one running
// query operation per shop), bulkOperation(id:) / node(id:) / currentBulkOperation, a JSONL
// result streamed from `url`, and a signed bulk_operations/finish webhook on completion.
import type { IncomingMessage, ServerResponse } from "node:http";

import { Kind, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from "graphql";

import { checkBulkQuery, connectionNodeSelection, fieldsOf } from "./bulk-query-rules";
import { linesOfRoot, type WriterEnv } from "./bulk-jsonl-writer";
import { adminPageUrl, type DoubleState, stateForShop } from "./double-state";
import { customerNode } from "./graphql-customer-nodes";
import { orderNode } from "./graphql-order-nodes";
import type { FieldArgs, FieldFn, GqlObject, ResolverContext, RootResolvers } from "./graphql-types";
import { stringArg } from "./graphql-types";
import { HttpError } from "./http-utils";
import { gid, parseGid } from "./ids";
import { adminSchema } from "./schema";
import type { StoreShop } from "./store-data";
import { matchingCustomers, matchingOrders } from "./store-search";
import { syntheticCustomerNode, syntheticOrderNode, syntheticStoreFor } from "./synthetic-store";
import { graphqlDateTime } from "./time";
import { sendWebhook } from "./webhook-sender";

export interface BulkOperationSettings {
  /** How long an operation runs before it completes (ms). Default 20. */
  runMs: number;
  /** Send bulk_operations/finish to the app on completion. Default true. */
  sendFinishWebhook: boolean;
}

interface BulkOperationRecord {
  id: string;
  shop: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED";
  query: string;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  errorCode: string | null;
}

const settingsByShop = new Map<string, BulkOperationSettings>();
let nextOperationId = 1;

/** Test and benchmark control: how the shop's bulk operations behave. */
export function configureBulkOperations(shopDomain: string, settings: Partial<BulkOperationSettings>): void {
  settingsByShop.set(shopDomain, { ...settingsFor(shopDomain), ...settings });
}

function settingsFor(shopDomain: string): BulkOperationSettings {
  return settingsByShop.get(shopDomain) ?? { runMs: 20, sendFinishWebhook: true };
}

function operationsOf(state: DoubleState, shop: string): BulkOperationRecord[] {
  const shopState = stateForShop(state, shop);
  let operations = shopState.get("bulkOperations") as BulkOperationRecord[] | undefined;
  if (!operations) {
    operations = [];
    shopState.set("bulkOperations", operations);
  }
  return operations;
}

export function bulkResultUrl(state: DoubleState, op: BulkOperationRecord): string {
  return `${state.baseUrl}/_double/bulk-operations/${op.shop}/${parseGid(op.id)!.id}.jsonl`;
}

function operationNode(state: DoubleState, op: BulkOperationRecord): GqlObject {
  const done = op.status === "COMPLETED";
  return {
    __typename: "BulkOperation",
    id: op.id,
    status: op.status,
    errorCode: op.errorCode,
    type: "QUERY",
    query: op.query,
    createdAt: op.createdAt,
    completedAt: op.completedAt,
    // UnsignedInt64 serialises as a string.
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: done && op.fileSize !== null ? String(op.fileSize) : null,
    url: done && op.objectCount > 0 ? bulkResultUrl(state, op) : null,
    partialDataUrl: null,
  };
}

function contextFor(state: DoubleState, shop: StoreShop): ResolverContext {
  return {
    store: shop,
    grantedScopes: state.config.scopes,
    apiKey: state.config.apiKey,
    appLaunchUrl: adminPageUrl(state.baseUrl, state.config.apiKey, shop.domain),
    searchReports: [],
    shopState: stateForShop(state, shop.domain),
  };
}

interface PreparedQuery {
  rootField: FieldNode;
  nodeSet: SelectionSetNode;
  env: WriterEnv;
}

function prepare(state: DoubleState, shop: StoreShop, document: DocumentNode): PreparedQuery {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const roots = fieldsOf(operation.selectionSet, document);
  const rootField = roots[0];
  if (roots.length !== 1 || !rootField || !["customers", "orders"].includes(rootField.name.value)) {
    throw new Error("The double's bulk queries start from one root connection: customers or orders");
  }
  const nodeSet = connectionNodeSelection(rootField, document);
  if (!nodeSet) throw new Error("The root connection selects no nodes");
  return { rootField, nodeSet, env: { schema: adminSchema(), document, ctx: contextFor(state, shop) } };
}

/** Root objects of the query, one at a time, sorted by id as Shopify's bulk export is. */
function* rootObjects(shop: StoreShop, prepared: PreparedQuery): Generator<GqlObject> {
  const name = prepared.rootField.name.value;
  const synthetic = syntheticStoreFor(shop.domain);
  if (synthetic) {
    if (name === "customers")
      for (let i = 0; i < synthetic.customerCount; i++) yield syntheticCustomerNode(synthetic, i);
    else for (let i = 0; i < synthetic.orderCount; i++) yield syntheticOrderNode(synthetic, i);
    return;
  }
  const args: FieldArgs = {};
  for (const arg of prepared.rootField.arguments ?? []) {
    if (arg.value.kind === Kind.STRING) args[arg.name.value] = arg.value.value;
  }
  const info = { path: { prev: undefined, key: name, typename: undefined } } as never;
  const byId = <T extends { id: number }>(items: T[]) => items.sort((a, b) => a.id - b.id);
  if (name === "customers") {
    for (const customer of byId(matchingCustomers(args, prepared.env.ctx, info))) yield customerNode(shop, customer);
    return;
  }
  // Orders resolve their customer against a one-customer view: the store's lookups are linear.
  const customers = new Map(shop.customers.map((customer) => [customer.id, customer]));
  for (const order of byId(matchingOrders(shop.orders, args, prepared.env.ctx, info))) {
    const customer = order.customerId === null ? undefined : customers.get(order.customerId);
    yield orderNode({ ...shop, customers: customer ? [customer] : [] }, order);
  }
}

function* resultLines(shop: StoreShop, prepared: PreparedQuery): Generator<string> {
  for (const root of rootObjects(shop, prepared)) yield* linesOfRoot(root, prepared.nodeSet, prepared.env);
}

async function countResult(state: DoubleState, shop: StoreShop, op: BulkOperationRecord) {
  const prepared = prepare(state, shop, checkOk(op.query));
  const synthetic = syntheticStoreFor(shop.domain);
  if (synthetic) {
    // Counted arithmetically: generating a million orders twice would only slow the benchmark.
    const customers = prepared.rootField.name.value === "customers";
    op.rootObjectCount = customers ? synthetic.customerCount : synthetic.orderCount;
    op.objectCount =
      op.rootObjectCount + (!customers && op.query.includes("lineItems") ? synthetic.lineItemCount() : 0);
    op.fileSize = null;
    return;
  }
  let objects = 0;
  let roots = 0;
  let bytes = 0;
  for (const line of resultLines(shop, prepared)) {
    objects++;
    if (!line.includes('"__parentId"')) roots++;
    bytes += Buffer.byteLength(line) + 1;
    if (objects % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  op.objectCount = objects;
  op.rootObjectCount = roots;
  op.fileSize = bytes;
}

function checkOk(query: string): DocumentNode {
  const check = checkBulkQuery(adminSchema(), query);
  if (!check.ok) throw new Error(check.message);
  return check.document;
}

async function runOperation(state: DoubleState, op: BulkOperationRecord) {
  const shop = state.shops.get(op.shop)!;
  op.status = "RUNNING";
  try {
    await countResult(state, shop, op);
    op.status = "COMPLETED";
  } catch (error) {
    console.error("[shopify-double] bulk operation failed", error);
    op.status = "FAILED";
    op.errorCode = "INTERNAL_SERVER_ERROR";
  }
  op.completedAt = graphqlDateTime(new Date().toISOString());
  if (!settingsFor(op.shop).sendFinishWebhook) return;
  const payload = {
    admin_graphql_api_id: op.id,
    completed_at: op.completedAt,
    created_at: op.createdAt,
    error_code: op.errorCode?.toLowerCase() ?? null,
    status: op.status.toLowerCase(),
    type: "query",
  };
  await sendWebhook(state, { shop: op.shop, topic: "bulk_operations/finish", payload }).catch((error: unknown) => {
    // Shopify retries failed deliveries; here the app simply polls (as it must anyway).
    console.warn(`[shopify-double] bulk_operations/finish not delivered: ${(error as Error).message}`);
  });
}

export function bulkOperationResolvers(state: DoubleState, core: RootResolvers): Partial<RootResolvers> {
  const coreNode = core.query.node;
  const byId = (ctx: ResolverContext, id: string | null) =>
    operationsOf(state, ctx.store.domain).find((op) => op.id === id) ?? null;
  const node: FieldFn = (args, ctx, info) => {
    const id = stringArg(args, "id");
    if (id && parseGid(id)?.type === "BulkOperation") {
      const op = byId(ctx, id);
      return op ? operationNode(state, op) : null;
    }
    return coreNode ? coreNode(args, ctx, info) : null;
  };
  return {
    query: {
      node,
      bulkOperation: (args, ctx) => {
        const op = byId(ctx, stringArg(args, "id"));
        return op ? operationNode(state, op) : null;
      },
      currentBulkOperation: (args, ctx) => {
        if ((stringArg(args, "type") ?? "QUERY") !== "QUERY") return null;
        const operations = operationsOf(state, ctx.store.domain);
        const latest = operations[operations.length - 1];
        return latest ? operationNode(state, latest) : null;
      },
    },
    mutation: {
      bulkOperationRunQuery: (args, ctx) => {
        const payload = (bulkOperation: GqlObject | null, userErrors: GqlObject[]) => ({
          __typename: "BulkOperationRunQueryPayload",
          bulkOperation,
          userErrors,
        });
        const userError = (message: string, code: string, field: string[] | null) => ({
          __typename: "BulkOperationUserError",
          field,
          message,
          code,
        });
        const operations = operationsOf(state, ctx.store.domain);
        const running = operations.find((op) => op.status === "CREATED" || op.status === "RUNNING");
        if (running) {
          return payload(null, [
            userError(
              `A bulk query operation for this app and shop is already in progress: ${running.id}.`,
              "OPERATION_IN_PROGRESS",
              null,
            ),
          ]);
        }
        const query = stringArg(args, "query") ?? "";
        const check = checkBulkQuery(adminSchema(), query);
        if (!check.ok) return payload(null, [userError(check.message, "INVALID", ["query"])]);
        try {
          prepare(state, ctx.store, check.document);
        } catch (error) {
          return payload(null, [userError((error as Error).message, "INVALID", ["query"])]);
        }
        const op: BulkOperationRecord = {
          id: gid("BulkOperation", 1_000_000 + nextOperationId++),
          shop: ctx.store.domain,
          status: "CREATED",
          query,
          createdAt: graphqlDateTime(new Date().toISOString()),
          completedAt: null,
          objectCount: 0,
          rootObjectCount: 0,
          fileSize: null,
          errorCode: null,
        };
        operations.push(op);
        setTimeout(() => void runOperation(state, op), settingsFor(op.shop).runMs);
        return payload(operationNode(state, op), []);
      },
    },
  };
}

/** Resolves when the response can take more (or the client went away). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** GET /_double/bulk-operations/{shop}/{id}.jsonl: the result, streamed with backpressure. */
export async function handleBulkResultDownload(
  state: DoubleState,
  shopDomain: string,
  numericId: string,
  _req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const shop = state.shops.get(shopDomain);
  const op = shop ? operationsOf(state, shopDomain).find((o) => o.id === gid("BulkOperation", numericId)) : undefined;
  if (!shop || !op || op.status !== "COMPLETED") throw new HttpError(404, { errors: "Not Found" });
  const prepared = prepare(state, shop, checkOk(op.query));
  res.writeHead(200, { "Content-Type": "application/jsonl" });
  let chunk: string[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const text = chunk.join("\n") + "\n";
    chunk = [];
    if (!res.write(text)) await drained(res);
  };
  for (const line of resultLines(shop, prepared)) {
    chunk.push(line);
    if (chunk.length >= 500) await flush();
    if (res.destroyed) return;
  }
  await flush();
  res.end();
}
