// The feedback page's reads: answers per score, per month in the shop's time zone, per RFM
// segment / lifecycle stage / tier, and the comments (keyset by id, newest first). Counts come
// back here; the arithmetic (NPS, interval, averages) is nps.ts's.
import { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";

export interface ScoreCount {
  kind: string;
  score: number;
  count: number;
}

export async function scoreCounts(db: PrismaClient, shopId: number): Promise<ScoreCount[]> {
  return db.$queryRaw<ScoreCount[]>`
    SELECT kind, score, COUNT(*)::int AS count FROM survey_responses
    WHERE shop_id = ${shopId} GROUP BY kind, score ORDER BY kind, score`;
}

export interface GroupCounts {
  group: string;
  promoters: number;
  passives: number;
  detractors: number;
  csatCount: number;
  csatSum: number;
}

const GROUP_COUNTS = Prisma.sql`
  COUNT(*) FILTER (WHERE r.band = 'promoter')::int AS promoters,
  COUNT(*) FILTER (WHERE r.band = 'passive')::int AS passives,
  COUNT(*) FILTER (WHERE r.band = 'detractor')::int AS detractors,
  COUNT(*) FILTER (WHERE r.kind = 'csat')::int AS "csatCount",
  COALESCE(SUM(r.score) FILTER (WHERE r.kind = 'csat'), 0)::int AS "csatSum"`;

/** Per calendar month of the shop's time zone ("2026-03"), the last `months` months. */
export async function monthlyCounts(db: PrismaClient, shopId: number, timeZone: string, since: Date) {
  return db.$queryRaw<GroupCounts[]>`
    SELECT to_char(r.answered_at AT TIME ZONE ${timeZone}, 'YYYY-MM') AS "group", ${GROUP_COUNTS}
    FROM survey_responses r
    WHERE r.shop_id = ${shopId} AND r.answered_at >= ${since}
    GROUP BY 1 ORDER BY 1`;
}

export type Dimension = "rfm" | "lifecycle" | "tier";

/** Grouped by the customer's current RFM segment, lifecycle stage or loyalty tier ("None" without one). */
export async function countsBy(db: PrismaClient, shopId: number, dimension: Dimension) {
  const column =
    dimension === "rfm"
      ? Prisma.sql`s.rfm_segment`
      : dimension === "lifecycle"
        ? Prisma.sql`s.lifecycle_stage`
        : Prisma.sql`t.name`;
  return db.$queryRaw<GroupCounts[]>`
    SELECT COALESCE(${column}, 'None') AS "group", ${GROUP_COUNTS}
    FROM survey_responses r
    LEFT JOIN customer_scores s ON s.customer_id = r.customer_id AND s.shop_id = r.shop_id
    LEFT JOIN loyalty_members m ON m.customer_id = r.customer_id AND m.shop_id = r.shop_id
    LEFT JOIN loyalty_tiers t ON t.id = m.tier_id
    WHERE r.shop_id = ${shopId}
    GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 20`;
}

export interface CommentRow {
  id: bigint;
  kind: string;
  score: number;
  band: string | null;
  comment: string;
  answeredAt: Date;
  customerShopifyId: bigint | null;
  customerName: string | null;
}

/** Comments newest first, `limit + 1` rows (the extra one says there is a next page). */
export async function commentsPage(
  db: PrismaClient,
  shopId: number,
  options: { search: string; beforeId: bigint | null; limit: number },
): Promise<CommentRow[]> {
  const pattern = `%${options.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  return db.$queryRaw<CommentRow[]>`
    SELECT r.id, r.kind, r.score, r.band, r.comment, r.answered_at AS "answeredAt",
           r.customer_shopify_id AS "customerShopifyId",
           NULLIF(TRIM(CONCAT_WS(' ', c.first_name, c.last_name)), '') AS "customerName"
    FROM survey_responses r
    LEFT JOIN customers c ON c.id = r.customer_id
    WHERE r.shop_id = ${shopId} AND r.comment IS NOT NULL
      AND (${options.search} = '' OR r.comment ILIKE ${pattern})
      AND (${options.beforeId}::bigint IS NULL OR r.id < ${options.beforeId})
    ORDER BY r.id DESC
    LIMIT ${options.limit + 1}`;
}
