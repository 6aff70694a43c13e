-- CreateTable
CREATE TABLE "automation_rules" (
    "id" SERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "recipe" TEXT,
    "trigger" JSONB NOT NULL,
    "conditions" JSONB NOT NULL,
    "actions" JSONB NOT NULL,
    "cap_days" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "enabled_at" TIMESTAMPTZ(3),
    "last_evaluated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "automation_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "automation_runs" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "rule_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "event_key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "next_step" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "automation_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "automation_run_steps" (
    "run_id" BIGINT NOT NULL,
    "step" INTEGER NOT NULL,
    "redemption_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "automation_run_steps_pkey" PRIMARY KEY ("run_id","step")
);

-- CreateTable
CREATE TABLE "automation_churn_bands" (
    "customer_id" BIGINT NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "band" TEXT NOT NULL,

    CONSTRAINT "automation_churn_bands_pkey" PRIMARY KEY ("customer_id")
);

-- CreateIndex
CREATE INDEX "automation_rules_shop_id_enabled_idx" ON "automation_rules"("shop_id", "enabled");

-- CreateIndex
CREATE UNIQUE INDEX "automation_rules_shop_id_recipe_key" ON "automation_rules"("shop_id", "recipe");

-- CreateIndex
CREATE INDEX "automation_runs_rule_id_customer_id_created_at_idx" ON "automation_runs"("rule_id", "customer_id", "created_at");

-- CreateIndex
CREATE INDEX "automation_runs_rule_id_status_idx" ON "automation_runs"("rule_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "automation_runs_rule_id_event_key_customer_id_key" ON "automation_runs"("rule_id", "event_key", "customer_id");

-- CreateIndex
CREATE INDEX "automation_churn_bands_shop_id_idx" ON "automation_churn_bands"("shop_id");

-- AddForeignKey
ALTER TABLE "automation_rules" ADD CONSTRAINT "automation_rules_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automation_runs" ADD CONSTRAINT "automation_runs_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automation_runs" ADD CONSTRAINT "automation_runs_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "automation_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automation_runs" ADD CONSTRAINT "automation_runs_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automation_run_steps" ADD CONSTRAINT "automation_run_steps_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "automation_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automation_churn_bands" ADD CONSTRAINT "automation_churn_bands_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

