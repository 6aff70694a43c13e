-- CreateTable
CREATE TABLE "customer_scores" (
    "customer_id" BIGINT NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "run_id" INTEGER NOT NULL,
    "recency_days" INTEGER NOT NULL,
    "purchase_days" INTEGER NOT NULL,
    "net_spent_minor" BIGINT NOT NULL,
    "r_score" SMALLINT NOT NULL,
    "f_score" SMALLINT NOT NULL,
    "m_score" SMALLINT NOT NULL,
    "rfm_segment" TEXT NOT NULL,
    "frequency" INTEGER NOT NULL,
    "recency" DOUBLE PRECISION NOT NULL,
    "t" DOUBLE PRECISION NOT NULL,
    "monetary_value" DOUBLE PRECISION NOT NULL,
    "p_alive" DOUBLE PRECISION,
    "churn_risk" TEXT NOT NULL,
    "expected_purchases_30" DOUBLE PRECISION,
    "expected_purchases_90" DOUBLE PRECISION,
    "expected_purchases_365" DOUBLE PRECISION,
    "expected_aov_minor" BIGINT,
    "clv_minor" BIGINT,
    "cluster" SMALLINT,
    "lifecycle_stage" TEXT,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customer_scores_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "analytics_runs" (
    "id" SERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "phase" TEXT NOT NULL DEFAULT 'queued',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "phase_durations" JSONB NOT NULL DEFAULT '{}',
    "customers_count" INTEGER NOT NULL DEFAULT 0,
    "orders_count" INTEGER NOT NULL DEFAULT 0,
    "repeat_customers_count" INTEGER NOT NULL DEFAULT 0,
    "transitions_count" INTEGER NOT NULL DEFAULT 0,
    "model_fit" JSONB,
    "rfm_thresholds" JSONB,
    "clusters" JSONB,
    "error" TEXT,

    CONSTRAINT "analytics_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lifecycle_transitions" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "from_stage" TEXT NOT NULL,
    "to_stage" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "run_id" INTEGER,

    CONSTRAINT "lifecycle_transitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kpi_snapshots" (
    "id" SERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "run_id" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "period_start" DATE,
    "period_end" DATE NOT NULL,
    "customers" INTEGER NOT NULL,
    "new_customers" INTEGER NOT NULL,
    "returning_customers" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "revenue_minor" BIGINT NOT NULL,
    "repeat_purchase_rate" DOUBLE PRECISION NOT NULL,
    "purchase_frequency" DOUBLE PRECISION NOT NULL,
    "average_order_value_minor" BIGINT NOT NULL,
    "revenue_per_customer_minor" BIGINT NOT NULL,
    "churn_rate" DOUBLE PRECISION,
    "average_clv_minor" BIGINT,
    "total_clv_minor" BIGINT,
    "revenue_share_by_segment" JSONB NOT NULL DEFAULT '{}',
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "kpi_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cohort_retention" (
    "shop_id" INTEGER NOT NULL,
    "cohort_month" DATE NOT NULL,
    "month_offset" INTEGER NOT NULL,
    "cohort_size" INTEGER NOT NULL,
    "active_customers" INTEGER NOT NULL,
    "run_id" INTEGER NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cohort_retention_pkey" PRIMARY KEY ("shop_id","cohort_month","month_offset")
);

-- CreateTable
CREATE TABLE "analytics_settings" (
    "shop_id" INTEGER NOT NULL,
    "monthly_discount_rate" DOUBLE PRECISION NOT NULL DEFAULT 0.01,
    "clv_horizon_months" INTEGER NOT NULL DEFAULT 12,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "analytics_settings_pkey" PRIMARY KEY ("shop_id")
);

-- CreateIndex
CREATE INDEX "customer_scores_shop_id_idx" ON "customer_scores"("shop_id");

-- CreateIndex
CREATE INDEX "analytics_runs_shop_id_started_at_idx" ON "analytics_runs"("shop_id", "started_at");

-- CreateIndex
CREATE INDEX "lifecycle_transitions_shop_id_at_idx" ON "lifecycle_transitions"("shop_id", "at");

-- CreateIndex
CREATE INDEX "lifecycle_transitions_customer_id_idx" ON "lifecycle_transitions"("customer_id");

-- CreateIndex
CREATE INDEX "kpi_snapshots_shop_id_computed_at_idx" ON "kpi_snapshots"("shop_id", "computed_at");

-- CreateIndex
CREATE UNIQUE INDEX "kpi_snapshots_run_id_period_key" ON "kpi_snapshots"("run_id", "period");

-- AddForeignKey
ALTER TABLE "customer_scores" ADD CONSTRAINT "customer_scores_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_scores" ADD CONSTRAINT "customer_scores_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics_runs" ADD CONSTRAINT "analytics_runs_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lifecycle_transitions" ADD CONSTRAINT "lifecycle_transitions_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lifecycle_transitions" ADD CONSTRAINT "lifecycle_transitions_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kpi_snapshots" ADD CONSTRAINT "kpi_snapshots_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cohort_retention" ADD CONSTRAINT "cohort_retention_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics_settings" ADD CONSTRAINT "analytics_settings_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Every nightly run updates each customer's row: room on the page keeps those updates HOT.
ALTER TABLE "customer_scores" SET (fillfactor = 45);
