-- Customer search that keeps its trigram indexes inside the row-level-security wall.
--
-- Under the shop_scope policy (role kinship_app) PostgreSQL must apply the policy before any
-- condition that is not leakproof, and ILIKE is not: the trigram indexes on first_name, last_name
-- and email go unused and a searched Customers page reads every row of the shop (14-25x slower
-- in bench:tenant-scope). This function runs as its owner (the tables' owner, whose
-- owner_unscoped policy is plain `true`), so the indexes are used again; the shop is the one the
-- caller's scope set in `kinship.shop_id`, never an argument, so a scoped caller still gets only
-- its own shop's customers, and a caller without a scope gets none.
--
-- The matching is the Customers filter's search (searchSql in customer-filter-sql.ts): first name,
-- last name or e-mail contains the text, case-insensitively, or the full name "first last" does
-- (per space in the text: first name ends with the part before it, last name starts with the part
-- after it). Callers use it as `c.id IN (SELECT kinship_customer_ids_matching($text))`.
CREATE FUNCTION public.kinship_customer_ids_matching(search text)
RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
-- Nothing the caller can create is looked up: the catalog first, the caller's temporary schema
-- last, every table named with its schema.
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  scope_shop int := nullif(current_setting('kinship.shop_id', true), '')::int;
  contains text;
  heads text[] := '{}';
  tails text[] := '{}';
BEGIN
  IF scope_shop IS NULL OR search IS NULL THEN
    RETURN;
  END IF;
  contains := '%' || replace(replace(replace(search, '\', '\\'), '%', '\%'), '_', '\_') || '%';
  FOR i IN 1 .. length(search) LOOP
    IF substr(search, i, 1) = ' ' THEN
      heads := heads || ('%' || replace(replace(replace(left(search, i - 1), '\', '\\'), '%', '\%'), '_', '\_'));
      tails := tails || (replace(replace(replace(substr(search, i + 1), '\', '\\'), '%', '\%'), '_', '\_') || '%');
    END IF;
  END LOOP;
  RETURN QUERY
    SELECT c.id FROM public.customers c WHERE c.shop_id = scope_shop AND c.first_name ILIKE contains
    UNION
    SELECT c.id FROM public.customers c WHERE c.shop_id = scope_shop AND c.last_name ILIKE contains
    UNION
    SELECT c.id FROM public.customers c WHERE c.shop_id = scope_shop AND c.email ILIKE contains
    UNION
    -- One index search per space in the text (its parts are known only here, hence LATERAL).
    SELECT name_match.id
    FROM unnest(heads, tails) AS name_split(head, tail)
    CROSS JOIN LATERAL (
      SELECT c.id FROM public.customers c
      WHERE c.shop_id = scope_shop AND c.first_name ILIKE name_split.head AND c.last_name ILIKE name_split.tail
    ) AS name_match;
END
$$;

REVOKE ALL ON FUNCTION public.kinship_customer_ids_matching(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.kinship_customer_ids_matching(text) TO kinship_app;
