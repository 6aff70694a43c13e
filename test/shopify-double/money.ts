// Money as Shopify serialises it: decimal strings built from integer minor units, so
// nothing ever passes through a float.

const digitsCache = new Map<string, number>();

/** Fraction digits of an ISO 4217 currency (USD 2, JPY 0, KWD 3), from the runtime's CLDR data. */
export function currencyFractionDigits(currencyCode: string): number {
  const cached = digitsCache.get(currencyCode);
  if (cached !== undefined) return cached;
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).resolvedOptions()
        .maximumFractionDigits ?? 2;
  } catch {
    // Unknown code (e.g. USDC): Shopify treats these as 2-digit currencies.
  }
  digitsCache.set(currencyCode, digits);
  return digits;
}

/** 1999 USD → "19.99"; 500 JPY → "500"; -5 USD → "-0.05". */
export function formatMinor(minor: number, currencyCode: string): string {
  if (!Number.isSafeInteger(minor)) {
    throw new Error(`Money amounts must be integer minor units, got ${minor}`);
  }
  const digits = currencyFractionDigits(currencyCode);
  const sign = minor < 0 ? "-" : "";
  const text = Math.abs(minor)
    .toString()
    .padStart(digits + 1, "0");
  if (digits === 0) return sign + text;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
