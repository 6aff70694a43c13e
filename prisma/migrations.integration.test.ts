// The migration runner records migrations exactly as `prisma migrate deploy` does, and
// prisma/schema.prisma has no change that a migration does not cover.
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { applyMigrations, dropDatabase, ensureDatabase, MIGRATIONS_DIR, readMigrations } from "./migrator";
import { diffSchemas, isEmptyMigration, SCHEMA_PATH } from "./prisma-cli";

const created: string[] = [];
async function freshDatabase(): Promise<string> {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/kinship_mig_${randomBytes(4).toString("hex")}`;
  await ensureDatabase(url.toString());
  created.push(url.toString());
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(databaseUrl: string, sql: string, params?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Expression indexes that only migrations make (Prisma's schema has no syntax for them). */
const MIGRATION_ONLY_INDEXES = ["customers_email_local_reversed_idx"];

/** Tables, columns, indexes and constraints of the public schema, for comparing two databases. */
async function catalog(databaseUrl: string) {
  const columns = await query(
    databaseUrl,
    `SELECT table_name, column_name, data_type, is_nullable, column_default
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
     ORDER BY table_name, column_name`,
  );
  const indexes = await query(
    databaseUrl,
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
     AND indexname <> ALL ($1::text[])
     ORDER BY tablename, indexname`,
    [MIGRATION_ONLY_INDEXES],
  );
  const constraints = await query(
    databaseUrl,
    `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
  );
  return { columns, indexes, constraints: constraints.filter((row) => row.table_name !== "_prisma_migrations") };
}

afterAll(async () => {
  await Promise.all(created.map((url) => dropDatabase(url)));
});

describe("migration runner", () => {
  it("records each migration as prisma migrate deploy does, once", async () => {
    // Given an empty database
    const databaseUrl = await freshDatabase();
    // When migrating twice
    const first = await applyMigrations(databaseUrl);
    const second = await applyMigrations(databaseUrl);
    // Then every migration was applied once and recorded with Prisma's checksum
    const migrations = await readMigrations();
    expect(first).toEqual(migrations.map((migration) => migration.name));
    expect(second).toEqual([]);
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      id: string;
    }>(
      databaseUrl,
      `SELECT id, migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((row) => [row.migration_name, row.checksum])).toEqual(migrations.map((m) => [m.name, m.checksum]));
    for (const row of rows) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("refuses a migration that changed after it was applied, and rolls back a failing one", async () => {
    // Given a database migrated from a copy of the migrations
    const databaseUrl = await freshDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "kinship-migrations-"));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await applyMigrations(databaseUrl, dir);
    const [firstMigration] = await readMigrations(dir);
    // When the applied migration's file is edited
    const file = path.join(dir, firstMigration!.name, "migration.sql");
    await writeFile(file, `${await readFile(file, "utf8")}\n-- edited`);
    // Then the runner refuses to go on
    await expect(applyMigrations(databaseUrl, dir)).rejects.toThrow(/was changed after it was applied/);
    // And a new, failing migration leaves nothing behind
    await writeFile(file, (await readFile(file, "utf8")).replace("\n-- edited", ""));
    await cp(path.join(dir, firstMigration!.name), path.join(dir, "99999999999999_broken"), { recursive: true });
    await writeFile(
      path.join(dir, "99999999999999_broken", "migration.sql"),
      "CREATE TABLE half_done (id int);\nSELECT nope;",
    );
    await expect(applyMigrations(databaseUrl, dir)).rejects.toThrow(/99999999999999_broken failed/);
    expect(await query(databaseUrl, `SELECT 1 FROM pg_tables WHERE tablename = 'half_done'`)).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });
});

describe("schema drift", () => {
  it("prisma/schema.prisma equals the schema the last migration was made from", async () => {
    const last = (await readMigrations()).at(-1)!;
    const sql = await diffSchemas(path.join(MIGRATIONS_DIR, last.name, "schema.prisma"), SCHEMA_PATH);
    expect(isEmptyMigration(sql), `Run \`npm run migration:create -- <name>\`; uncovered changes:\n${sql}`).toBe(true);
  });

  it("the migrations build exactly the database that schema.prisma describes", async () => {
    // Given one database built by the migrations and one built straight from the schema
    const migrated = await freshDatabase();
    await applyMigrations(migrated);
    const direct = await freshDatabase();
    await query(direct, await diffSchemas(null, SCHEMA_PATH));
    // Then their tables, columns, indexes and constraints are the same
    expect(await catalog(migrated)).toEqual(await catalog(direct));
  });
});
