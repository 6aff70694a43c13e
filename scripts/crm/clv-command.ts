// `crm clv`: fits BG/NBD and Gamma-Gamma on an order file and predicts each customer's purchases,
// order value and lifetime value, with the same domain code the nightly run uses.
import { expectedPurchases, type PurchaseGroup } from "../../app/crm/clv/bg-nbd";
import { fitClvModels, scoreCustomer } from "../../app/crm/clv/clv-models";
import { PERIOD_DAYS, type Period, summarisePurchases } from "../../app/crm/clv/purchase-summary";
import { formatNumber, formatTable } from "./format-table";
import type { OrderRow } from "./read-orders-csv";

export interface ClvCommandOptions {
  calibrationEnd: Date;
  period: Period;
  horizon: number;
  monthlyDiscountRate: number;
}

export interface ClvReport {
  bgnbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number } | null;
  gammaGamma: { p: number; q: number; v: number } | null;
  fallback?: string;
  customers: {
    customerId: string;
    frequency: number;
    recency: number;
    T: number;
    monetaryValue: number;
    pAlive: number | null;
    expectedPurchases: number | null;
    expectedAverageOrderValue: number | null;
    clv: number | null;
  }[];
}

export function clvReport(orders: readonly OrderRow[], options: ClvCommandOptions): ClvReport {
  const summaries = summarisePurchases(orders, { calibrationEnd: options.calibrationEnd, period: options.period });
  const groups = new Map<string, PurchaseGroup>();
  for (const { frequency, recency, T } of summaries.values()) {
    const key = `${frequency}|${recency}|${T}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { frequency, recency, T, count: 1 });
  }
  const fit = fitClvModels([...groups.values()], [...summaries.values()]);
  const periodDays = PERIOD_DAYS[options.period];
  const scoring = {
    periodDays,
    horizonMonths: (options.horizon * periodDays) / PERIOD_DAYS.month,
    monthlyDiscountRate: options.monthlyDiscountRate,
  };
  const customers = [...summaries].map(([customerId, summary]) => {
    const prediction = scoreCustomer(fit, summary, scoring);
    return {
      customerId,
      ...summary,
      pAlive: prediction.pAlive,
      expectedPurchases:
        fit.kind === "fitted"
          ? expectedPurchases(fit.bgNbd, options.horizon, summary.frequency, summary.recency, summary.T)
          : null,
      expectedAverageOrderValue: prediction.expectedAverageOrderValue,
      clv: prediction.clv,
    };
  });
  if (fit.kind === "fallback") return { bgnbd: null, gammaGamma: null, fallback: fit.reason, customers };
  const { r, alpha, a, b, logLikelihood } = fit.bgNbd;
  const gammaGamma = fit.gammaGamma ? { p: fit.gammaGamma.p, q: fit.gammaGamma.q, v: fit.gammaGamma.v } : null;
  return { bgnbd: { r, alpha, a, b, logLikelihood }, gammaGamma, customers };
}

export function formatClvReport(report: ClvReport, options: ClvCommandOptions): string {
  const lines: string[] = [];
  if (report.bgnbd) {
    const { r, alpha, a, b, logLikelihood } = report.bgnbd;
    lines.push(
      `BG/NBD       r=${r.toFixed(4)} alpha=${alpha.toFixed(4)} a=${a.toFixed(4)} b=${b.toFixed(4)} log-likelihood=${logLikelihood.toFixed(2)}`,
    );
  } else {
    lines.push(`BG/NBD       not fitted: ${report.fallback ?? "unknown reason"}`);
  }
  lines.push(
    report.gammaGamma
      ? `Gamma-Gamma  p=${report.gammaGamma.p.toFixed(4)} q=${report.gammaGamma.q.toFixed(4)} v=${report.gammaGamma.v.toFixed(4)}`
      : "Gamma-Gamma  not fitted (too few repeat customers with spend); order value is each customer's own mean",
  );
  lines.push(
    `${report.customers.length} customers, times in ${options.period}s, horizon ${options.horizon} ${options.period}s, monthly discount rate ${options.monthlyDiscountRate}`,
    "",
  );
  const rows = report.customers.map((c) => [
    c.customerId,
    String(c.frequency),
    formatNumber(c.recency),
    formatNumber(c.T),
    formatNumber(c.monetaryValue),
    formatNumber(c.pAlive, 3),
    formatNumber(c.expectedPurchases, 3),
    formatNumber(c.expectedAverageOrderValue),
    formatNumber(c.clv),
  ]);
  return (
    lines.join("\n") +
    "\n" +
    formatTable(["customer", "x", "t_x", "T", "m", "P(alive)", "E[purchases]", "E[AOV]", "CLV"], rows)
  );
}
