// The real Admin GraphQL schema (2026-07). Tests read ../shared/shopify/ when it is
// beside the repo (CI, developers), else the vendored byte-identical copy.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED_SCHEMA_PATH = path.resolve(root, "../shared/shopify/admin-2026-07.schema.json.gz");
export const VENDORED_SCHEMA_PATH = path.join(root, "test/shopify-double/schema/admin-2026-07.schema.json.gz");

export function adminSchemaPath(): string {
  return existsSync(SHARED_SCHEMA_PATH) ? SHARED_SCHEMA_PATH : VENDORED_SCHEMA_PATH;
}

let cached: GraphQLSchema | undefined;
export function loadAdminSchema(): GraphQLSchema {
  if (!cached) {
    const parsed = JSON.parse(gunzipSync(readFileSync(adminSchemaPath())).toString("utf8")) as {
      data?: IntrospectionQuery;
    } & IntrospectionQuery;
    cached = buildClientSchema(parsed.data ?? parsed);
  }
  return cached;
}
