// The KPI cards: one set per period (last 30, 90, 365 days, all time), each figure beside the
// same figure of the period just before when an earlier run recorded it. Pure.
import { formatShopDateTime } from "../../lib/shop-time";
import { formatMoney } from "../money/money";
import { bigShare, formatCount, formatDecimal, formatShare } from "./dashboard-format";

/** What the dashboard needs of a kpi_snapshots row. */
export interface KpiSnapshotRow {
  period: string;
  periodStart: Date | null;
  periodEnd: Date;
  customers: number;
  newCustomers: number;
  returningCustomers: number;
  orders: number;
  revenueMinor: bigint;
  repeatPurchaseRate: number;
  purchaseFrequency: number;
  averageOrderValueMinor: bigint;
  revenuePerCustomerMinor: bigint;
  churnRate: number | null;
  averageClvMinor: bigint | null;
  totalClvMinor: bigint | null;
  computedAt: Date;
}

export interface KpiCard {
  key: string;
  label: string;
  value: string;
  help: string;
  /** "+12.5%" or "−3 pts" against the previous period; null without one. */
  change: null | { label: string; previous: string; tone: "success" | "critical" | "neutral" };
}

export interface KpiPeriod {
  period: string;
  label: string;
  range: string;
  computedAt: string;
  comparedWith: string | null;
  cards: KpiCard[];
}

const PERIOD_LABELS: Record<string, string> = {
  last_30_days: "Last 30 days",
  last_90_days: "Last 90 days",
  last_365_days: "Last 365 days",
  all_time: "All time",
};
const PERIOD_ORDER = ["last_30_days", "last_90_days", "last_365_days", "all_time"];

interface Figure {
  key: string;
  label: string;
  help: string;
  /** A number for relative change, or a share for a change in percentage points. */
  value: (k: KpiSnapshotRow) => number | bigint | null;
  format: (value: number | bigint, currency: string) => string;
  kind: "relative" | "points";
  /** Whether a rise is good news (churn is not). */
  higherIsBetter: boolean;
}

const money = (value: number | bigint, currency: string) => formatMoney(BigInt(value), currency);
const count = (value: number | bigint) => formatCount(Number(value));

const FIGURES: Figure[] = [
  {
    key: "customers",
    label: "Customers",
    help: "Bought in the period",
    value: (k) => k.customers,
    format: count,
    kind: "relative",
    higherIsBetter: true,
  },
  {
    key: "newCustomers",
    label: "New customers",
    help: "First purchase in the period",
    value: (k) => k.newCustomers,
    format: count,
    kind: "relative",
    higherIsBetter: true,
  },
  {
    key: "returningCustomers",
    label: "Returning customers",
    help: "Bought again after an earlier purchase",
    value: (k) => k.returningCustomers,
    format: count,
    kind: "relative",
    higherIsBetter: true,
  },
  {
    key: "revenue",
    label: "Revenue",
    help: "Net of refunds, cancelled orders left out",
    value: (k) => k.revenueMinor,
    format: money,
    kind: "relative",
    higherIsBetter: true,
  },
  {
    key: "orders",
    label: "Orders",
    help: "Orders placed in the period",
    value: (k) => k.orders,
    format: count,
    kind: "relative",
    higherIsBetter: true,
  },
  {
    key: "averageOrderValue",
    label: "Average order value",
    help: "Revenue per order",
    value: (k) => k.averageOrderValueMinor,
    format: money,
    kind: "relative",
    higherIsBetter: true,
  },
  {
    key: "repeatPurchaseRate",
    label: "Repeat purchase rate",
    help: "Share of the period's customers who placed two orders or more in it",
    value: (k) => k.repeatPurchaseRate,
    format: (v) => formatShare(Number(v)),
    kind: "points",
    higherIsBetter: true,
  },
  {
    key: "purchaseFrequency",
    label: "Purchase frequency",
    help: "Orders per customer",
    value: (k) => k.purchaseFrequency,
    format: (v) => formatDecimal(Number(v)),
    kind: "relative",
    higherIsBetter: true,
  },
  {
    key: "revenuePerCustomer",
    label: "Revenue per customer",
    help: "Revenue divided by customers",
    value: (k) => k.revenuePerCustomerMinor,
    format: money,
    kind: "relative",
    higherIsBetter: true,
  },
  {
    key: "churnRate",
    label: "Churn rate",
    help: "Buyers of the period before who did not come back",
    value: (k) => k.churnRate,
    format: (v) => formatShare(Number(v)),
    kind: "points",
    higherIsBetter: false,
  },
  {
    key: "averageClv",
    label: "Average predicted CLV",
    help: "Per scored customer, over the CLV horizon",
    value: (k) => k.averageClvMinor,
    format: money,
    kind: "relative",
    higherIsBetter: true,
  },
  {
    key: "totalClv",
    label: "Total predicted CLV",
    help: "All scored customers, over the CLV horizon",
    value: (k) => k.totalClvMinor,
    format: money,
    kind: "relative",
    higherIsBetter: true,
  },
];

function change(
  figure: Figure,
  current: number | bigint,
  previous: number | bigint,
  currency: string,
): KpiCard["change"] {
  const previousLabel = figure.format(previous, currency);
  let label: string;
  let direction: number;
  if (figure.kind === "points") {
    const points = (Number(current) - Number(previous)) * 100;
    direction = Math.sign(Math.round(points * 10));
    label = `${points > 0 ? "+" : points < 0 ? "−" : "±"}${formatDecimal(Math.abs(points), 1)} pts`;
  } else {
    const share =
      typeof current === "bigint" || typeof previous === "bigint"
        ? bigShare(BigInt(current) - BigInt(previous), BigInt(previous))
        : Number(previous) > 0
          ? (Number(current) - Number(previous)) / Number(previous)
          : null;
    if (share === null) return { label: "new", previous: previousLabel, tone: "neutral" };
    direction = Math.sign(Math.round(share * 1000));
    label = `${share > 0 ? "+" : share < 0 ? "−" : "±"}${formatShare(Math.abs(share))}`;
  }
  const good = figure.higherIsBetter ? direction > 0 : direction < 0;
  return { label, previous: previousLabel, tone: direction === 0 ? "neutral" : good ? "success" : "critical" };
}

function formatDay(day: Date): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" }).format(
    day,
  );
}

export function kpiPeriods(
  snapshots: readonly KpiSnapshotRow[],
  previous: readonly KpiSnapshotRow[],
  shop: { currencyCode: string; timeZone: string },
): KpiPeriod[] {
  const sorted = [...snapshots].sort((a, b) => PERIOD_ORDER.indexOf(a.period) - PERIOD_ORDER.indexOf(b.period));
  return sorted.map((snapshot) => {
    const before = previous.find((row) => row.period === snapshot.period) ?? null;
    const cards = FIGURES.flatMap((figure): KpiCard[] => {
      const value = figure.value(snapshot);
      if (value === null) return [];
      const previousValue = before ? figure.value(before) : null;
      return [
        {
          key: figure.key,
          label: figure.label,
          help: figure.help,
          value: figure.format(value, shop.currencyCode),
          change: previousValue === null ? null : change(figure, value, previousValue, shop.currencyCode),
        },
      ];
    });
    return {
      period: snapshot.period,
      label: PERIOD_LABELS[snapshot.period] ?? snapshot.period,
      range: snapshot.periodStart
        ? `${formatDay(snapshot.periodStart)} – ${formatDay(snapshot.periodEnd)}`
        : `Up to ${formatDay(snapshot.periodEnd)}`,
      computedAt: formatShopDateTime(snapshot.computedAt, shop.timeZone),
      comparedWith: before?.periodStart ? `${formatDay(before.periodStart)} – ${formatDay(before.periodEnd)}` : null,
      cards,
    };
  });
}
