import { describe, expect, it } from "vitest";

import { sessionWindowCls } from "./page-quality";

describe("session-window CLS", () => {
  it("sums shifts less than 1 s apart and keeps the largest window", () => {
    // Given two bursts: 0.05 + 0.04 within a second, then 0.02 three seconds later
    const shifts = [
      { startTime: 100, value: 0.05 },
      { startTime: 900, value: 0.04 },
      { startTime: 3_900, value: 0.02 },
    ];
    // Then CLS is the first burst's sum
    expect(sessionWindowCls(shifts)).toBeCloseTo(0.09, 10);
  });

  it("closes a window after 5 s even when shifts keep coming", () => {
    // Given a shift of 0.01 every 900 ms for 9 s: windows of 6 shifts (0 to 4.5 s) at most
    const shifts = Array.from({ length: 11 }, (_, i) => ({ startTime: i * 900, value: 0.01 }));
    expect(sessionWindowCls(shifts)).toBeCloseTo(0.06, 10);
  });

  it("is 0 without shifts", () => {
    expect(sessionWindowCls([])).toBe(0);
  });
});
