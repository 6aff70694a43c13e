// When Kinship last applied an update from Shopify: the newest applied webhook delivery.
import type { PrismaClient } from "../../db.server";

/** How far back the dashboard looks for an applied delivery (it bounds the scan for a quiet shop). */
export const LAST_APPLIED_WINDOW_DAYS = 30;

export async function findLastAppliedDelivery(db: PrismaClient, shopDomain: string, now = new Date()) {
  // Newest first on the (status, received_at) index: the first row of this shop ends the scan.
  return db.webhookDelivery.findFirst({
    where: {
      status: "applied",
      shopDomain,
      receivedAt: { gte: new Date(now.getTime() - LAST_APPLIED_WINDOW_DAYS * 86_400_000) },
    },
    orderBy: { receivedAt: "desc" },
    select: { topic: true, receivedAt: true, processedAt: true },
  });
}
