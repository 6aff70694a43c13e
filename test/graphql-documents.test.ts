// Every GraphQL document the app and the workers send to Shopify is valid against the
// real Admin schema (2026-07) and uses no deprecated field.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

import { NoDeprecatedCustomRule, parse, specifiedRules, validate } from "graphql";
import { describe, expect, it } from "vitest";

import { loadAdminSchema, SHARED_SCHEMA_PATH, VENDORED_SCHEMA_PATH } from "./helpers/admin-schema";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Documents are template literals tagged with a leading `#graphql` comment, as in Shopify's templates. */
function graphqlDocuments() {
  return ["app", "workers"].flatMap((folder) =>
    sourceFiles(path.join(root, folder)).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/`\s*#graphql([\s\S]*?)`/g)].map((match) => ({
        file: path.relative(root, file),
        source: match[1]!,
      })),
    ),
  );
}

describe("GraphQL documents", () => {
  const documents = graphqlDocuments();

  it("finds the documents the app sends", () => {
    expect(documents.map((doc) => doc.source).join("\n")).toContain("query KinshipShopProfile");
  });

  it.each(documents.map((doc) => [doc.file, doc.source] as const))(
    "%s is valid against the Admin schema",
    (_file, source) => {
      const schema = loadAdminSchema();
      const errors = validate(schema, parse(source), [...specifiedRules, NoDeprecatedCustomRule]);
      expect(errors.map((error) => error.message)).toEqual([]);
    },
  );

  it("rejects a document the real schema does not have (the check has teeth)", () => {
    const errors = validate(loadAdminSchema(), parse("{ shop { name notAField } }"));
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining("notAField")]);
    const deprecated = validate(loadAdminSchema(), parse("{ customers(first: 1) { nodes { email } } }"), [
      NoDeprecatedCustomRule,
    ]);
    expect(deprecated).toHaveLength(1);
  });

  it("the vendored schema is the shared one", () => {
    const vendored = gunzipSync(readFileSync(VENDORED_SCHEMA_PATH));
    const sha = createHash("sha256").update(vendored).digest("hex");
    // The sha256 of the uncompressed JSON, as shared/shopify/README.md records it.
    expect(sha).toBe("8d2cb01afdee1f5776d57a3dbfbf78b288aa6dc0f3632ac4d444e46ef544dde3");
    if (existsSync(SHARED_SCHEMA_PATH))
      expect(gunzipSync(readFileSync(SHARED_SCHEMA_PATH)).equals(vendored)).toBe(true);
  });
});
