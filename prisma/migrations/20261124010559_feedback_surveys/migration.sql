-- CreateTable
CREATE TABLE "feedback_settings" (
    "shop_id" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "feedback_settings_pkey" PRIMARY KEY ("shop_id")
);

-- CreateTable
CREATE TABLE "survey_responses" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT,
    "customer_shopify_id" BIGINT,
    "order_shopify_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "band" TEXT,
    "answers" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "statements" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "comment" TEXT,
    "channel" TEXT NOT NULL,
    "points_awarded" INTEGER NOT NULL DEFAULT 0,
    "recovery_redemption_id" BIGINT,
    "flow_fired_at" TIMESTAMPTZ(3),
    "processed_at" TIMESTAMPTZ(3),
    "answered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "survey_responses_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "survey_responses_shop_id_id_idx" ON "survey_responses"("shop_id", "id");

-- CreateIndex
CREATE INDEX "survey_responses_shop_id_answered_at_idx" ON "survey_responses"("shop_id", "answered_at");

-- CreateIndex
CREATE INDEX "survey_responses_customer_id_idx" ON "survey_responses"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "survey_responses_shop_id_order_shopify_id_kind_key" ON "survey_responses"("shop_id", "order_shopify_id", "kind");

-- AddForeignKey
ALTER TABLE "feedback_settings" ADD CONSTRAINT "feedback_settings_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

