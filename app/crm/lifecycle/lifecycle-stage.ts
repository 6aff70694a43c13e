// Lifecycle stages, checked in this order (days are whole days; orders are distinct purchase days):
//   churned  — last order more than 365 days ago, or P(alive) < 0.2
//   at_risk  — last order more than 180 days ago, or P(alive) < 0.5
//   new      — one order only (placed within the last 180 days, else a rule above applied)
//   loyal    — 3 or more orders and a first order at least 180 days ago
//   growing  — everyone else: a second or third order, recently
// Recency rules apply whatever P(alive) says because BG/NBD gives every one-time buyer P(alive) = 1.
// Without a fitted model (P(alive) null) only the recency rules decide churn and risk.

export const LIFECYCLE_STAGES = ["new", "growing", "loyal", "at_risk", "churned"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const LIFECYCLE_RULES = {
  churnedAfterDays: 365,
  atRiskAfterDays: 180,
  churnedBelowPAlive: 0.2,
  atRiskBelowPAlive: 0.5,
  loyalFromOrders: 3,
  loyalAfterDaysSinceFirst: 180,
} as const;

export function lifecycleStage(customer: {
  ordersCount: number;
  daysSinceLastOrder: number | null;
  daysSinceFirstOrder: number | null;
  pAlive: number | null;
}): LifecycleStage | null {
  const { ordersCount, daysSinceLastOrder, daysSinceFirstOrder, pAlive } = customer;
  if (ordersCount <= 0 || daysSinceLastOrder === null) return null;
  const rules = LIFECYCLE_RULES;
  const knownPAlive = pAlive !== null && Number.isFinite(pAlive) ? pAlive : null;
  if (daysSinceLastOrder > rules.churnedAfterDays || (knownPAlive !== null && knownPAlive < rules.churnedBelowPAlive)) {
    return "churned";
  }
  if (daysSinceLastOrder > rules.atRiskAfterDays || (knownPAlive !== null && knownPAlive < rules.atRiskBelowPAlive)) {
    return "at_risk";
  }
  if (ordersCount === 1) return "new";
  const sinceFirst = daysSinceFirstOrder ?? daysSinceLastOrder;
  if (ordersCount >= rules.loyalFromOrders && sinceFirst >= rules.loyalAfterDaysSinceFirst) return "loyal";
  return "growing";
}
