// Points for a paid order. Integers throughout: the eligible base is minor units, the rate is
// points per major unit, the tier multiplier is in thousandths; the result is floored, so a
// shopper never gets a fraction of a point and the merchant never pays for one.
import type { LoyaltyProgramSettings } from "./loyalty-program";

export interface OrderLineForPoints {
  shopifyId: bigint;
  productShopifyId: bigint | null;
  quantity: number;
  priceMinor: bigint;
  /** Discounts allocated to the line (line and order discounts alike). */
  discountMinor: bigint;
}

export interface OrderForPoints {
  /** Subtotal after discounts (Shopify's subtotal_price). */
  subtotalMinor: bigint;
  shippingMinor: bigint;
  taxMinor: bigint;
  lines: OrderLineForPoints[];
}

/** Financial states of an order that was paid at some point (a later refund reverses separately). */
const PAID_STATUSES = new Set(["paid", "partially_refunded", "refunded"]);

export function isPaidOrder(financialStatus: string | null): boolean {
  return financialStatus !== null && PAID_STATUSES.has(financialStatus);
}

function lineNetMinor(line: OrderLineForPoints): bigint {
  const net = line.priceMinor * BigInt(line.quantity) - line.discountMinor;
  return net > 0n ? net : 0n;
}

/** The amount that earns points: subtotal after discounts without excluded lines, plus shipping/tax if set. */
export function eligibleBaseMinor(
  order: OrderForPoints,
  settings: LoyaltyProgramSettings,
  excludedProducts: ReadonlySet<string>,
): bigint {
  const excluded = order.lines
    .filter((line) => line.productShopifyId !== null && excludedProducts.has(line.productShopifyId.toString()))
    .reduce((sum, line) => sum + lineNetMinor(line), 0n);
  let base = order.subtotalMinor - excluded;
  if (settings.earn.includeShipping) base += order.shippingMinor;
  if (settings.earn.includeTax) base += order.taxMinor;
  return base > 0n ? base : 0n;
}

/** floor(base / 10^exponent × rate × multiplier / 1000). */
export function pointsForAmount(
  baseMinor: bigint,
  currencyExponent: number,
  pointsPerCurrencyUnit: number,
  multiplierPermille = 1000,
): number {
  if (baseMinor <= 0n) return 0;
  const numerator = baseMinor * BigInt(pointsPerCurrencyUnit) * BigInt(multiplierPermille);
  const denominator = 10n ** BigInt(currencyExponent) * 1000n;
  return Number(numerator / denominator);
}

export interface OrderPoints {
  baseMinor: bigint;
  points: number;
}

export function orderPoints(
  order: OrderForPoints,
  settings: LoyaltyProgramSettings,
  excludedProducts: ReadonlySet<string>,
  currencyExponent: number,
  multiplierPermille = 1000,
): OrderPoints {
  const baseMinor = eligibleBaseMinor(order, settings, excludedProducts);
  return {
    baseMinor,
    points: pointsForAmount(baseMinor, currencyExponent, settings.earn.pointsPerCurrencyUnit, multiplierPermille),
  };
}
