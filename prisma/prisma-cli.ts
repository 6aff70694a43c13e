// Runs the Prisma CLI offline. With prisma.config.ts on the JS engine the CLI
// downloads nothing, but it still opens DATABASE_URL, so point it at a database
// that always exists (the server's maintenance database) when none is given.
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SCHEMA_PATH = path.join(ROOT, "prisma", "schema.prisma");
const PRISMA_BIN = path.join(ROOT, "node_modules", "prisma", "build", "index.js");

export function maintenanceDatabaseUrl(databaseUrl: string | undefined): string {
  const url = new URL(databaseUrl ?? "postgresql://postgres@127.0.0.1:5432/kinship");
  url.pathname = "/postgres";
  return url.toString();
}

export async function prisma(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [PRISMA_BIN, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: maintenanceDatabaseUrl(process.env.DATABASE_URL),
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** SQL that turns the `from` schema (or an empty database) into the `to` schema. */
export async function diffSchemas(from: string | null, to: string): Promise<string> {
  const fromArgs = from ? ["--from-schema-datamodel", from] : ["--from-empty"];
  return prisma(["migrate", "diff", ...fromArgs, "--to-schema-datamodel", to, "--script"]);
}

export function isEmptyMigration(sql: string): boolean {
  return sql.trim() === "" || sql.includes("-- This is an empty migration.");
}
