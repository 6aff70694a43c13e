// The RFM segment tiles: every named segment with its customers, its shares of customers and of
// revenue, its average predicted CLV, and the cells of the R × FM grid it covers. Pure.
import { formatMoney } from "../money/money";
import { RFM_SEGMENTS, rfmSegment } from "../rfm/rfm-segments";
import { bigShare, formatCount, formatShare } from "./dashboard-format";

export interface ScoreGroupRow {
  key: string;
  customers: number;
  netSpentMinor: bigint;
  clvMinor: bigint | null;
  /** Customers of the group with a CLV prediction. */
  clvCustomers: number;
}

export interface SegmentTile {
  segment: string;
  customers: string;
  customerShare: string;
  revenueShare: string;
  averageClv: string | null;
  /** 0..1 of the largest segment, for the tile's weight. */
  weight: number;
  rule: string;
  tone: "success" | "info" | "warning" | "critical";
}

const SEGMENT_TONES: Record<string, SegmentTile["tone"]> = {
  Champions: "success",
  Loyal: "success",
  "Potential loyalists": "success",
  New: "info",
  Promising: "info",
  "Need attention": "warning",
  "About to sleep": "warning",
  "At risk": "critical",
  "Can't lose them": "critical",
  Hibernating: "warning",
  Lost: "critical",
};

/** Each segment's cells in the R × FM grid of rfm-segments.ts, derived from its rule, not restated. */
function segmentRules(): Map<string, string> {
  const cells = new Map<string, string[]>();
  for (let r = 5; r >= 1; r--) {
    for (let fm = 1; fm <= 5; fm++) {
      const segment = rfmSegment({ recency: r, frequency: fm, monetary: fm });
      const list = cells.get(segment) ?? [];
      cells.set(segment, list);
      list.push(`${r}:${fm}`);
    }
  }
  const rules = new Map<string, string>();
  for (const [segment, list] of cells) {
    const byR = new Map<number, number[]>();
    for (const cell of list) {
      const [r, fm] = cell.split(":").map(Number) as [number, number];
      byR.set(r, [...(byR.get(r) ?? []), fm]);
    }
    const parts = [...byR].map(([r, fm]) => {
      const low = Math.min(...fm);
      const high = Math.max(...fm);
      return `R ${r}, FM ${low === high ? low : `${low}–${high}`}`;
    });
    rules.set(segment, parts.join("; "));
  }
  return rules;
}
const SEGMENT_RULES = segmentRules();

export function segmentTiles(rows: readonly ScoreGroupRow[], currencyCode: string): SegmentTile[] {
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const customers = rows.reduce((sum, row) => sum + row.customers, 0);
  const spent = rows.reduce((sum, row) => sum + (row.netSpentMinor > 0n ? row.netSpentMinor : 0n), 0n);
  const largest = Math.max(1, ...rows.map((row) => row.customers));
  return RFM_SEGMENTS.map((segment) => {
    const row = byKey.get(segment);
    const count = row?.customers ?? 0;
    return {
      segment,
      customers: formatCount(count),
      customerShare: formatShare(customers > 0 ? count / customers : null),
      revenueShare: formatShare(bigShare(row && row.netSpentMinor > 0n ? row.netSpentMinor : 0n, spent)),
      averageClv:
        row && row.clvMinor !== null && row.clvCustomers > 0
          ? formatMoney(roundedDivide(row.clvMinor, row.clvCustomers), currencyCode)
          : null,
      weight: count / largest,
      rule: SEGMENT_RULES.get(segment) ?? "",
      tone: SEGMENT_TONES[segment] ?? "info",
    };
  });
}

/** Half-up division of minor units by a count, in integers. */
function roundedDivide(minor: bigint, count: number): bigint {
  const divisor = BigInt(count);
  const twice = (minor * 2n) / divisor;
  return twice >= 0n ? (twice + 1n) / 2n : (twice - 1n) / 2n;
}
