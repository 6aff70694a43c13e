// The metafield batch's reads and writes: a page of the shop's buying customers (keyset on id)
// with the value their metafield was last set to, and the values just sent.
import type { PrismaClient } from "../../db.server";

export async function buyingCustomersPage(db: PrismaClient, shopId: number, afterCustomerId: bigint, take: number) {
  // Deleted and redacted customers get nothing written to them.
  return db.customer.findMany({
    where: { shopId, id: { gt: afterCustomerId }, ordersCount: { gt: 0 }, deletedAt: null, redactedAt: null },
    orderBy: { id: "asc" },
    take,
    select: { id: true, shopifyId: true, recommendationSync: { select: { value: true } } },
  });
}

export async function recordMetafieldValues(
  db: PrismaClient,
  shopId: number,
  written: { customerId: bigint; value: string }[],
  at: Date,
) {
  if (written.length === 0) return;
  await db.$executeRaw`
    INSERT INTO customer_recommendation_syncs (customer_id, shop_id, value, synced_at)
    SELECT unnest(${written.map((w) => w.customerId.toString())}::bigint[]), ${shopId},
           unnest(${written.map((w) => w.value)}::text[]), ${at}
    ON CONFLICT (customer_id) DO UPDATE SET value = EXCLUDED.value, synced_at = EXCLUDED.synced_at`;
}
