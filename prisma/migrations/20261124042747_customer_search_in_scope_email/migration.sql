-- kinship_customer_ids_matching (20261124040615) with searchSql's e-mail rule
-- (customer-filter-sql.ts emailContainsSql): a text with one "@" after at least one character
-- matches addresses whose local part ends with what precedes the @ and whose domain starts with
-- what follows, through customers_email_local_reversed_idx; trigrams, which every address shares
-- ("com", "exa", …), made a whole address the slowest search of all.
CREATE OR REPLACE FUNCTION public.kinship_customer_ids_matching(search text)
RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  scope_shop int := nullif(current_setting('kinship.shop_id', true), '')::int;
  contains text;
  heads text[] := '{}';
  tails text[] := '{}';
  at_position int := strpos(search, '@');
  local_end text;
  domain_start text;
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
  IF at_position > 1 AND strpos(substr(search, at_position + 1), '@') = 0 THEN
    local_end := replace(replace(replace(reverse(lower(left(search, at_position - 1))), '\', '\\'), '%', '\%'), '_', '\_') || '%';
    domain_start := replace(replace(replace(lower(substr(search, at_position + 1)), '\', '\\'), '%', '\%'), '_', '\_') || '%';
  END IF;
  RETURN QUERY
    SELECT c.id FROM public.customers c WHERE c.shop_id = scope_shop AND c.first_name ILIKE contains
    UNION
    SELECT c.id FROM public.customers c WHERE c.shop_id = scope_shop AND c.last_name ILIKE contains
    UNION
    SELECT c.id FROM public.customers c
    WHERE c.shop_id = scope_shop AND local_end IS NULL AND c.email ILIKE contains
    UNION
    SELECT c.id FROM public.customers c
    WHERE c.shop_id = scope_shop AND local_end IS NOT NULL
      AND reverse(lower(split_part(c.email, '@', 1))) LIKE local_end
      AND lower(split_part(c.email, '@', 2)) LIKE domain_start
    UNION
    SELECT name_match.id
    FROM unnest(heads, tails) AS name_split(head, tail)
    CROSS JOIN LATERAL (
      SELECT c.id FROM public.customers c
      WHERE c.shop_id = scope_shop AND c.first_name ILIKE name_split.head AND c.last_name ILIKE name_split.tail
    ) AS name_match;
END
$$;
