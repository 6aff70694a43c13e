-- The shop_scope policies say the same thing in a form the planner does not count twice.
--
-- Every query of ours already filters on its shop_id; PostgreSQL multiplies that filter's
-- selectivity by the policy's, as if the two were independent. `shop_id = <setting> OR
-- <setting> = 'on'` was estimated to keep about 1% of the rows, so in scope a batch's rows of a
-- shop were estimated at a handful, and the planner chose nested loops that re-read an UNNEST
-- of the batch for each of the shop's orders: the ingest's line-item writes took 60-100 ms
-- instead of 2 ms (npm run bench:worker-scope, on tables without statistics). A CASE is
-- estimated as a plain condition, which leaves the plan to the query's own filters. Rows kept
-- are exactly the same: every shop_id equal to kinship.shop_id, or every row with
-- kinship.all_shops = 'on', and none when neither is set.
DO $$
DECLARE
  walled regclass;
  rule text := $rule$
    CASE WHEN current_setting('kinship.all_shops', true) = 'on' THEN true
         ELSE shop_id = nullif(current_setting('kinship.shop_id', true), '')::int END
  $rule$;
BEGIN
  FOR walled IN SELECT polrelid::regclass FROM pg_policy WHERE polname = 'shop_scope'
  LOOP
    EXECUTE format('ALTER POLICY shop_scope ON %s USING (%s) WITH CHECK (%s)', walled, rule, rule);
  END LOOP;
END
$$;
