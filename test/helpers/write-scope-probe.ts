// Who writes a table's rows of one shop, and in which scope: a trigger records, for each row
// inserted or updated, the role that wrote it and its `kinship.shop_id` (the trigger runs as the
// writing role). The probe lives in its own schema: a table in public with shop_id would have
// to be walled (shop-scope.integration.test.ts).
import { randomUUID } from "node:crypto";

import type { PrismaClient } from "../../app/db.server";

const SCHEMA = "test_scope_probes";

export interface WriteScopeProbe {
  /** The distinct writers so far, each as "role scope" (e.g. "kinship_app 12"), and how many writes. */
  writers(): Promise<{ writers: string[]; writes: number }>;
  remove(): Promise<void>;
}

export async function probeWriteScope(db: PrismaClient, table: string, shopId: number): Promise<WriteScopeProbe> {
  const name = `scope_probe_${randomUUID().slice(0, 8)}`;
  const probes = `${SCHEMA}.${name}`;
  await sharedDdl(db, `CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  await sharedDdl(db, `GRANT USAGE ON SCHEMA ${SCHEMA} TO kinship_app`);
  await db.$executeRawUnsafe(`CREATE TABLE ${probes} (role text, scope text)`);
  await db.$executeRawUnsafe(`GRANT INSERT ON ${probes} TO kinship_app`);
  await db.$executeRawUnsafe(`CREATE FUNCTION ${probes}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO ${probes} VALUES (current_user, current_setting('kinship.shop_id', true));
      RETURN NULL;
    END $$`);
  await db.$executeRawUnsafe(`CREATE TRIGGER ${name} AFTER INSERT OR UPDATE ON ${table}
    FOR EACH ROW WHEN (NEW.shop_id = ${Number(shopId)}) EXECUTE FUNCTION ${probes}()`);
  return {
    async writers() {
      const rows = await db.$queryRawUnsafe<{ role: string; scope: string | null }[]>(
        `SELECT role, scope FROM ${probes}`,
      );
      return { writers: [...new Set(rows.map((row) => `${row.role} ${row.scope}`))].sort(), writes: rows.length };
    },
    async remove() {
      await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${name} ON ${table}`);
      await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${probes}()`);
      await db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${probes}`);
    },
  };
}

/** DDL that test files running side by side may all issue at once: a lost race is retried. */
async function sharedDdl(db: PrismaClient, sql: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.$executeRawUnsafe(sql);
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
