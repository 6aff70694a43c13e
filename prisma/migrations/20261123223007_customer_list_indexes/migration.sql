-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- DropIndex
DROP INDEX "customers_shop_id_last_order_at_idx";

-- DropIndex
DROP INDEX "customers_shop_id_net_spent_minor_idx";

-- CreateIndex
CREATE INDEX "customers_shop_id_last_order_at_id_idx" ON "customers"("shop_id", "last_order_at", "id");

-- CreateIndex
CREATE INDEX "customers_shop_id_net_spent_minor_id_idx" ON "customers"("shop_id", "net_spent_minor", "id");

-- CreateIndex
CREATE INDEX "customers_shop_id_country_code_idx" ON "customers"("shop_id", "country_code");

-- CreateIndex
CREATE INDEX "customers_tags_idx" ON "customers" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "customers_first_name_trgm_idx" ON "customers" USING GIN ("first_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customers_last_name_trgm_idx" ON "customers" USING GIN ("last_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customers_email_trgm_idx" ON "customers" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customer_scores_shop_id_clv_minor_customer_id_idx" ON "customer_scores"("shop_id", "clv_minor", "customer_id");

