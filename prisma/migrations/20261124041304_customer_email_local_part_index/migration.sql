-- Search by a whole or partial e-mail address ("ann@exa"): the local part reversed, so "ends
-- with ann" is a prefix range, per shop (customer-filter-sql.ts emailContainsSql). Trigrams find
-- such a text only slowly: every address shares "com", "mai", "exa", … An expression index
-- Prisma's schema cannot describe; prisma/migrations.integration.test.ts lists it as such.
CREATE INDEX customers_email_local_reversed_idx
  ON customers (shop_id, reverse(lower(split_part(email, '@', 1))) text_pattern_ops);
