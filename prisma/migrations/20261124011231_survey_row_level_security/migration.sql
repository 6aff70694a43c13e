-- The survey answers join the row-level-security wall of 20261124010540_tenant_row_level_security
-- (same policies: kinship_app sees only the shop in `kinship.shop_id`, or every shop with
-- `kinship.all_shops = 'on'`; the owning connection keeps its explicit unscoped policy).
ALTER TABLE "survey_responses" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "survey_responses" FORCE ROW LEVEL SECURITY;
CREATE POLICY shop_scope ON "survey_responses" TO kinship_app
  USING (shop_id = nullif(current_setting('kinship.shop_id', true), '')::int
         OR current_setting('kinship.all_shops', true) = 'on')
  WITH CHECK (shop_id = nullif(current_setting('kinship.shop_id', true), '')::int
         OR current_setting('kinship.all_shops', true) = 'on');
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_unscoped ON "survey_responses" TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
