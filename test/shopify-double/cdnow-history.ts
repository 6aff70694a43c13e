// The CDNOW purchase history (test/fixtures/cdnow, see its README): the real buying pattern
// behind the demo store, so that RFM, CLV and churn screens show believable behaviour.
import { readFileSync } from "node:fs";

export interface CdnowPurchase {
  /** Customer id in the 1/10 sample, 1..2357. */
  customerId: number;
  /** Calendar date of the purchase, "YYYY-MM-DD". */
  date: string;
  quantity: number;
  amountCents: number;
}

export const CDNOW_FIRST_DATE = "1997-01-01";
export const CDNOW_LAST_DATE = "1998-06-30";
export const CDNOW_CUSTOMER_COUNT = 2357;

const CDNOW_SAMPLE_URL = new URL("../fixtures/cdnow/CDNOW_sample.txt", import.meta.url);

// Dollars are parsed as text so that "29.33" becomes exactly 2933 cents.
function parseCents(dollars: string): number {
  const [whole = "0", fraction = ""] = dollars.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
}

export function parseCdnowPurchases(text: string): CdnowPurchase[] {
  const purchases: CdnowPurchase[] = [];
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5) continue;
    const [, sampleId = "", yyyymmdd = "", quantity = "", amount = ""] = fields;
    purchases.push({
      customerId: Number(sampleId),
      date: `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`,
      quantity: Number(quantity),
      amountCents: parseCents(amount),
    });
  }
  return purchases;
}

let cached: readonly CdnowPurchase[] | undefined;

/** The 6,919 purchases of the sample, in file order (by customer, then date). */
export function loadCdnowPurchases(): readonly CdnowPurchase[] {
  cached ??= Object.freeze(parseCdnowPurchases(readFileSync(CDNOW_SAMPLE_URL, "utf8")));
  return cached;
}
