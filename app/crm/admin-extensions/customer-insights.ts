// The customer details block's answer from its row: labels as Customer 360 words them, money in
// minor units with the shop currency (the block formats it in the staff member's locale), times in
// the shop's zone. Pure. Type-checked against the extension's own contract.
import type {
  ChurnRiskBand,
  CustomerInsights,
} from "../../../extensions/customer-insights-block/src/customer-insights-data";
import { formatShopDateTime } from "../../lib/shop-time";
import { churnRiskLabel } from "../customer-360/customer-360-view";
import { formatChance } from "../customer-360/p-alive-explanation";
import { lifecycleLabel } from "../dashboard/dashboard-format";
import type { CustomerInsightsRow } from "./customer-insights-row.repository.server";

export type { CustomerInsights };

const BANDS: readonly ChurnRiskBand[] = ["low", "medium", "high", "unknown"];
const bandOf = (value: string): ChurnRiskBand => BANDS.find((band) => band === value) ?? "unknown";

/** Customer 360's path in the app; the admin resolves a relative link against the app's URL. */
export const customer360Path = (customerShopifyId: bigint) => `/app/customers/${customerShopifyId}`;

export function customerInsightsView(row: CustomerInsightsRow): CustomerInsights {
  const { score, member } = row;
  return {
    customerId: row.customerShopifyId.toString(),
    customer360Path: customer360Path(row.customerShopifyId),
    redacted: row.redactedAt !== null,
    scores: score
      ? {
          lifecycleStage: score.lifecycleStage === null ? null : lifecycleLabel(score.lifecycleStage),
          rfmSegment: score.rfmSegment,
          churnRisk: { band: bandOf(score.churnRisk), label: churnRiskLabel(bandOf(score.churnRisk)).label },
          pAlive: score.pAlive === null ? null : formatChance(score.pAlive),
          predictedClv:
            score.clvMinor === null ? null : { minor: score.clvMinor.toString(), currencyCode: row.currencyCode },
          computedAt: formatShopDateTime(score.computedAt, row.ianaTimezone),
        }
      : null,
    loyalty: member
      ? { status: "member", points: member.pointsBalance, tier: member.tierName }
      : row.hasProgram
        ? { status: "not_member" }
        : { status: "no_program" },
  };
}
