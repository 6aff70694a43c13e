-- CreateTable
CREATE TABLE "product_associations" (
    "shop_id" INTEGER NOT NULL,
    "product_shopify_id" BIGINT NOT NULL,
    "rank" SMALLINT NOT NULL,
    "associated_product_shopify_id" BIGINT NOT NULL,
    "associated_title" TEXT NOT NULL,
    "pair_orders" INTEGER NOT NULL,
    "support" DOUBLE PRECISION NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "lift" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "product_associations_pkey" PRIMARY KEY ("shop_id","product_shopify_id","rank")
);

-- CreateTable
CREATE TABLE "recommendation_minings" (
    "shop_id" INTEGER NOT NULL,
    "mined_at" TIMESTAMPTZ(3) NOT NULL,
    "orders_count" INTEGER NOT NULL,
    "products_count" INTEGER NOT NULL,
    "rules_count" INTEGER NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "popular_products" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "recommendation_minings_pkey" PRIMARY KEY ("shop_id")
);

-- CreateTable
CREATE TABLE "customer_recommendation_syncs" (
    "customer_id" BIGINT NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "value" TEXT NOT NULL,
    "synced_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customer_recommendation_syncs_pkey" PRIMARY KEY ("customer_id")
);

-- CreateIndex
CREATE INDEX "customer_recommendation_syncs_shop_id_idx" ON "customer_recommendation_syncs"("shop_id");

-- AddForeignKey
ALTER TABLE "product_associations" ADD CONSTRAINT "product_associations_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendation_minings" ADD CONSTRAINT "recommendation_minings_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_recommendation_syncs" ADD CONSTRAINT "customer_recommendation_syncs_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

