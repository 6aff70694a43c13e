// Money is integer minor units of a currency (bigint), formatted exactly: the amount
// goes to Intl as a decimal string, never through a float.

/** Minor units per major unit for a currency, as ISO 4217 / CLDR define it (USD 2, JPY 0, KWD 3). */
// Building an Intl.NumberFormat costs tens of microseconds; imports convert millions of amounts.
const exponentByCurrency = new Map<string, number>();

export function currencyExponent(currencyCode: string): number {
  let exponent = exponentByCurrency.get(currencyCode);
  if (exponent === undefined) {
    exponent =
      new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    exponentByCurrency.set(currencyCode, exponent);
  }
  return exponent;
}

/** "12345" minor units of USD → "123.45". */
export function minorToDecimalString(minor: bigint, currencyCode: string): string {
  const exponent = currencyExponent(currencyCode);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** "123.45" USD → 12345n. Rejects amounts with more decimals than the currency has. */
export function decimalStringToMinor(amount: string, currencyCode: string): bigint {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`Not a decimal amount: ${amount}`);
  const exponent = currencyExponent(currencyCode);
  const fraction = (match[3] ?? "").replace(/0+$/, "");
  if (fraction.length > exponent) throw new RangeError(`${amount} has more decimals than ${currencyCode} allows`);
  const minor = BigInt(match[2]! + fraction.padEnd(exponent, "0"));
  return match[1] ? -minor : minor;
}

export function formatMoney(minor: bigint, currencyCode: string, locale = "en-US"): string {
  const formatter = new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode });
  // Intl formats decimal strings exactly (ECMA-402 NumberFormat v3); the cast is for older lib typings.
  return formatter.format(minorToDecimalString(minor, currencyCode) as unknown as number);
}
