// The customer details block's data in one query: the customer (by the unique index on
// (shop_id, shopify_id)), its score row, loyalty membership and tier (each by customer or primary
// key), the shop's currency and zone, and whether the shop runs a loyalty program. A point lookup
// whatever the shop's size.
import { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";

export interface CustomerInsightsRow {
  shopId: number;
  currencyCode: string;
  ianaTimezone: string;
  customerShopifyId: bigint;
  redactedAt: Date | null;
  hasProgram: boolean;
  /** null when the customer has no score row yet (no analytics run since it arrived). */
  score: {
    rfmSegment: string;
    churnRisk: string;
    pAlive: number | null;
    clvMinor: bigint | null;
    lifecycleStage: string | null;
    computedAt: Date;
  } | null;
  member: { pointsBalance: number; tierName: string | null } | null;
}

interface RawRow {
  shop_id: number;
  currency_code: string;
  iana_timezone: string;
  shopify_id: bigint;
  redacted_at: Date | null;
  has_program: boolean;
  rfm_segment: string | null;
  churn_risk: string | null;
  p_alive: number | null;
  clv_minor: bigint | null;
  lifecycle_stage: string | null;
  computed_at: Date | null;
  member_id: bigint | null;
  points_balance: number | null;
  tier_name: string | null;
}

/** The shop is named by id (the bench, which already holds it) or by domain (a route, from the session). */
export type ShopKey = { shopId: number } | { shopDomain: string };

export async function findCustomerInsightsRow(
  db: PrismaClient,
  shop: ShopKey,
  customerShopifyId: bigint,
): Promise<CustomerInsightsRow | null> {
  const shopCondition =
    "shopId" in shop ? Prisma.sql`s.id = ${shop.shopId}` : Prisma.sql`s.domain = ${shop.shopDomain}`;
  // The customer is joined on its own shop's id: another shop's customer with the same Shopify id never matches.
  const rows = await db.$queryRaw<RawRow[]>`
    SELECT s.id AS shop_id, s.currency_code, s.iana_timezone,
           c.shopify_id, c.redacted_at,
           (p.id IS NOT NULL AND p.enabled) AS has_program,
           cs.rfm_segment, cs.churn_risk, cs.p_alive, cs.clv_minor, cs.lifecycle_stage, cs.computed_at,
           m.id AS member_id, m.points_balance, t.name AS tier_name
    FROM shops s
    JOIN customers c ON c.shop_id = s.id AND c.shopify_id = ${customerShopifyId}
    LEFT JOIN customer_scores cs ON cs.customer_id = c.id AND cs.shop_id = s.id
    LEFT JOIN loyalty_members m ON m.customer_id = c.id AND m.shop_id = s.id
    LEFT JOIN loyalty_tiers t ON t.id = m.tier_id AND t.shop_id = s.id
    LEFT JOIN loyalty_programs p ON p.shop_id = s.id
    WHERE ${shopCondition}
    LIMIT 1`;
  const row = rows[0];
  if (!row) return null;
  return {
    shopId: row.shop_id,
    currencyCode: row.currency_code,
    ianaTimezone: row.iana_timezone,
    customerShopifyId: row.shopify_id,
    redactedAt: row.redacted_at,
    hasProgram: row.has_program,
    score:
      row.rfm_segment !== null && row.computed_at !== null
        ? {
            rfmSegment: row.rfm_segment,
            churnRisk: row.churn_risk ?? "unknown",
            pAlive: row.p_alive,
            clvMinor: row.clv_minor,
            lifecycleStage: row.lifecycle_stage,
            computedAt: row.computed_at,
          }
        : null,
    member: row.member_id !== null ? { pointsBalance: row.points_balance ?? 0, tierName: row.tier_name } : null,
  };
}
