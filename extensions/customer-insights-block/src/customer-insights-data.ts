// The answer of GET /api/admin-extensions/customer/<id> (the app's
// app/crm/admin-extensions/customer-insights.ts builds it and is type-checked against this), and
// the small helpers the block uses to show it.

export type ChurnRiskBand = "low" | "medium" | "high" | "unknown";

export interface CustomerScoresSummary {
  /** "At risk"; null when the customer has no purchase yet to place them in a stage. */
  lifecycleStage: string | null;
  rfmSegment: string;
  churnRisk: { band: ChurnRiskBand; label: string };
  /** The chance the customer is still active, "83%"; null without a fitted model. */
  pAlive: string | null;
  /** Predicted CLV over the shop's horizon, in minor units of the shop currency; null without a model. */
  predictedClv: { minor: string; currencyCode: string } | null;
  /** When the last analytics run computed these, in the shop's time zone. */
  computedAt: string;
}

export type LoyaltySummary =
  { status: "no_program" } | { status: "not_member" } | { status: "member"; points: number; tier: string | null };

export interface CustomerInsights {
  customerId: string;
  /** Customer 360 in the app, relative to the app's URL ("/app/customers/123"). */
  customer360Path: string;
  /** Personal data erased on the customer's request: figures only. */
  redacted: boolean;
  /** null until the first analytics run has scored this customer. */
  scores: CustomerScoresSummary | null;
  loyalty: LoyaltySummary;
  /** "Picked for this customer" (co-purchase recommendations); absent when there is none yet. */
  recommendations?: { productId: string; title: string; reason: string }[];
}

/** The numeric id in a Customer gid ("gid://shopify/Customer/123" → "123"), or null. */
export function customerIdOf(gid: string | undefined): string | null {
  const match = /^gid:\/\/shopify\/Customer\/(\d{1,19})$/.exec(gid ?? "");
  return match ? match[1]! : null;
}

/** Minor units as a number of major units, with the currency's own exponent (JPY 0, KWD 3). */
export function minorToMajor(minor: string, currencyCode: string): number {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).resolvedOptions()
    .maximumFractionDigits;
  return Number(minor) / 10 ** (digits ?? 2);
}

const RISK_TONES = { low: "success", medium: "warning", high: "critical", unknown: undefined } as const;

export const churnRiskTone = (band: ChurnRiskBand) => RISK_TONES[band];
