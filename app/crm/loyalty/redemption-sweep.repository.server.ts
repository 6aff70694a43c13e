// Redemptions still `pending` long after their issue job should have settled them.
import type { PrismaClient } from "../../db.server";

export async function pendingRedemptionsBefore(db: PrismaClient, shopId: number, before: Date) {
  const rows = await db.loyaltyRedemption.findMany({
    where: { shopId, status: "pending", createdAt: { lt: before } },
    orderBy: { id: "asc" },
    select: { id: true },
    take: 1000,
  });
  return rows.map((row) => row.id);
}
