// `crm rfm`: R, F, M quintile scores and named segment of each customer as of a date.
import { calendarDayNumber } from "../../app/crm/clv/purchase-summary";
import { quintileScores } from "../../app/crm/rfm/rfm-scores";
import { rfmSegment, type RfmSegment } from "../../app/crm/rfm/rfm-segments";
import { formatNumber, formatTable } from "./format-table";
import type { OrderRow } from "./read-orders-csv";

export interface RfmReport {
  asOf: string;
  customers: {
    customerId: string;
    /** Days from the last order day to the as-of day. */
    recencyDays: number;
    /** Orders, counted as distinct purchase days. */
    frequency: number;
    /** Total spend in the file's units. */
    monetary: number;
    r: number;
    f: number;
    m: number;
    segment: RfmSegment;
  }[];
}

/** Orders after the as-of day are ignored. */
export function rfmReport(orders: readonly OrderRow[], asOf: Date): RfmReport {
  const dayNumber = calendarDayNumber();
  const asOfDay = dayNumber(asOf);
  const byCustomer = new Map<string, { days: Set<number>; last: number; spend: number }>();
  for (const order of orders) {
    const day = dayNumber(order.orderedAt);
    if (day > asOfDay) continue;
    let customer = byCustomer.get(order.customerId);
    if (!customer) byCustomer.set(order.customerId, (customer = { days: new Set(), last: day, spend: 0 }));
    customer.days.add(day);
    customer.last = Math.max(customer.last, day);
    customer.spend += order.amount;
  }
  const ids = [...byCustomer.keys()];
  const recencyDays = ids.map((id) => asOfDay - byCustomer.get(id)!.last);
  const frequency = ids.map((id) => byCustomer.get(id)!.days.size);
  const monetary = ids.map((id) => byCustomer.get(id)!.spend);
  const r = quintileScores(recencyDays, false);
  const f = quintileScores(frequency, true);
  const m = quintileScores(monetary, true);
  return {
    asOf: asOf.toISOString().slice(0, 10),
    customers: ids.map((customerId, i) => ({
      customerId,
      recencyDays: recencyDays[i]!,
      frequency: frequency[i]!,
      monetary: monetary[i]!,
      r: r[i]!,
      f: f[i]!,
      m: m[i]!,
      segment: rfmSegment({ recency: r[i]!, frequency: f[i]!, monetary: m[i]! }),
    })),
  };
}

export function formatRfmReport(report: RfmReport): string {
  const counts = new Map<string, number>();
  for (const c of report.customers) counts.set(c.segment, (counts.get(c.segment) ?? 0) + 1);
  const summary = [...counts].sort((a, b) => b[1] - a[1]).map(([segment, count]) => `${segment}: ${count}`);
  const rows = report.customers.map((c) => [
    c.customerId,
    String(c.recencyDays),
    String(c.frequency),
    formatNumber(c.monetary),
    String(c.r),
    String(c.f),
    String(c.m),
    c.segment,
  ]);
  return (
    `RFM as of ${report.asOf}, ${report.customers.length} customers\n${summary.join(", ")}\n\n` +
    formatTable(["customer", "days since last", "orders", "spend", "R", "F", "M", "segment"], rows)
  );
}
