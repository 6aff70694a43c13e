import { describe, expect, it } from "vitest";

import { currencyExponent, decimalStringToMinor, formatMoney, minorToDecimalString } from "./money";

describe("money", () => {
  it("knows each currency's minor unit", () => {
    expect(currencyExponent("USD")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("KWD")).toBe(3);
  });

  it("converts between decimal strings and minor units without floats", () => {
    expect(decimalStringToMinor("29.33", "USD")).toBe(2933n);
    expect(decimalStringToMinor("0.10", "USD")).toBe(10n);
    expect(decimalStringToMinor("1500", "JPY")).toBe(1500n);
    expect(decimalStringToMinor("1.235", "KWD")).toBe(1235n);
    expect(minorToDecimalString(5n, "USD")).toBe("0.05");
    expect(minorToDecimalString(-12345n, "USD")).toBe("-123.45");
    expect(() => decimalStringToMinor("1.005", "USD")).toThrow(RangeError);
    expect(() => decimalStringToMinor("abc", "USD")).toThrow(RangeError);
  });

  it("formats amounts beyond float precision exactly", () => {
    // Given an amount a double cannot hold to the cent
    const minor = 900719925474099123n;
    // When formatted, then every digit survives
    expect(formatMoney(minor, "USD")).toBe("$9,007,199,254,740,991.23");
    expect(formatMoney(2933n, "EUR", "de-DE")).toBe("29,33\u00a0€");
  });
});
