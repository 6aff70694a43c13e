// Customer 360's rows turned into what the page shows: strings in the shop's zone and each
// amount's own currency, consent and risk as labels with a tone. Pure.
import { z } from "zod";

import { formatShopDateTime } from "../../lib/shop-time";
import { formatCount, formatDecimal, lifecycleLabel } from "../dashboard/dashboard-format";
import { formatMoney } from "../money/money";
import { explainPAlive, formatChance, typicalPurchaseGapDays } from "./p-alive-explanation";

export type Tone = "success" | "attention" | "critical" | "info" | undefined;
export interface Label {
  label: string;
  tone: Tone;
}

export const REDACTED_NAME = "Redacted customer";

const CONSENT_LABELS: Record<string, Label> = {
  SUBSCRIBED: { label: "Subscribed", tone: "success" },
  PENDING: { label: "Pending confirmation", tone: "attention" },
  NOT_SUBSCRIBED: { label: "Not subscribed", tone: undefined },
  UNSUBSCRIBED: { label: "Unsubscribed", tone: undefined },
  REDACTED: { label: "Redacted", tone: undefined },
  INVALID: { label: "Invalid", tone: "critical" },
};

export const consentLabel = (state: string): Label => CONSENT_LABELS[state] ?? { label: state, tone: undefined };

const CHURN_RISK_LABELS: Record<string, Label> = {
  low: { label: "Low churn risk", tone: "success" },
  medium: { label: "Medium churn risk", tone: "attention" },
  high: { label: "High churn risk", tone: "critical" },
  unknown: { label: "Churn risk unknown", tone: undefined },
};

export const churnRiskLabel = (band: string): Label => CHURN_RISK_LABELS[band] ?? { label: band, tone: undefined };

export function customerDisplayName(customer: {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  redactedAt: Date | null;
}): string {
  if (customer.redactedAt) return REDACTED_NAME;
  return [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || "Customer";
}

export interface ProfileRow {
  shopifyId: bigint;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  countryCode: string | null;
  tags: string[];
  emailConsent: string;
  smsConsent: string;
  shopifyCreatedAt: Date;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  ordersCount: number;
  grossSpentMinor: bigint;
  netSpentMinor: bigint;
  averageOrderValueMinor: bigint | null;
  channels: string[];
  topProducts: unknown;
  deletedAt: Date | null;
  redactedAt: Date | null;
}

const topProductsSchema = z
  .array(z.object({ productShopifyId: z.coerce.string(), title: z.string(), quantity: z.number() }))
  .catch([]);

/**
 * Personal fields (name, e-mail, tags, country) are left out for a redacted customer. Phone and
 * location are not stored: the page reads them live from Shopify (customer-addresses.server.ts).
 */
export function profileView(customer: ProfileRow, shop: { currencyCode: string; ianaTimezone: string }) {
  const redacted = customer.redactedAt !== null;
  const money = (minor: bigint) => formatMoney(minor, shop.currencyCode);
  const at = (date: Date | null) => (date ? formatShopDateTime(date, shop.ianaTimezone) : null);
  return {
    name: customerDisplayName(customer),
    redacted,
    deleted: customer.deletedAt !== null,
    email: redacted ? null : customer.email,
    tags: redacted ? [] : customer.tags,
    /** The stored country code: the location shown while (or when) Shopify's answer is missing. */
    countryCode: redacted ? null : customer.countryCode,
    createdAt: at(customer.shopifyCreatedAt)!,
    channels: customer.channels,
    emailConsent: consentLabel(redacted ? "REDACTED" : customer.emailConsent),
    smsConsent: consentLabel(redacted ? "REDACTED" : customer.smsConsent),
    orders: formatCount(customer.ordersCount),
    netSpent: money(customer.netSpentMinor),
    grossSpent: money(customer.grossSpentMinor),
    averageOrderValue: customer.averageOrderValueMinor === null ? null : money(customer.averageOrderValueMinor),
    firstOrderAt: at(customer.firstOrderAt),
    lastOrderAt: at(customer.lastOrderAt),
    topProducts: topProductsSchema.parse(customer.topProducts).map((product) => ({
      id: product.productShopifyId,
      title: product.title,
      quantity: formatCount(product.quantity),
    })),
  };
}

const finite = z.number().refine(Number.isFinite);
const modelFitSchema = z
  .object({
    kind: z.string(),
    periodDays: finite.optional(),
    clvHorizonMonths: finite.optional(),
    bgNbd: z.object({ r: finite, alpha: finite }).optional(),
  })
  .nullable()
  .catch(null);
const clustersSchema = z
  .object({ centroids: z.array(z.object({ cluster: z.number(), name: z.string() })) })
  .nullable()
  .catch(null);

export interface ScoreRow {
  recencyDays: number;
  purchaseDays: number;
  rScore: number;
  fScore: number;
  mScore: number;
  rfmSegment: string;
  frequency: number;
  T: number;
  pAlive: number | null;
  churnRisk: string;
  expectedPurchases30: number | null;
  expectedPurchases90: number | null;
  expectedPurchases365: number | null;
  expectedAverageOrderValueMinor: bigint | null;
  clvMinor: bigint | null;
  cluster: number | null;
  lifecycleStage: string | null;
  computedAt: Date;
}

export function scoresView(
  found: { score: ScoreRow; run: { modelFit: unknown; clusters: unknown } | null } | null,
  shop: { currencyCode: string; ianaTimezone: string },
) {
  if (!found) return null;
  const { score } = found;
  const fit = modelFitSchema.parse(found.run?.modelFit ?? null);
  const clusters = clustersSchema.parse(found.run?.clusters ?? null);
  const gap =
    fit?.kind === "fitted" && fit.bgNbd
      ? typicalPurchaseGapDays(
          { r: fit.bgNbd.r, alpha: fit.bgNbd.alpha, periodDays: fit.periodDays ?? 7 },
          { frequency: score.frequency, T: score.T },
        )
      : null;
  const expected = (value: number | null) => (value === null ? null : formatDecimal(value, 2));
  const horizonMonths = fit?.clvHorizonMonths ?? null;
  return {
    computedAt: formatShopDateTime(score.computedAt, shop.ianaTimezone),
    rfm: { r: score.rScore, f: score.fScore, m: score.mScore, segment: score.rfmSegment },
    cluster:
      score.cluster === null
        ? null
        : (clusters?.centroids.find((centroid) => centroid.cluster === score.cluster)?.name ??
          `Cluster ${score.cluster + 1}`),
    lifecycleStage: score.lifecycleStage === null ? null : lifecycleLabel(score.lifecycleStage),
    pAlive: score.pAlive === null ? null : formatChance(score.pAlive),
    pAliveExplanation: explainPAlive({
      purchaseDays: score.purchaseDays,
      recencyDays: score.recencyDays,
      pAlive: score.pAlive,
      typicalGapDays: gap,
    }),
    churnRisk: churnRiskLabel(score.churnRisk),
    expectedPurchases:
      score.expectedPurchases30 === null
        ? null
        : {
            days30: expected(score.expectedPurchases30),
            days90: expected(score.expectedPurchases90),
            days365: expected(score.expectedPurchases365),
          },
    expectedAverageOrderValue:
      score.expectedAverageOrderValueMinor === null
        ? null
        : formatMoney(score.expectedAverageOrderValueMinor, shop.currencyCode),
    clv: score.clvMinor === null ? null : formatMoney(score.clvMinor, shop.currencyCode),
    clvHorizon: horizonMonths === null ? null : `${horizonMonths} ${horizonMonths === 1 ? "month" : "months"}`,
  };
}

export function lifecycleHistoryView(
  rows: { id: bigint; fromStage: string; toStage: string; at: Date; runId: number | null }[],
  timeZone: string,
) {
  return rows.map((row) => ({
    id: row.id.toString(),
    at: formatShopDateTime(row.at, timeZone),
    from: lifecycleLabel(row.fromStage),
    to: lifecycleLabel(row.toStage),
    source: row.runId === null ? "After an order" : "Analytics run",
  }));
}

export interface OrderRow {
  id: bigint;
  shopifyId: bigint;
  name: string;
  currencyCode: string;
  sourceName: string | null;
  financialStatus: string | null;
  processedAt: Date;
  cancelledAt: Date | null;
  totalMinor: bigint;
  refundedMinor: bigint;
  lineItems: {
    shopifyId: bigint;
    title: string;
    variantTitle: string | null;
    sku: string | null;
    quantity: number;
    priceMinor: bigint;
    discountMinor: bigint;
    refundedQuantity: number;
  }[];
  refunds: { shopifyId: bigint; amountMinor: bigint; refundedAt: Date; lineItems: unknown }[];
}

const refundLinesSchema = z.array(z.object({ quantity: z.number() })).catch([]);

const FINANCIAL_LABELS: Record<string, string> = {
  paid: "Paid",
  pending: "Payment pending",
  authorized: "Authorized",
  partially_paid: "Partially paid",
  partially_refunded: "Partially refunded",
  refunded: "Refunded",
  voided: "Voided",
};

/** Every amount in the order's own currency. */
export function orderView(order: OrderRow, timeZone: string) {
  const money = (minor: bigint) => formatMoney(minor, order.currencyCode);
  const status = order.financialStatus?.toLowerCase() ?? null;
  return {
    id: order.shopifyId.toString(),
    name: order.name,
    processedAt: formatShopDateTime(order.processedAt, timeZone),
    channel: order.sourceName,
    cancelled: order.cancelledAt !== null,
    cancelledAt: order.cancelledAt ? formatShopDateTime(order.cancelledAt, timeZone) : null,
    financialStatus: status === null ? null : (FINANCIAL_LABELS[status] ?? status),
    total: money(order.totalMinor),
    refunded: order.refundedMinor > 0n ? money(order.refundedMinor) : null,
    net: money(order.totalMinor - order.refundedMinor),
    lineItems: order.lineItems.map((line) => ({
      id: line.shopifyId.toString(),
      title: line.title,
      variantTitle: line.variantTitle,
      sku: line.sku,
      quantity: line.quantity,
      refundedQuantity: line.refundedQuantity,
      unitPrice: money(line.priceMinor),
      total: money(line.priceMinor * BigInt(line.quantity) - line.discountMinor),
    })),
    refunds: order.refunds.map((refund) => {
      const items = refundLinesSchema.parse(refund.lineItems).reduce((sum, line) => sum + line.quantity, 0);
      return {
        id: refund.shopifyId.toString(),
        at: formatShopDateTime(refund.refundedAt, timeZone),
        amount: money(refund.amountMinor),
        items,
      };
    }),
  };
}

export type ProfileView = ReturnType<typeof profileView>;
export type ScoresView = NonNullable<ReturnType<typeof scoresView>>;
export type LifecycleHistoryView = ReturnType<typeof lifecycleHistoryView>;
export type OrderView = ReturnType<typeof orderView>;
