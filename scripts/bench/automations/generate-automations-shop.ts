// A large shop for the automations bench, generated in SQL (generate_series): customers with
// orders spread over three years, scores, loyalty members with birthdays, and one night's worth
// of events: stage transitions, segment changes, tier changes, points-expiry notices, survey
// answers, churn bands crossing, first and second orders today, dormancy thresholds crossed.
import type { PrismaClient } from "../../../app/db.server";

export async function generateAutomationsShop(db: PrismaClient, domain: string, customers: number) {
  const shop = await db.shop.create({
    data: { domain, name: "Automations bench", currencyCode: "EUR", ianaTimezone: "Europe/Berlin" },
  });
  const s = shop.id;
  const run = (sql: string) => db.$executeRawUnsafe(sql);
  await run(`
    INSERT INTO customers (shop_id, shopify_id, first_name, last_name, email, tags, email_consent,
      shopify_created_at, shopify_updated_at, first_order_at, last_order_at, orders_count, net_spent_minor,
      gross_spent_minor, updated_at)
    SELECT ${s}, 1000000000000 + g, 'C' || g, 'Bench', 'c' || g || '@example.com',
      CASE WHEN g % 10 = 3 THEN ARRAY['VIP'] ELSE ARRAY[]::text[] END,
      CASE WHEN g % 3 = 0 THEN 'SUBSCRIBED' ELSE 'NOT_SUBSCRIBED' END,
      now() - interval '1100 days', now(), now() - interval '1100 days',
      -- whole days ago from 0 to 999, then up to 23 hours more: one in a thousand ordered today
      now() - make_interval(days => ((g::bigint * 7919) % 1000)::int, mins => ((g::bigint * 31) % 1380)::int),
      1 + (g / 7) % 5, (g % 200) * 1000, (g % 200) * 1000, now()
    FROM generate_series(1, ${customers}) g`);
  const first = (
    await db.$queryRawUnsafe<{ id: bigint }[]>(`SELECT min(id) AS id FROM customers WHERE shop_id = ${s}`)
  )[0]!.id;
  const g = `(c.id - ${first} + 1)`;
  await run(`
    INSERT INTO customer_scores (customer_id, shop_id, run_id, recency_days, purchase_days, net_spent_minor, r_score,
      f_score, m_score, rfm_segment, frequency, recency, t, monetary_value, p_alive, churn_risk, clv_minor,
      lifecycle_stage, computed_at)
    SELECT c.id, ${s}, 2, 10, 2, c.net_spent_minor, 3, 3, 3,
      (ARRAY['Champions','Loyal','Potential loyalist','New customers','At risk','Can''t lose them','Hibernating','Lost'])[1 + ${g} % 8],
      1, 10, 300, 2500, 0.5, (ARRAY['low','medium','high'])[1 + ${g} % 3], c.net_spent_minor,
      (ARRAY['new','growing','loyal','at_risk','churned'])[1 + ${g} % 5], now()
    FROM customers c WHERE c.shop_id = ${s}`);
  // Last night's bands: one in 200 was lower, so it crosses tonight.
  await run(`
    INSERT INTO automation_churn_bands (customer_id, shop_id, band)
    SELECT s.customer_id, s.shop_id, CASE WHEN (s.customer_id - ${first} + 1) % 200 = 0 THEN 'low' ELSE s.churn_risk END
    FROM customer_scores s WHERE s.shop_id = ${s}`);
  await run(`
    INSERT INTO loyalty_members (shop_id, customer_id, referral_code, birthday_month, birthday_day, points_balance, updated_at)
    SELECT ${s}, c.id, 'R' || ${g}, 1 + ${g} % 12, 1 + (${g} / 12) % 28, ${g} % 500, now()
    FROM customers c WHERE c.shop_id = ${s}`);
  await run(`
    INSERT INTO lifecycle_transitions (shop_id, customer_id, from_stage, to_stage, at, run_id)
    SELECT ${s}, c.id, 'growing', (ARRAY['at_risk','churned','loyal'])[1 + ${g} % 3], now() - interval '1 hour', 2
    FROM customers c WHERE c.shop_id = ${s} AND ${g} % 200 = 1`);
  const segments = [];
  for (const name of ["Fans", "Big spenders"])
    segments.push(
      await db.segment.create({
        data: {
          shopId: s,
          name,
          handle: `kinship-${name.toLowerCase().replace(" ", "-")}`,
          filter: { combinator: "and", conditions: [] },
        },
      }),
    );
  await run(`
    INSERT INTO segment_membership_changes (shop_id, segment_id, customer_id, change, at)
    SELECT ${s}, CASE WHEN (${g} / 300) % 2 = 0 THEN ${segments[0]!.id} ELSE ${segments[1]!.id} END, c.id,
      CASE WHEN (${g} / 600) % 2 = 0 THEN 'entered' ELSE 'left' END, now() - interval '1 hour'
    FROM customers c WHERE c.shop_id = ${s} AND ${g} % 300 = 2`);
  await run(`
    INSERT INTO loyalty_events (shop_id, member_id, kind, payload, idempotency_key, created_at)
    SELECT ${s}, m.id, 'tier_changed',
      jsonb_build_object('change', CASE WHEN (${g} / 500) % 2 = 0 THEN 'upgrade' ELSE 'downgrade' END, 'toTierId', 1),
      'tier_changed:' || m.id, now() - interval '1 hour'
    FROM customers c JOIN loyalty_members m ON m.customer_id = c.id WHERE c.shop_id = ${s} AND ${g} % 500 = 3`);
  await run(`
    INSERT INTO loyalty_events (shop_id, member_id, kind, payload, idempotency_key, created_at)
    SELECT ${s}, m.id, 'points_expiring', jsonb_build_object('points', 40), 'points_expiring:' || m.id, now() - interval '1 hour'
    FROM customers c JOIN loyalty_members m ON m.customer_id = c.id WHERE c.shop_id = ${s} AND ${g} % 300 = 4`);
  await run(`
    INSERT INTO survey_responses (shop_id, customer_id, order_shopify_id, kind, score, channel, answered_at)
    SELECT ${s}, c.id, ${g}, CASE WHEN (${g} / 1000) % 2 = 0 THEN 'nps' ELSE 'csat' END,
      CASE WHEN (${g} / 1000) % 2 = 0 THEN (${g} / 1000) % 11 ELSE 1 + (${g} / 1000) % 5 END, 'link', now() - interval '1 hour'
    FROM customers c WHERE c.shop_id = ${s} AND ${g} % 1000 = 5`);
  await run(`ANALYZE`);
  return { shopId: s, segmentIds: segments.map((seg) => seg.id) };
}
