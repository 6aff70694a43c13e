import { describe, expect, it } from "vitest";

import { csvCell, csvLine } from "./csv-cells";
import { auditCsvLine, detailsSummary, staffLabel } from "./staff-audit-log";

describe("CSV cells", () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ["+1+2", "'+1+2"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", `"'\rcmd"`],
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ["line\nbreak", '"line\nbreak"'],
  ])("writes %j as %j", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it("writes numbers, bigints and nulls, and ends lines with CRLF", () => {
    expect(csvLine([1, 12345678901234567890n, null, undefined, "x"])).toBe("1,12345678901234567890,,,x\r\n");
  });
});

describe("audit entries for staff", () => {
  it("summarises a settings change as before → after", () => {
    expect(detailsSummary({ section: "analytics", changes: { churnHighThreshold: { before: 0.7, after: 0.6 } } })).toBe(
      "High risk from: 0.7 → 0.6, section: analytics",
    );
    expect(detailsSummary({ points: -50, reason: "goodwill", tags: ["a", "b"] })).toBe(
      "points: -50, reason: goodwill, tags: 2 items",
    );
    expect(detailsSummary({})).toBe("");
    expect(detailsSummary({ note: "x".repeat(500) })).toHaveLength(160);
  });

  it("names staff by name, else by user id", () => {
    expect(staffLabel({ staffName: "Ada Lovelace", staffUserId: 1n })).toBe("Ada Lovelace");
    expect(staffLabel({ staffName: "staff", staffUserId: 42n })).toBe("Staff member 42");
    expect(staffLabel({ staffName: null, staffUserId: null })).toBe("Staff");
  });

  it("neutralises formulas in every CSV column of an entry", () => {
    const line = auditCsvLine(
      {
        id: 7n,
        at: new Date("2026-03-01T12:00:00Z"),
        staffUserId: null,
        staffName: "=cmd|' /C calc'!A0",
        action: "customer.note_added",
        customerId: 3n,
        details: { note: "=1+1" },
      },
      "UTC",
    );
    expect(line).toBe(
      `7,2026-03-01T12:00:00.000Z,"Mar 1, 2026, 12:00 PM UTC",,'=cmd|' /C calc'!A0,customer.note_added,3,"{""note"":""=1+1""}"\r\n`,
    );
  });
});
