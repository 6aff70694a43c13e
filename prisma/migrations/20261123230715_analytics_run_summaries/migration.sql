-- CreateTable
CREATE TABLE "analytics_run_summaries" (
    "run_id" INTEGER NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,
    "customers" INTEGER NOT NULL,
    "customers_with_orders" INTEGER NOT NULL,
    "repeat_customers" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "net_revenue_minor" BIGINT NOT NULL,
    "figures" JSONB NOT NULL,

    CONSTRAINT "analytics_run_summaries_pkey" PRIMARY KEY ("run_id")
);

-- CreateIndex
CREATE INDEX "analytics_run_summaries_shop_id_computed_at_idx" ON "analytics_run_summaries"("shop_id", "computed_at");

-- AddForeignKey
ALTER TABLE "analytics_run_summaries" ADD CONSTRAINT "analytics_run_summaries_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "analytics_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

