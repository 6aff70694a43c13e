-- Row-level security as a second wall behind the `WHERE shop_id = …` in every repository.
--
-- The wall holds for the role `kinship_app`, which owns nothing, so PostgreSQL always applies
-- its policies. Code enters it through withShop()/withAllShops()
-- (app/crm/tenancy/shop-scope.repository.server.ts): a transaction that switches to
-- kinship_app and sets `kinship.shop_id` (or `kinship.all_shops = 'on'` for sweepers and
-- schedulers that span shops on purpose). Inside kinship_app, neither setting means no rows:
-- a scope that was forgotten fails closed.
--
-- The connection's own role (the tables' owner, which ran this migration) keeps unscoped access
-- through the explicit `owner_unscoped` policy below, so paths that have not moved into withShop
-- yet (and the history import's COPY) work as before. FORCE makes that access a visible policy
-- rather than the owner's silent bypass; dropping `owner_unscoped` later closes the legacy path.
-- (A superuser bypasses row-level security whatever the policies say.)

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kinship_app') THEN
    CREATE ROLE kinship_app NOLOGIN;
  END IF;
EXCEPTION
  -- Roles are cluster-wide: parallel test databases may create it at the same moment.
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- The migrating (connection) role must be able to SET ROLE kinship_app inside withShop.
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'kinship_app', 'MEMBER') THEN
    EXECUTE format('GRANT kinship_app TO %I', current_user);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO kinship_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO kinship_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO kinship_app;
-- Tables and sequences that later migrations create are usable inside withShop too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kinship_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO kinship_app;

DO $$
DECLARE
  scoped_table text;
BEGIN
  FOREACH scoped_table IN ARRAY ARRAY[
    'customers', 'orders', 'line_items', 'refunds',
    'loyalty_members', 'loyalty_ledger_entries', 'customer_notes'
  ]
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', scoped_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', scoped_table);
    EXECUTE format(
      'CREATE POLICY shop_scope ON %I TO kinship_app
         USING (shop_id = nullif(current_setting(''kinship.shop_id'', true), '''')::int
                OR current_setting(''kinship.all_shops'', true) = ''on'')
         WITH CHECK (shop_id = nullif(current_setting(''kinship.shop_id'', true), '''')::int
                OR current_setting(''kinship.all_shops'', true) = ''on'')',
      scoped_table
    );
    EXECUTE format('CREATE POLICY owner_unscoped ON %I TO %I USING (true) WITH CHECK (true)', scoped_table, current_user);
  END LOOP;
END
$$;
