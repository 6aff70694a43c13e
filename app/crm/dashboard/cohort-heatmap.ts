// The monthly cohort retention heatmap: per month of first purchase (in the shop's zone), the share
// of the cohort who bought again n months later. Month 0 is the cohort itself (100% by definition)
// and is shown as the cohort's size instead; months not reached yet are empty, not 0%. Pure.
import { formatShopDateTime } from "../../lib/shop-time";
import { formatCount, formatShare } from "./dashboard-format";

export interface CohortCellRow {
  /** YYYY-MM-01 */
  cohortMonth: string;
  monthOffset: number;
  cohortSize: number;
  activeCustomers: number;
  computedAt: Date;
}

export const HEATMAP_LEVELS = 5;
/**
 * Cohorts this small do not set the shading's scale: one returning customer of a cohort of one is
 * 100% and would wash out every real cohort. Their cells are still shaded, clamped to the top.
 */
export const MIN_COHORT_FOR_SCALE = 10;

export interface CohortHeatmap {
  offsets: number[];
  rows: {
    cohort: string;
    customers: string;
    cells: ({ share: string; customers: string; level: number } | null)[];
  }[];
  /** What each shade means: level 0 is no one, levels 1..5 split 0..the highest share evenly. */
  legend: { level: number; label: string }[];
  computedAt: string | null;
}

const monthIndex = (isoMonth: string) => Number(isoMonth.slice(0, 4)) * 12 + Number(isoMonth.slice(5, 7)) - 1;

function shopMonthIndex(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(at);
  const year = Number(parts.find((part) => part.type === "year")?.value);
  const month = Number(parts.find((part) => part.type === "month")?.value);
  return year * 12 + month - 1;
}

function cohortLabel(isoMonth: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", year: "numeric" }).format(
    new Date(`${isoMonth}T00:00:00Z`),
  );
}

export function heatLevel(share: number, highest: number): number {
  if (share <= 0 || highest <= 0) return 0;
  return Math.min(HEATMAP_LEVELS, Math.max(1, Math.ceil((share / highest) * HEATMAP_LEVELS - 1e-9)));
}

export function cohortHeatmap(cells: readonly CohortCellRow[], runFinishedAt: Date, timeZone: string): CohortHeatmap {
  const byCohort = new Map<string, CohortCellRow[]>();
  for (const cell of cells) byCohort.set(cell.cohortMonth, [...(byCohort.get(cell.cohortMonth) ?? []), cell]);
  const months = [...byCohort.keys()].sort();
  const current = shopMonthIndex(runFinishedAt, timeZone);
  const maxOffset = Math.max(
    0,
    ...months.map((month) => current - monthIndex(month)),
    ...cells.map((c) => c.monthOffset),
  );
  const offsets = Array.from({ length: Math.min(11, maxOffset) }, (_, i) => i + 1);
  const scaleOn = cells.some((cell) => cell.cohortSize >= MIN_COHORT_FOR_SCALE) ? MIN_COHORT_FOR_SCALE : 1;
  let highest = 0;
  for (const cell of cells) {
    if (cell.monthOffset > 0 && cell.cohortSize >= scaleOn)
      highest = Math.max(highest, cell.activeCustomers / cell.cohortSize);
  }
  const rows = months.map((month) => {
    const row = byCohort.get(month)!;
    const size = row[0]?.cohortSize ?? 0;
    const active = new Map(row.map((cell) => [cell.monthOffset, cell.activeCustomers]));
    return {
      cohort: cohortLabel(month),
      customers: formatCount(size),
      cells: offsets.map((offset) => {
        if (monthIndex(month) + offset > current) return null;
        const customers = active.get(offset) ?? 0;
        const share = size > 0 ? customers / size : 0;
        return { share: formatShare(share), customers: formatCount(customers), level: heatLevel(share, highest) };
      }),
    };
  });
  const legend = Array.from({ length: highest > 0 ? HEATMAP_LEVELS + 1 : 1 }, (_, level) => ({
    level,
    label:
      level === 0
        ? "0%"
        : level === HEATMAP_LEVELS
          ? `${formatShare((highest * (level - 1)) / HEATMAP_LEVELS)} and more`
          : `${formatShare((highest * (level - 1)) / HEATMAP_LEVELS)}–${formatShare((highest * level) / HEATMAP_LEVELS)}`,
  }));
  const latest = cells.reduce<Date | null>((at, cell) => (!at || cell.computedAt > at ? cell.computedAt : at), null);
  return { offsets, rows, legend, computedAt: latest ? formatShopDateTime(latest, timeZone) : null };
}
