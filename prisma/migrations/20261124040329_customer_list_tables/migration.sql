-- The Customers list's read model: per shop, one narrow table customer_lists.shop_<id> of the
-- shop's live customers with every filterable and sortable field of customers, customer_scores and
-- loyalty_members, and covering (sort key, id) indexes, so any single filter with any sort walks
-- one index without touching the heap (app/crm/customers/customer-list-rows.repository.server.ts).
-- Built in bulk (CREATE TABLE AS, then indexes) and swapped in after analytics runs and imports;
-- between builds, row triggers on the three base tables patch it, and record the customers they
-- touched while a build is under way so the swap can re-apply them.
CREATE SCHEMA IF NOT EXISTS customer_lists;

CREATE TABLE customer_lists.rebuilds (
  shop_id int PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
  started_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE customer_lists.pending (
  shop_id int NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  customer_id bigint NOT NULL,
  PRIMARY KEY (shop_id, customer_id)
);

-- One shop's rows as the list shows them (all of them when p_ids is NULL).
CREATE FUNCTION customer_lists.source_rows(p_shop int, p_ids bigint[])
RETURNS TABLE (
  customer_id bigint, shopify_id bigint, first_name text, last_name text, email text,
  country_code text, tags text[], email_consent text, sms_consent text, orders_count int,
  net_spent_minor bigint, last_order_at timestamptz, has_score boolean, rfm_segment text,
  cluster smallint, lifecycle_stage text, churn_risk text, clv_minor bigint, points_balance int,
  tier_id int)
LANGUAGE sql STABLE AS $$
  SELECT c.id, c.shopify_id, c.first_name, c.last_name, c.email, c.country_code, c.tags,
    c.email_consent, c.sms_consent, c.orders_count, c.net_spent_minor, c.last_order_at,
    s.customer_id IS NOT NULL, s.rfm_segment, s.cluster, s.lifecycle_stage, s.churn_risk,
    s.clv_minor, COALESCE(m.points_balance, 0), m.tier_id
  FROM public.customers c
  LEFT JOIN public.customer_scores s ON s.customer_id = c.id
  LEFT JOIN public.loyalty_members m ON m.customer_id = c.id
  WHERE c.shop_id = p_shop AND (p_ids IS NULL OR c.id = ANY (p_ids))
    AND c.deleted_at IS NULL AND c.redacted_at IS NULL
$$;

-- Brings the shop's list rows of these customers up to date (insert, update or delete).
CREATE FUNCTION customer_lists.apply(p_shop int, p_ids bigint[], p_table text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format(
    'DELETE FROM customer_lists.%I r WHERE r.customer_id = ANY ($2)
       AND NOT EXISTS (SELECT 1 FROM customer_lists.source_rows($1, $2) s WHERE s.customer_id = r.customer_id)',
    p_table) USING p_shop, p_ids;
  EXECUTE format(
    'INSERT INTO customer_lists.%I AS r SELECT * FROM customer_lists.source_rows($1, $2)
     ON CONFLICT (customer_id) DO UPDATE SET
       shopify_id = EXCLUDED.shopify_id, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
       email = EXCLUDED.email, country_code = EXCLUDED.country_code, tags = EXCLUDED.tags,
       email_consent = EXCLUDED.email_consent, sms_consent = EXCLUDED.sms_consent,
       orders_count = EXCLUDED.orders_count, net_spent_minor = EXCLUDED.net_spent_minor,
       last_order_at = EXCLUDED.last_order_at, has_score = EXCLUDED.has_score,
       rfm_segment = EXCLUDED.rfm_segment, cluster = EXCLUDED.cluster,
       lifecycle_stage = EXCLUDED.lifecycle_stage, churn_risk = EXCLUDED.churn_risk,
       clv_minor = EXCLUDED.clv_minor, points_balance = EXCLUDED.points_balance, tier_id = EXCLUDED.tier_id
     WHERE r IS DISTINCT FROM EXCLUDED',
    p_table) USING p_shop, p_ids;
END $$;

-- The row triggers' work: under the shop's shared lock (a swap takes it exclusively), note the
-- customer while a build is under way, and patch the current table if the shop has one.
CREATE FUNCTION customer_lists.patch(p_shop int, p_customer bigint)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(1801, p_shop);
  IF EXISTS (SELECT 1 FROM customer_lists.rebuilds WHERE shop_id = p_shop) THEN
    INSERT INTO customer_lists.pending (shop_id, customer_id) VALUES (p_shop, p_customer)
    ON CONFLICT DO NOTHING;
  END IF;
  IF to_regclass(format('customer_lists.%I', 'shop_' || p_shop)) IS NOT NULL THEN
    PERFORM customer_lists.apply(p_shop, ARRAY[p_customer], 'shop_' || p_shop);
  END IF;
END $$;

CREATE FUNCTION customer_lists.on_customer_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM customer_lists.patch(OLD.shop_id, OLD.id);
  ELSE
    PERFORM customer_lists.patch(NEW.shop_id, NEW.id);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION customer_lists.on_customer_part_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM customer_lists.patch(OLD.shop_id, OLD.customer_id);
  ELSE
    PERFORM customer_lists.patch(NEW.shop_id, NEW.customer_id);
  END IF;
  RETURN NULL;
END $$;

-- Bulk writers (the nightly scores, the history import) SET LOCAL kinship.customer_list_patch
-- = 'off' and rebuild afterwards; updates that change none of the list's fields are skipped.
CREATE TRIGGER customer_list_insert_delete AFTER INSERT OR DELETE ON customers FOR EACH ROW
  WHEN (current_setting('kinship.customer_list_patch', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION customer_lists.on_customer_change();
CREATE TRIGGER customer_list_update AFTER UPDATE ON customers FOR EACH ROW
  WHEN (current_setting('kinship.customer_list_patch', true) IS DISTINCT FROM 'off'
    AND (OLD.shopify_id, OLD.first_name, OLD.last_name, OLD.email, OLD.country_code, OLD.tags,
         OLD.email_consent, OLD.sms_consent, OLD.orders_count, OLD.net_spent_minor, OLD.last_order_at,
         OLD.deleted_at, OLD.redacted_at)
    IS DISTINCT FROM (NEW.shopify_id, NEW.first_name, NEW.last_name, NEW.email, NEW.country_code, NEW.tags,
         NEW.email_consent, NEW.sms_consent, NEW.orders_count, NEW.net_spent_minor, NEW.last_order_at,
         NEW.deleted_at, NEW.redacted_at))
  EXECUTE FUNCTION customer_lists.on_customer_change();

CREATE TRIGGER customer_list_insert_delete AFTER INSERT OR DELETE ON customer_scores FOR EACH ROW
  WHEN (current_setting('kinship.customer_list_patch', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION customer_lists.on_customer_part_change();
CREATE TRIGGER customer_list_update AFTER UPDATE ON customer_scores FOR EACH ROW
  WHEN (current_setting('kinship.customer_list_patch', true) IS DISTINCT FROM 'off'
    AND (OLD.rfm_segment, OLD.cluster, OLD.lifecycle_stage, OLD.churn_risk, OLD.clv_minor)
    IS DISTINCT FROM (NEW.rfm_segment, NEW.cluster, NEW.lifecycle_stage, NEW.churn_risk, NEW.clv_minor))
  EXECUTE FUNCTION customer_lists.on_customer_part_change();

CREATE TRIGGER customer_list_insert_delete AFTER INSERT OR DELETE ON loyalty_members FOR EACH ROW
  WHEN (current_setting('kinship.customer_list_patch', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION customer_lists.on_customer_part_change();
CREATE TRIGGER customer_list_update AFTER UPDATE ON loyalty_members FOR EACH ROW
  WHEN (current_setting('kinship.customer_list_patch', true) IS DISTINCT FROM 'off'
    AND (OLD.points_balance, OLD.tier_id) IS DISTINCT FROM (NEW.points_balance, NEW.tier_id))
  EXECUTE FUNCTION customer_lists.on_customer_part_change();

-- A deleted shop takes its list table with it (before its customers' cascade, so the row
-- triggers find no table to patch).
CREATE FUNCTION customer_lists.on_shop_delete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  EXECUTE format('DROP TABLE IF EXISTS customer_lists.%I', 'shop_' || OLD.id);
  RETURN OLD;
END $$;
CREATE TRIGGER customer_list_drop BEFORE DELETE ON shops FOR EACH ROW
  EXECUTE FUNCTION customer_lists.on_shop_delete();

-- Inside withShop (role kinship_app) the list is read too; each table's policy limits it to its shop.
GRANT USAGE ON SCHEMA customer_lists TO kinship_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA customer_lists GRANT SELECT ON TABLES TO kinship_app;
