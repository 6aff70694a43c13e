import { describe, expect, it } from "vitest";

import { explainPAlive, formatChance, formatGap, typicalPurchaseGapDays } from "./p-alive-explanation";

describe("P(alive) explanation", () => {
  it("says the chance, the history it rests on and the customer's usual rhythm", () => {
    // Given four purchase days, the last 210 days ago, P(alive) 0.35 and a usual gap of 61 days
    const text = explainPAlive({ purchaseDays: 4, recencyDays: 210, pAlive: 0.35, typicalGapDays: 61 });
    // Then the sentence reads as the merchant would say it
    expect(text).toBe(
      "Based on 4 orders, the last 210 days ago, there is a 35% chance this customer still buys from you; " +
        "customers who ordered this often usually order every ~60 days.",
    );
  });

  it("derives the usual gap from the fitted BG/NBD rate (CDNOW parameters, in weeks)", () => {
    // Given CDNOW's r = 0.243, α = 4.414 and a customer with 3 repeat purchases over 52 weeks
    const gap = typicalPurchaseGapDays({ r: 0.243, alpha: 4.414, periodDays: 7 }, { frequency: 3, T: 52 });
    // Then the posterior mean rate (r + x) / (α + T) = 3.243 / 56.414 per week gives ~121.8 days between purchases
    expect(gap).toBeCloseTo((56.414 / 3.243) * 7, 6);
    expect(formatGap(gap!)).toBe("~120 days");
    // And a degenerate fit gives no gap rather than a nonsense one
    expect(typicalPurchaseGapDays({ r: 0, alpha: 1, periodDays: 7 }, { frequency: 0, T: 10 })).toBeNull();
  });

  it("explains the one-time buyer's P(alive) of 100% instead of letting it mislead", () => {
    const text = explainPAlive({ purchaseDays: 1, recencyDays: 30, pAlive: 1, typicalGapDays: 150 });
    expect(text).toContain("Based on 1 order, placed 30 days ago, there is a 100% chance");
    expect(text).toContain("cannot tell that a one-time buyer has left");
    expect(text).toContain("usually order every ~150 days");
  });

  it("says when the model has not been fitted", () => {
    const text = explainPAlive({ purchaseDays: 2, recencyDays: 1, pAlive: null, typicalGapDays: null });
    expect(text).toBe(
      "Based on 2 orders, the last one yesterday. The chance this customer still buys from you is not estimated " +
        "yet: the model needs more repeat customers in your shop.",
    );
  });

  it("rounds chances and gaps the way people say them", () => {
    expect(formatChance(0.996)).toBe("over 99%");
    expect(formatChance(0.004)).toBe("less than 1%");
    expect(formatChance(0)).toBe("0%");
    expect(formatChance(0.5049)).toBe("50%");
    expect(formatGap(1)).toBe("~1 day");
    expect(formatGap(6.4)).toBe("~6 days");
    expect(formatGap(212)).toBe("~210 days");
    expect(formatGap(800)).toBe("~2 years");
    expect(explainPAlive({ purchaseDays: 3, recencyDays: 0, pAlive: 0.9, typicalGapDays: null })).toBe(
      "Based on 3 orders, the last one today, there is a 90% chance this customer still buys from you.",
    );
  });
});
