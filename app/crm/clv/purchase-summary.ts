// Turns a purchase history into the (frequency, recency, T, monetary value) summary the BG/NBD and
// Gamma-Gamma models take. Purchases on one calendar day are merged into one purchase (amounts added),
// as in Fader, Hardie and Lee's CDNOW analysis: several orders placed together are one buying decision.

export type Period = "day" | "week" | "month";

/** Length of each period in days. A month is the average Gregorian month, 365.25 / 12 = 30.4375 days. */
export const PERIOD_DAYS: Record<Period, number> = { day: 1, week: 7, month: 30.4375 };

/** One customer's purchase summary, times in periods. */
export interface PurchaseSummary {
  /** Repeat purchases: distinct purchase days − 1. */
  frequency: number;
  /** Time from the first to the last purchase day. */
  recency: number;
  /** Time from the first purchase day to the calibration end day. */
  T: number;
  /** Mean value of the repeat purchase days (the first day excluded), 0 without repeats; input units. */
  monetaryValue: number;
}

export interface PurchaseSummaryOptions {
  /** The last day of the calibration period: its calendar day in `timeZone` is included. */
  calibrationEnd: Date;
  period: Period;
  /** IANA time zone whose calendar days merge purchases; UTC by default. */
  timeZone?: string;
}

const MS_PER_DAY = 86_400_000;

/**
 * Summarises purchases per customer. Purchases whose calendar day (in `timeZone`) is after the
 * calibration end's calendar day are ignored; T runs from the first purchase day to that day, so a
 * customer first seen on the calibration end day has T = 0.
 */
export function summarisePurchases(
  purchases: Iterable<{ customerId: string; orderedAt: Date; amount: number }>,
  options: PurchaseSummaryOptions,
): Map<string, PurchaseSummary> {
  const dayNumber = calendarDayNumber(options.timeZone);
  const endDay = dayNumber(options.calibrationEnd);
  const periodDays = PERIOD_DAYS[options.period];

  const spendByDayByCustomer = new Map<string, Map<number, number>>();
  for (const purchase of purchases) {
    const day = dayNumber(purchase.orderedAt);
    if (day > endDay) continue;
    let days = spendByDayByCustomer.get(purchase.customerId);
    if (!days) spendByDayByCustomer.set(purchase.customerId, (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + purchase.amount);
  }

  const summaries = new Map<string, PurchaseSummary>();
  for (const [customerId, days] of spendByDayByCustomer) {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    let total = 0;
    for (const [day, amount] of days) {
      if (day < first) first = day;
      if (day > last) last = day;
      total += amount;
    }
    const frequency = days.size - 1;
    const repeatSpend = total - days.get(first)!;
    summaries.set(customerId, {
      frequency,
      recency: (last - first) / periodDays,
      T: (endDay - first) / periodDays,
      monetaryValue: frequency > 0 ? repeatSpend / frequency : 0,
    });
  }
  return summaries;
}

/** A function giving the whole-day number (days since 1970-01-01) of an instant's calendar day. */
export function calendarDayNumber(timeZone = "UTC"): (instant: Date) => number {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return (instant) => Math.floor(instant.getTime() / MS_PER_DAY);
  const format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  return (instant) => {
    const parts = format.formatToParts(instant);
    const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    return Math.floor(Date.UTC(part("year"), part("month") - 1, part("day")) / MS_PER_DAY);
  };
}
