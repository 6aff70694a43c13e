// What an order's loyalty evaluation reads before it takes the member's lock, in one round
// trip: it runs for every order webhook, and one query per fact was most of its time.
import type { PrismaClient } from "../../db.server";

export interface OrderEvaluationContext {
  shopifyId: bigint;
  financialStatus: string | null;
  processedAt: Date;
  cancelledAt: Date | null;
  subtotalMinor: bigint;
  shippingMinor: bigint;
  taxMinor: bigint;
  lines: {
    shopifyId: bigint;
    productShopifyId: bigint | null;
    quantity: number;
    priceMinor: bigint;
    discountMinor: bigint;
  }[];
  refunds: { shopifyId: bigint; refundedAt: Date; amountMinor: bigint; lineItems: unknown }[];
  /** The customer loyalty credits (the order's own, or for a guest order the account with its e-mail). */
  customerId: bigint | null;
  /** That customer is neither deleted nor erased. */
  customerActive: boolean;
  memberId: bigint | null;
  tierId: number | null;
  /** Points spent on issued rewards whose code was used on this order. */
  redeemedPointsUsed: number;
  /** The customer has another paid order processed before this one. */
  paidBefore: boolean;
  /** The customer's referral as a friend, if any: its status, and the member who referred them. */
  referralStatus: string | null;
  referrerMemberId: bigint | null;
}

// Everything an order's evaluation reads before taking the member's lock, in one round trip
// (the same rules as findOrderForLoyalty, findCustomerById, findMemberByCustomer,
// pointsUsedOnOrder and paidOrdersBefore; a guest order matches the e-mail case-insensitively).
const ORDER_EVALUATION = `
  WITH o AS (SELECT * FROM orders WHERE shop_id = $1 AND shopify_id = ANY ($2::bigint[]))
  SELECT o.shopify_id AS "shopifyId", o.financial_status AS "financialStatus", o.processed_at AS "processedAt",
    o.cancelled_at AS "cancelledAt", o.subtotal_minor AS "subtotalMinor", o.shipping_minor AS "shippingMinor",
    o.tax_minor AS "taxMinor",
    COALESCE((
      SELECT json_agg(json_build_object('shopifyId', li.shopify_id::text, 'productShopifyId', li.product_shopify_id::text,
               'quantity', li.quantity, 'priceMinor', li.price_minor::text, 'discountMinor', li.discount_minor::text)
             ORDER BY li.id)
      FROM line_items AS li WHERE li.order_id = o.id), '[]') AS lines,
    COALESCE((
      SELECT json_agg(json_build_object('shopifyId', r.shopify_id::text, 'refundedAt', r.refunded_at,
               'amountMinor', r.amount_minor::text, 'lineItems', r.line_items)
             ORDER BY r.id)
      FROM refunds AS r WHERE r.order_id = o.id), '[]') AS refunds,
    c.id AS "customerId", COALESCE(c.deleted_at IS NULL AND c.redacted_at IS NULL, false) AS "customerActive",
    m.id AS "memberId", m.tier_id AS "tierId",
    (SELECT COALESCE(sum(rd.points_spent), 0)::int FROM loyalty_redemptions AS rd
     WHERE rd.shop_id = $1 AND rd.member_id = m.id AND rd.order_shopify_id = o.shopify_id AND rd.status = 'issued')
      AS "redeemedPointsUsed",
    EXISTS (
      SELECT 1 FROM orders AS p
      WHERE p.shop_id = $1 AND p.customer_id = c.id AND p.processed_at < o.processed_at AND p.shopify_id <> o.shopify_id
        AND p.financial_status IN ('paid', 'partially_refunded', 'refunded')) AS "paidBefore",
    rf.status AS "referralStatus", rf.referrer_member_id AS "referrerMemberId"
  FROM o
  CROSS JOIN LATERAL (
    SELECT COALESCE(o.customer_id, CASE WHEN o.customer_shopify_id IS NULL AND o.email IS NOT NULL THEN (
      SELECT g.id FROM customers AS g
      WHERE g.shop_id = $1 AND lower(g.email) = lower(o.email) AND g.deleted_at IS NULL AND g.redacted_at IS NULL
      ORDER BY g.id LIMIT 1) END) AS customer_id
  ) AS owner
  LEFT JOIN customers AS c ON c.id = owner.customer_id
  LEFT JOIN loyalty_members AS m ON m.customer_id = c.id
  LEFT JOIN loyalty_referrals AS rf ON rf.shop_id = $1 AND rf.friend_customer_id = c.id`;

type Text<T> = { [K in keyof T]: T[K] extends bigint ? string : T[K] extends bigint | null ? string | null : T[K] };

export async function findOrderEvaluation(
  db: PrismaClient,
  shopId: number,
  orderShopifyId: bigint,
): Promise<OrderEvaluationContext | null> {
  return (await findOrderEvaluations(db, shopId, [orderShopifyId]))[0] ?? null;
}

/** The evaluation context of each order found (orders not stored yet are left out). */
export async function findOrderEvaluations(
  db: PrismaClient,
  shopId: number,
  orderShopifyIds: readonly bigint[],
): Promise<OrderEvaluationContext[]> {
  type Row = Omit<OrderEvaluationContext, "lines" | "refunds"> & {
    lines: Text<OrderEvaluationContext["lines"][number]>[];
    refunds: (Text<Omit<OrderEvaluationContext["refunds"][number], "refundedAt">> & { refundedAt: string })[];
  };
  const rows = await db.$queryRawUnsafe<Row[]>(ORDER_EVALUATION, shopId, [...orderShopifyIds]);
  return rows.map((row) => ({
    ...row,
    lines: row.lines.map((line) => ({
      shopifyId: BigInt(line.shopifyId),
      productShopifyId: line.productShopifyId === null ? null : BigInt(line.productShopifyId),
      quantity: line.quantity,
      priceMinor: BigInt(line.priceMinor),
      discountMinor: BigInt(line.discountMinor),
    })),
    refunds: row.refunds.map((refund) => ({
      shopifyId: BigInt(refund.shopifyId),
      refundedAt: new Date(refund.refundedAt),
      amountMinor: BigInt(refund.amountMinor),
      lineItems: refund.lineItems,
    })),
  }));
}
