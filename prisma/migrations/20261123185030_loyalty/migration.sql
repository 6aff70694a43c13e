-- CreateTable
CREATE TABLE "loyalty_programs" (
    "id" SERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "settings" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "launched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loyalty_programs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loyalty_tiers" (
    "id" SERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "threshold" BIGINT NOT NULL,
    "earn_multiplier_permille" INTEGER NOT NULL DEFAULT 1000,
    "entry_bonus_points" INTEGER NOT NULL DEFAULT 0,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loyalty_tiers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loyalty_rewards" (
    "id" SERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points_cost" INTEGER NOT NULL,
    "amount_minor" BIGINT,
    "percentage" INTEGER,
    "minimum_subtotal_minor" BIGINT,
    "tier_id" INTEGER,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loyalty_rewards_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loyalty_members" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "referral_code" TEXT NOT NULL,
    "birthday_month" INTEGER,
    "birthday_day" INTEGER,
    "tier_id" INTEGER,
    "tier_since" TIMESTAMPTZ(3),
    "tier_period_ends_at" TIMESTAMPTZ(3),
    "points_balance" INTEGER NOT NULL DEFAULT 0,
    "balance_version" INTEGER NOT NULL DEFAULT 0,
    "last_entry_id" BIGINT,
    "last_activity_at" TIMESTAMPTZ(3),
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loyalty_members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loyalty_ledger_entries" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "member_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "order_shopify_id" BIGINT,
    "refund_shopify_id" BIGINT,
    "redemption_id" BIGINT,
    "base_minor" BIGINT,
    "reason" TEXT,
    "staff_user_id" BIGINT,
    "staff_name" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loyalty_redemptions" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "member_id" BIGINT NOT NULL,
    "reward_id" INTEGER,
    "reward_snapshot" JSONB NOT NULL,
    "points_spent" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "discount_code" TEXT NOT NULL,
    "shopify_discount_id" TEXT,
    "error" TEXT,
    "order_shopify_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loyalty_redemptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loyalty_referrals" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "referrer_member_id" BIGINT NOT NULL,
    "friend_customer_id" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "blocked_reason" TEXT,
    "order_shopify_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rewarded_at" TIMESTAMPTZ(3),

    CONSTRAINT "loyalty_referrals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "loyalty_programs_shop_id_key" ON "loyalty_programs"("shop_id");

-- CreateIndex
CREATE INDEX "loyalty_tiers_shop_id_idx" ON "loyalty_tiers"("shop_id");

-- CreateIndex
CREATE INDEX "loyalty_rewards_shop_id_idx" ON "loyalty_rewards"("shop_id");

-- CreateIndex
CREATE INDEX "loyalty_members_shop_id_tier_id_idx" ON "loyalty_members"("shop_id", "tier_id");

-- CreateIndex
CREATE UNIQUE INDEX "loyalty_members_customer_id_key" ON "loyalty_members"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "loyalty_members_shop_id_referral_code_key" ON "loyalty_members"("shop_id", "referral_code");

-- CreateIndex
CREATE INDEX "loyalty_ledger_entries_member_id_id_idx" ON "loyalty_ledger_entries"("member_id", "id");

-- CreateIndex
CREATE INDEX "loyalty_ledger_entries_shop_id_order_shopify_id_idx" ON "loyalty_ledger_entries"("shop_id", "order_shopify_id");

-- CreateIndex
CREATE UNIQUE INDEX "loyalty_ledger_entries_shop_id_idempotency_key_key" ON "loyalty_ledger_entries"("shop_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "loyalty_redemptions_discount_code_key" ON "loyalty_redemptions"("discount_code");

-- CreateIndex
CREATE INDEX "loyalty_redemptions_member_id_created_at_idx" ON "loyalty_redemptions"("member_id", "created_at");

-- CreateIndex
CREATE INDEX "loyalty_redemptions_shop_id_order_shopify_id_idx" ON "loyalty_redemptions"("shop_id", "order_shopify_id");

-- CreateIndex
CREATE INDEX "loyalty_referrals_referrer_member_id_idx" ON "loyalty_referrals"("referrer_member_id");

-- CreateIndex
CREATE UNIQUE INDEX "loyalty_referrals_shop_id_friend_customer_id_key" ON "loyalty_referrals"("shop_id", "friend_customer_id");

-- AddForeignKey
ALTER TABLE "loyalty_programs" ADD CONSTRAINT "loyalty_programs_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_tiers" ADD CONSTRAINT "loyalty_tiers_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_rewards" ADD CONSTRAINT "loyalty_rewards_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_rewards" ADD CONSTRAINT "loyalty_rewards_tier_id_fkey" FOREIGN KEY ("tier_id") REFERENCES "loyalty_tiers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_members" ADD CONSTRAINT "loyalty_members_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_members" ADD CONSTRAINT "loyalty_members_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_members" ADD CONSTRAINT "loyalty_members_tier_id_fkey" FOREIGN KEY ("tier_id") REFERENCES "loyalty_tiers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_ledger_entries" ADD CONSTRAINT "loyalty_ledger_entries_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_ledger_entries" ADD CONSTRAINT "loyalty_ledger_entries_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "loyalty_members"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_redemptions" ADD CONSTRAINT "loyalty_redemptions_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_redemptions" ADD CONSTRAINT "loyalty_redemptions_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "loyalty_members"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_redemptions" ADD CONSTRAINT "loyalty_redemptions_reward_id_fkey" FOREIGN KEY ("reward_id") REFERENCES "loyalty_rewards"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_referrals" ADD CONSTRAINT "loyalty_referrals_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_referrals" ADD CONSTRAINT "loyalty_referrals_referrer_member_id_fkey" FOREIGN KEY ("referrer_member_id") REFERENCES "loyalty_members"("id") ON DELETE CASCADE ON UPDATE CASCADE;

