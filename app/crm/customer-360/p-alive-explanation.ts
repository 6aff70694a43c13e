// P(alive) in words a merchant can act on, for Customer 360. Pure.
//
// "Customers who ordered this often usually order every ~N days" is the BG/NBD posterior mean of
// the customer's purchase rate while still active: λ | (x repeat purchases over T periods) is
// Gamma(r + x, α + T) (Fader, Hardie and Lee 2005, eq. 8 with the customer alive), so the expected
// gap between purchases is (α + T) / (r + x) periods. It blends the shop's typical rate (r, α) with
// this customer's own history, which is what "customers who ordered this often" means.

export interface PAliveExplanationInput {
  /** Distinct purchase days the model counted (first purchase included). */
  purchaseDays: number;
  /** Days from the last purchase day to the computation. */
  recencyDays: number;
  /** Null when the shop's model could not be fitted (fallback). */
  pAlive: number | null;
  /** Expected days between purchases while active; null without a fitted model. */
  typicalGapDays: number | null;
}

export function typicalPurchaseGapDays(
  fit: { r: number; alpha: number; periodDays: number },
  customer: { frequency: number; T: number },
): number | null {
  const rate = (fit.r + customer.frequency) / (fit.alpha + customer.T);
  if (!Number.isFinite(rate) || rate <= 0) return null;
  const gap = (1 / rate) * fit.periodDays;
  return Number.isFinite(gap) ? gap : null;
}

/** 0.35 → "35%", with the ends said honestly rather than rounded to certainty. */
export function formatChance(p: number): string {
  if (p >= 0.995) return p >= 1 ? "100%" : "over 99%";
  if (p < 0.005) return p <= 0 ? "0%" : "less than 1%";
  return `${Math.round(p * 100)}%`;
}

/** A gap in days, rounded as a person would say it: "~6 days", "~60 days", "~210 days", "~2 years". */
export function formatGap(days: number): string {
  if (days < 1.5) return "~1 day";
  if (days < 10) return `~${Math.round(days)} days`;
  if (days < 100) return `~${Math.round(days / 5) * 5} days`;
  if (days < 730) return `~${Math.round(days / 10) * 10} days`;
  return `~${Math.round(days / 365)} years`;
}

const plural = (count: number, one: string, many: string) =>
  `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;

function lastOrderPhrase(purchaseDays: number, recencyDays: number): string {
  const when =
    recencyDays <= 0 ? "today" : recencyDays === 1 ? "yesterday" : `${plural(recencyDays, "day", "days")} ago`;
  if (purchaseDays <= 1) return `Based on 1 order, placed ${when}`;
  return `Based on ${plural(purchaseDays, "order", "orders")}, the last ${recencyDays <= 1 ? `one ${when}` : when}`;
}

export function explainPAlive(input: PAliveExplanationInput): string {
  const { purchaseDays, recencyDays, pAlive, typicalGapDays } = input;
  const basis = lastOrderPhrase(purchaseDays, Math.max(0, Math.round(recencyDays)));
  if (pAlive === null || !Number.isFinite(pAlive)) {
    return (
      `${basis}. The chance this customer still buys from you is not estimated yet: ` +
      "the model needs more repeat customers in your shop."
    );
  }
  const chance = `there is a ${formatChance(pAlive)} chance this customer still buys from you`;
  if (purchaseDays <= 1) {
    // BG/NBD gives every one-time buyer P(alive) = 1: they have not yet skipped a purchase they would have made.
    return (
      `${basis}, ${chance}: the model cannot tell that a one-time buyer has left until they would have ordered ` +
      "again, so their lifecycle stage goes by how long ago they ordered." +
      (typicalGapDays === null ? "" : ` Customers like them usually order every ${formatGap(typicalGapDays)}.`)
    );
  }
  return typicalGapDays === null
    ? `${basis}, ${chance}.`
    : `${basis}, ${chance}; customers who ordered this often usually order every ${formatGap(typicalGapDays)}.`;
}
