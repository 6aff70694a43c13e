-- AlterTable
ALTER TABLE "analytics_settings" ADD COLUMN     "churn_high_threshold" DOUBLE PRECISION NOT NULL DEFAULT 0.7,
ADD COLUMN     "churn_medium_threshold" DOUBLE PRECISION NOT NULL DEFAULT 0.3;

-- CreateTable
CREATE TABLE "segments" (
    "id" SERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "filter" JSONB NOT NULL,
    "handle" TEXT NOT NULL,
    "sync_to_shopify" BOOLEAN NOT NULL DEFAULT false,
    "member_count" INTEGER NOT NULL DEFAULT 0,
    "last_computed_at" TIMESTAMPTZ(3),
    "last_synced_at" TIMESTAMPTZ(3),
    "created_by_staff_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "segments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segment_members" (
    "segment_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "entered_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "segment_members_pkey" PRIMARY KEY ("segment_id","customer_id")
);

-- CreateTable
CREATE TABLE "segment_membership_changes" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "segment_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "change" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "run_id" INTEGER,
    "synced_at" TIMESTAMPTZ(3),
    "flow_fired_at" TIMESTAMPTZ(3),

    CONSTRAINT "segment_membership_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_notes" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "body" TEXT NOT NULL,
    "staff_user_id" BIGINT,
    "staff_name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_audit_log" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "staff_user_id" BIGINT,
    "staff_name" TEXT,
    "action" TEXT NOT NULL,
    "customer_id" BIGINT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "staff_audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "segments_shop_id_idx" ON "segments"("shop_id");

-- CreateIndex
CREATE UNIQUE INDEX "segments_shop_id_handle_key" ON "segments"("shop_id", "handle");

-- CreateIndex
CREATE INDEX "segment_members_shop_id_customer_id_idx" ON "segment_members"("shop_id", "customer_id");

-- CreateIndex
CREATE INDEX "segment_membership_changes_segment_id_id_idx" ON "segment_membership_changes"("segment_id", "id");

-- CreateIndex
CREATE INDEX "segment_membership_changes_shop_id_customer_id_idx" ON "segment_membership_changes"("shop_id", "customer_id");

-- CreateIndex
CREATE INDEX "segment_membership_changes_shop_id_synced_at_idx" ON "segment_membership_changes"("shop_id", "synced_at");

-- CreateIndex
CREATE INDEX "customer_notes_customer_id_created_at_idx" ON "customer_notes"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "customer_notes_shop_id_idx" ON "customer_notes"("shop_id");

-- CreateIndex
CREATE INDEX "staff_audit_log_shop_id_id_idx" ON "staff_audit_log"("shop_id", "id");

-- CreateIndex
CREATE INDEX "staff_audit_log_shop_id_customer_id_idx" ON "staff_audit_log"("shop_id", "customer_id");

-- AddForeignKey
ALTER TABLE "segments" ADD CONSTRAINT "segments_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_membership_changes" ADD CONSTRAINT "segment_membership_changes_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_membership_changes" ADD CONSTRAINT "segment_membership_changes_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_notes" ADD CONSTRAINT "customer_notes_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_notes" ADD CONSTRAINT "customer_notes_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_audit_log" ADD CONSTRAINT "staff_audit_log_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

