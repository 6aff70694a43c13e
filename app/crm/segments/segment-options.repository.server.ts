// What the rule builder offers for the shop: its live tiers and the clusters of its latest run.
import type { PrismaClient } from "../../db.server";
import type { RuleOptions } from "./rule-draft";

export async function ruleOptionsOf(db: PrismaClient, shopId: number, currencyCode: string): Promise<RuleOptions> {
  const [tiers, run] = await Promise.all([
    db.loyaltyTier.findMany({
      where: { shopId, archivedAt: null },
      select: { id: true, name: true },
      orderBy: { threshold: "asc" },
    }),
    db.analyticsRun.findFirst({
      where: { shopId, status: "succeeded" },
      orderBy: { finishedAt: "desc" },
      select: { clusters: true },
    }),
  ]);
  const centroids = (run?.clusters as { centroids?: { cluster: number; name: string }[] } | null)?.centroids ?? [];
  return {
    currencyCode,
    tiers,
    clusters: centroids.map((c) => ({ id: c.cluster, name: c.name })),
  };
}
