// Every CSV the app exports (customers, a segment's customers: the same writer; the staff audit
// log) neutralises cells a spreadsheet would run as a formula: = + - @, tab, carriage return.
import { describe, expect, it } from "vitest";

import { customerCsvLine, type CustomerExportRow } from "../customers/customer-export";
import { auditCsvLine } from "../settings/staff-audit-log";

const TRIGGERS = ["=", "+", "-", "@", "\t", "\r"];

/** RFC 4180 cells of one line (quotes, doubled quotes, embedded CR/LF). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      out.push(cell);
      cell = "";
    } else if (!quoted && c === "\r" && line[i + 1] === "\n") {
      break;
    } else {
      cell += c;
    }
  }
  out.push(cell);
  return out;
}

describe.each(TRIGGERS)("CSV exports with a cell starting %j", (trigger) => {
  const payload = `${trigger}HYPERLINK("http://evil.example","x")`;

  it("customers (and segment) export", () => {
    const row: CustomerExportRow = {
      shopify_id: "1",
      first_name: payload,
      last_name: payload,
      email: payload,
      country_code: payload,
      orders_count: 1,
      net_spent_minor: "-1250",
      last_order_local: payload,
      rfm_segment: payload,
      lifecycle_stage: payload,
      churn_risk: payload,
      clv_minor: "100",
      points_balance: -5,
      tier_name: payload,
      tags: [payload, "vip"],
      email_consent: payload,
    };
    const written = cells(customerCsvLine(row, "EUR"));
    expect(written).toHaveLength(17);
    for (const cell of written) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(written[1]).toBe(`'${payload}`);
  });

  it("staff audit log export", () => {
    const written = cells(
      auditCsvLine(
        {
          id: 1n,
          at: new Date("2026-03-01T12:00:00Z"),
          staffUserId: 7n,
          staffName: payload,
          action: payload,
          customerId: 3n,
          details: { reason: payload },
        },
        "UTC",
      ),
    );
    for (const cell of written) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(written[4]).toBe(`'${payload}`);
  });
});
