// The adjust-points admin action: a staff adjustment booked through the loyalty admin form (its
// validation, ledger idempotency on the request id, Shopify sync), with a `points.adjusted` staff
// audit entry written once, when the adjustment is booked.
import { recordStaffAction } from "../audit/staff-audit.repository.server";
import type { StaffMember } from "../audit/staff-member";
import { adjustMemberForm } from "../loyalty/loyalty-member-admin.server";
import type { LoyaltyDeps } from "../loyalty/loyalty-service-deps";
import { parseAdjustPointsRequest, type AdjustPointsResponse } from "./adjust-points-request";
import { findCustomerInsightsRow } from "./customer-insights-row.repository.server";

export type AdjustPointsOutcome =
  { status: 200 | 400; body: AdjustPointsResponse } | { status: 404; body: { ok: false; error: "not_found" } };

export async function adjustPointsFromAdmin(
  deps: LoyaltyDeps,
  input: { shopDomain: string; staff: StaffMember; body: unknown },
): Promise<AdjustPointsOutcome> {
  const parsed = parseAdjustPointsRequest(input.body);
  if (!parsed.ok) return { status: 400, body: parsed };
  // A customer this shop does not hold is not found, whoever holds it: nothing of it is told.
  const row = await findCustomerInsightsRow(deps.db, { shopDomain: input.shopDomain }, parsed.customerShopifyId);
  if (!row) return { status: 404, body: { ok: false, error: "not_found" } };
  if (!row.member) {
    return { status: 400, body: { ok: false, errors: { form: "This customer is not a loyalty member" } } };
  }
  const outcome = await adjustMemberForm(deps, {
    shopDomain: input.shopDomain,
    customerShopifyId: parsed.customerShopifyId,
    staff: input.staff,
    values: parsed.values,
    onBooked: (booked) =>
      recordStaffAction(deps.db, {
        shopId: booked.shopId,
        staff: input.staff,
        action: "points.adjusted",
        customerId: booked.customerId,
        details: { points: booked.points, reason: booked.reason, source: "admin_action" },
      }),
  });
  return outcome.ok
    ? { status: 200, body: { ok: true, message: outcome.message } }
    : { status: 400, body: { ok: false, errors: outcome.errors } };
}
