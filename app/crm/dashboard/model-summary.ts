// The model card and the cluster table, read from a run's model_fit and clusters JSON (written
// by app/crm/analytics/run-shop-analytics.server.ts). Parsed leniently: a field the page does not
// recognise is left out rather than breaking the home page. Pure.
import { z } from "zod";

import { formatShopDateTime } from "../../lib/shop-time";
import { formatMoney } from "../money/money";
import { formatCount, formatDecimal, formatParameter, formatShare } from "./dashboard-format";

const finite = z.number().refine(Number.isFinite);
const bgNbdSchema = z.object({
  r: finite,
  alpha: finite,
  a: finite,
  b: finite,
  logLikelihood: finite,
  converged: z.boolean().optional(),
  iterations: z.number().optional(),
});
const gammaGammaSchema = z.object({
  p: finite,
  q: finite,
  v: finite,
  logLikelihood: finite.optional(),
  customers: z.number().optional(),
});
const settingsSchema = z.object({
  periodDays: z.number().optional(),
  clvHorizonMonths: z.number().optional(),
  monthlyDiscountRate: z.number().optional(),
  churnThresholds: z.object({ medium: z.number(), high: z.number() }).optional(),
});
const modelFitSchema = z.union([
  settingsSchema.extend({ kind: z.literal("fitted"), bgNbd: bgNbdSchema, gammaGamma: gammaGammaSchema.nullable() }),
  settingsSchema.extend({ kind: z.literal("fallback"), reason: z.string() }),
]);
const clustersSchema = z.object({
  silhouette: z.number(),
  centroids: z.array(
    z.object({
      cluster: z.number(),
      name: z.string(),
      size: z.number(),
      recencyDays: z.number(),
      frequency: z.number(),
      monetary: z.number(),
      clv: z.number(),
    }),
  ),
});

export interface ParameterRow {
  name: string;
  value: string;
}

export type ModelSummary =
  | {
      kind: "fitted";
      fittedAt: string;
      period: string;
      settings: string;
      churnBands: string;
      bgNbd: { parameters: ParameterRow[]; logLikelihood: string; converged: boolean | null };
      gammaGamma: null | { parameters: ParameterRow[]; logLikelihood: string | null; customers: string | null };
      repeatCustomers: string;
    }
  | { kind: "fallback"; fittedAt: string; reason: string; repeatCustomers: string }
  | { kind: "unknown"; fittedAt: string };

const PERIOD_NAMES: Record<number, string> = { 1: "days", 7: "weeks", 30.4375: "months" };

export function modelSummary(
  modelFit: unknown,
  run: { finishedAt: Date | null; repeatCustomersCount: number },
  timeZone: string,
): ModelSummary {
  const fittedAt = run.finishedAt ? formatShopDateTime(run.finishedAt, timeZone) : "–";
  const repeatCustomers = formatCount(run.repeatCustomersCount);
  const parsed = modelFitSchema.safeParse(modelFit);
  if (!parsed.success) return { kind: "unknown", fittedAt };
  const fit = parsed.data;
  if (fit.kind === "fallback") return { kind: "fallback", fittedAt, reason: fit.reason, repeatCustomers };
  const horizon = fit.clvHorizonMonths ?? 12;
  const discount = fit.monthlyDiscountRate ?? 0.01;
  const bands = fit.churnThresholds ?? { medium: 0.3, high: 0.7 };
  return {
    kind: "fitted",
    fittedAt,
    repeatCustomers,
    period: PERIOD_NAMES[fit.periodDays ?? 7] ?? `${fit.periodDays} days`,
    settings: `${horizon}-month horizon, ${formatShare(discount)} monthly discount rate`,
    churnBands: `churn risk (1 − P(alive)) medium from ${formatDecimal(bands.medium, 2)}, high from ${formatDecimal(bands.high, 2)}`,
    bgNbd: {
      parameters: [
        { name: "r", value: formatParameter(fit.bgNbd.r) },
        { name: "α", value: formatParameter(fit.bgNbd.alpha) },
        { name: "a", value: formatParameter(fit.bgNbd.a) },
        { name: "b", value: formatParameter(fit.bgNbd.b) },
      ],
      logLikelihood: formatDecimal(fit.bgNbd.logLikelihood, 1),
      converged: fit.bgNbd.converged ?? null,
    },
    gammaGamma: fit.gammaGamma && {
      parameters: [
        { name: "p", value: formatParameter(fit.gammaGamma.p) },
        { name: "q", value: formatParameter(fit.gammaGamma.q) },
        { name: "v", value: formatParameter(fit.gammaGamma.v) },
      ],
      logLikelihood: fit.gammaGamma.logLikelihood === undefined ? null : formatDecimal(fit.gammaGamma.logLikelihood, 1),
      customers: fit.gammaGamma.customers === undefined ? null : formatCount(fit.gammaGamma.customers),
    },
  };
}

export interface ClusterSummary {
  name: string;
  customers: string;
  share: string;
  recencyDays: string;
  orders: string;
  spent: string;
  clv: string;
}

/** Centroids in original units (days, purchase days, minor units), largest cluster first. */
export function clusterSummaries(
  clusters: unknown,
  currencyCode: string,
): { silhouette: string; clusters: ClusterSummary[] } | null {
  const parsed = clustersSchema.safeParse(clusters);
  if (!parsed.success || parsed.data.centroids.length === 0) return null;
  const total = parsed.data.centroids.reduce((sum, centroid) => sum + centroid.size, 0);
  return {
    silhouette: formatDecimal(parsed.data.silhouette, 2),
    clusters: [...parsed.data.centroids]
      .sort((a, b) => b.size - a.size)
      .map((centroid) => ({
        name: centroid.name,
        customers: formatCount(centroid.size),
        share: formatShare(total > 0 ? centroid.size / total : null),
        recencyDays: formatCount(Math.round(centroid.recencyDays)),
        orders: formatDecimal(centroid.frequency, 1),
        spent: formatMoney(BigInt(Math.round(centroid.monetary)), currencyCode),
        clv: formatMoney(BigInt(Math.round(centroid.clv)), currencyCode),
      })),
  };
}
