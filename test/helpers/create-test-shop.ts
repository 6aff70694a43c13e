// Each integration test gets its own shop, so tests never see each other's rows.
import { randomBytes } from "node:crypto";

import type { PrismaClient } from "../../app/db.server";

export async function createTestShop(
  db: PrismaClient,
  overrides: { currencyCode?: string; ianaTimezone?: string; name?: string } = {},
) {
  const handle = `test-${randomBytes(5).toString("hex")}`;
  return db.shop.create({
    data: {
      domain: `${handle}.myshopify.com`,
      name: overrides.name ?? `Test shop ${handle}`,
      currencyCode: overrides.currencyCode ?? "USD",
      ianaTimezone: overrides.ianaTimezone ?? "America/New_York",
    },
  });
}
