// The real Admin GraphQL schema (2026-07), loaded once per process: it takes ~0.4 s.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

export const SCHEMA_API_VERSION = "2026-07";

const SCHEMA_FILE = new URL("./schema/admin-2026-07.schema.json.gz", import.meta.url);

let cached: GraphQLSchema | undefined;

export function adminSchema(): GraphQLSchema {
  if (!cached) {
    const parsed = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as {
      data?: IntrospectionQuery;
    } & Partial<IntrospectionQuery>;
    cached = buildClientSchema(parsed.data ?? (parsed as IntrospectionQuery));
  }
  return cached;
}
