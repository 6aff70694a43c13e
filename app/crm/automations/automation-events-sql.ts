// Each trigger as a set-based SQL source of (customer_id, event_key) rows, and the candidates of
// a rule: its events joined with the customer filter (customer-filter-sql.ts, the same compiled
// conditions as the Customers list) and its frequency cap. The event key names the event itself
// (a membership change id, a transition id, the order count, the birthday's year…), so the unique
// (rule_id, event_key, customer_id) of automation_runs makes any re-evaluation insert nothing.
//
// Pure: builds SQL text, runs nothing.
// eslint-disable-next-line no-restricted-imports -- Prisma.sql builds fragments; no query runs here
import { Prisma } from "@prisma/client";

import { shopDay } from "../analytics/shop-day";
import { CUSTOMER_FILTER_FROM, customerFilterWhere } from "../customers/customer-filter-sql";
import type { CustomerFilter } from "../customers/customer-filter";
import type { AutomationTrigger } from "./automation-rule";

export interface EventWindow {
  shopId: number;
  /** Events at or after this instant (the rule's switch-on, or the lookback). */
  since: Date;
  now: Date;
  /** The shop's IANA zone: birthdays are the shop's calendar day. */
  timeZone: string;
}

/** How far back the nightly evaluation looks for events it may have missed (a failed night). */
export const LOOKBACK_DAYS = 7;

const CHURN_RANK = (column: Prisma.Sql) =>
  Prisma.sql`CASE ${column} WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'low' THEN 1 ELSE 0 END`;
const BAND_RANK = { medium: 2, high: 3 } as const;

/** `SELECT customer_id, event_key …` for one trigger. */
export function eventSourceSql(trigger: AutomationTrigger, w: EventWindow): Prisma.Sql {
  switch (trigger.type) {
    case "segment_entered":
    case "segment_left":
      return Prisma.sql`SELECT customer_id, 'segment:' || id AS event_key FROM segment_membership_changes
        WHERE shop_id = ${w.shopId} AND segment_id = ${trigger.segmentId}
          AND change = ${trigger.type === "segment_entered" ? "entered" : "left"} AND at >= ${w.since}`;
    case "lifecycle_changed":
      return Prisma.sql`SELECT customer_id, 'lifecycle:' || id AS event_key FROM lifecycle_transitions
        WHERE shop_id = ${w.shopId} AND at >= ${w.since} AND to_stage = ${trigger.toStage}
          ${trigger.fromStage ? Prisma.sql`AND from_stage = ${trigger.fromStage}` : Prisma.empty}`;
    case "churn_risk_crossed":
      // Against the band the customer had at the previous evaluation (automation_churn_bands);
      // the score's run id keys the event, so one analytics run fires it once.
      return Prisma.sql`SELECT s.customer_id, 'churn:' || s.run_id || ':' || ${trigger.band} AS event_key
        FROM customer_scores s JOIN automation_churn_bands b ON b.customer_id = s.customer_id
        WHERE s.shop_id = ${w.shopId} AND s.computed_at >= ${w.since}
          AND ${CHURN_RANK(Prisma.sql`s.churn_risk`)} >= ${BAND_RANK[trigger.band]}
          AND ${CHURN_RANK(Prisma.sql`b.band`)} < ${BAND_RANK[trigger.band]}`;
    case "tier_changed":
      return Prisma.sql`SELECT lm.customer_id, 'loyalty-event:' || e.id AS event_key
        FROM loyalty_events e JOIN loyalty_members lm ON lm.id = e.member_id
        WHERE e.shop_id = ${w.shopId} AND e.kind = 'tier_changed' AND e.created_at >= ${w.since}
          ${trigger.direction === "any" ? Prisma.empty : Prisma.sql`AND e.payload->>'change' = ${trigger.direction}`}
          ${trigger.tierId === null ? Prisma.empty : Prisma.sql`AND e.payload->>'toTierId' = ${String(trigger.tierId)}`}`;
    case "points_expiring":
      return Prisma.sql`SELECT lm.customer_id, 'loyalty-event:' || e.id AS event_key
        FROM loyalty_events e JOIN loyalty_members lm ON lm.id = e.member_id
        WHERE e.shop_id = ${w.shopId} AND e.kind = 'points_expiring' AND e.created_at >= ${w.since}`;
    case "birthday":
      return birthdaySql(w);
    case "first_order":
    case "nth_order": {
      const n = trigger.type === "first_order" ? 1 : trigger.n;
      return Prisma.sql`SELECT id AS customer_id, ${`orders:${n}`} AS event_key FROM customers
        WHERE shop_id = ${w.shopId} AND orders_count = ${n} AND last_order_at >= ${w.since}`;
    }
    case "survey_answered":
      return Prisma.sql`SELECT customer_id, 'survey:' || id AS event_key FROM survey_responses
        WHERE shop_id = ${w.shopId} AND customer_id IS NOT NULL AND answered_at >= ${w.since}
          AND kind = ${trigger.survey} AND score BETWEEN ${trigger.minScore} AND ${trigger.maxScore}`;
    case "no_order_for_days": {
      // The last order crossed N days ago since the window opened; keyed by that order's time,
      // so one dormant spell fires once and the next order starts a new one.
      const days = trigger.days;
      return Prisma.sql`SELECT id AS customer_id,
          ${`no-order:${days}:`} || (extract(epoch FROM last_order_at) * 1000)::bigint AS event_key
        FROM customers
        WHERE shop_id = ${w.shopId}
          AND last_order_at < ${w.now}::timestamptz - make_interval(days => ${days}::int)
          AND last_order_at >= ${w.since}::timestamptz - make_interval(days => ${days}::int)`;
    }
  }
}

function birthdaySql(w: EventWindow): Prisma.Sql {
  const [year, month, day] = shopDay(w.now, w.timeZone).split("-").map(Number) as [number, number, number];
  // 29 February birthdays are celebrated on 28 February in other years.
  const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
  const days = month === 2 && day === 28 && !leap ? [28, 29] : [day];
  return Prisma.sql`SELECT customer_id, ${`birthday:${year}`} AS event_key FROM loyalty_members
    WHERE shop_id = ${w.shopId} AND birthday_month = ${month} AND birthday_day IN (${Prisma.join(days)})`;
}

export interface CandidateOptions {
  /** Saved rule: skips customers it already ran for within the cap, and events already recorded. */
  ruleId: number | null;
  capDays: number | null;
  /** Only this customer (the real-time path after an order or a survey answer). */
  customerId?: bigint;
}

/** `SELECT customer_id, event_key` of the customers a rule reaches now: one event each. */
export function ruleCandidatesSql(
  rule: { trigger: AutomationTrigger; conditions: CustomerFilter },
  w: EventWindow,
  options: CandidateOptions,
): Prisma.Sql {
  const onlyCustomer = options.customerId === undefined ? Prisma.empty : Prisma.sql`AND c.id = ${options.customerId}`;
  const capped =
    options.ruleId !== null && options.capDays !== null
      ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM automation_runs r WHERE r.rule_id = ${options.ruleId}
          AND r.customer_id = c.id AND r.created_at > ${w.now}::timestamptz - make_interval(days => ${options.capDays}::int))`
      : Prisma.empty;
  const recorded =
    options.ruleId !== null
      ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM automation_runs r WHERE r.rule_id = ${options.ruleId}
          AND r.event_key = e.event_key AND r.customer_id = c.id)`
      : Prisma.empty;
  // One event per customer and evaluation, so a cap cannot be passed twice by one statement.
  return Prisma.sql`SELECT DISTINCT ON (c.id) c.id AS customer_id, e.event_key
    ${CUSTOMER_FILTER_FROM}
    JOIN (${eventSourceSql(rule.trigger, w)}) e ON e.customer_id = c.id
    WHERE ${customerFilterWhere(w.shopId, rule.conditions, { timeZone: w.timeZone })} ${onlyCustomer} ${capped} ${recorded}
    ORDER BY c.id, e.event_key`;
}
