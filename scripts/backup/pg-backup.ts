// Backup and restore of Kinship's database with PostgreSQL's own tools: `pg_dump` of the
// app's database (the extensions its indexes need, such as pg_trgm, every table, the Prisma migrations table and the session table with its
// encrypted tokens, which stay encrypted: the key lives in the environment, never in the dump)
// in the custom format, and `pg_restore` into an empty database. The custom format is
// compressed and restores table by table, so a large shop's dump is restorable in parallel.
import { execFile } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";

import pg from "pg";

import { ensureDatabase } from "../../prisma/migrator";

const run = promisify(execFile);

/** The app's tables live in PostgreSQL's default schema. A dump limited to it with --schema
 * would leave out the extensions (pg_trgm) its indexes need, so the dump is of the database. */
export const APP_SCHEMA = "public";

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new BackupError(`Unsupported database name: ${name}`);
  return name;
}

// The URL carries the password, if any: it goes to the tools by environment, never on a
// command line that `ps` would show.
function toolEnvironment(databaseUrl: string): NodeJS.ProcessEnv {
  const url = new URL(databaseUrl);
  return {
    ...process.env,
    PGHOST: url.hostname,
    PGPORT: url.port || "5432",
    PGUSER: decodeURIComponent(url.username || "postgres"),
    PGPASSWORD: decodeURIComponent(url.password),
    PGDATABASE: databaseName(databaseUrl),
  };
}

/** Writes a custom-format dump of the app's database to `file`. */
export async function backupDatabase(databaseUrl: string, file: string): Promise<void> {
  // Privileges are kept: row-level security works through grants to the kinship_app role.
  await run("pg_dump", ["--format=custom", "--no-owner", `--file=${file}`], {
    env: toolEnvironment(databaseUrl),
  });
}

// Roles are the server's, not the database's, so a dump does not carry them. The role the
// row-level security policies bind (see the tenant_row_level_security migration) must exist,
// and the restoring role must be able to SET ROLE to it, before the grants and policies are
// restored onto a new server.
const ENSURE_APP_ROLE = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kinship_app') THEN
    CREATE ROLE kinship_app NOLOGIN;
  END IF;
  IF NOT pg_has_role(current_user, 'kinship_app', 'MEMBER') THEN
    EXECUTE format('GRANT kinship_app TO %I', current_user);
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$`;

async function ensureAppRole(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(ENSURE_APP_ROLE);
  } finally {
    await client.end();
  }
}

async function tablesIn(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1",
      [APP_SCHEMA],
    );
    return Number(rows[0]!.count);
  } finally {
    await client.end();
  }
}

/**
 * Restores `file` into the database of `databaseUrl`, creating it when missing. Refuses a
 * database that already has tables: a restore over live data would mix two histories. One
 * transaction, so a failed restore leaves the database empty rather than half restored.
 */
export async function restoreDatabase(file: string, databaseUrl: string): Promise<void> {
  await ensureDatabase(databaseUrl);
  const existing = await tablesIn(databaseUrl);
  if (existing > 0) {
    throw new BackupError(
      `Database ${databaseName(databaseUrl)} already has ${existing} tables; restore only into an empty database`,
    );
  }
  await ensureAppRole(databaseUrl);
  // Every new database already has `public`; a dump that carries its CREATE SCHEMA (older
  // pg_dump, or a dump made with --schema) would fail on it: restore the table of contents
  // without that one entry.
  const { stdout } = await run("pg_restore", ["--list", file]);
  const list = `${file}.list`;
  writeFileSync(
    list,
    stdout
      .split("\n")
      .filter((line) => !/ SCHEMA - public /.test(line))
      .join("\n"),
  );
  try {
    await run(
      "pg_restore",
      [
        "--no-owner",
        "--exit-on-error",
        "--single-transaction",
        `--use-list=${list}`,
        `--dbname=${databaseName(databaseUrl)}`,
        file,
      ],
      { env: toolEnvironment(databaseUrl) },
    );
  } finally {
    rmSync(list, { force: true });
  }
}
