// npm run migration:create -- <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the
// schema the previous migration was made from (kept beside it as schema.prisma) and
// prisma/schema.prisma, and keeps a copy of the current schema beside the new migration.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { MIGRATIONS_DIR, readMigrations } from "../prisma/migrator";
import { diffSchemas, isEmptyMigration, SCHEMA_PATH } from "../prisma/prisma-cli";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run migration:create -- <name in snake_case>");
  process.exit(1);
}
const previous = (await readMigrations()).at(-1);
const sql = await diffSchemas(previous ? path.join(MIGRATIONS_DIR, previous.name, "schema.prisma") : null, SCHEMA_PATH);
if (isEmptyMigration(sql)) {
  console.log("prisma/schema.prisma has no changes since the last migration.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const folder = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
await mkdir(folder, { recursive: true });
await writeFile(path.join(folder, "migration.sql"), sql);
await copyFile(SCHEMA_PATH, path.join(folder, "schema.prisma"));
console.log(`Created ${path.relative(process.cwd(), folder)}/migration.sql`);
