-- CreateTable
CREATE TABLE "segment_manual_members" (
    "segment_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "added_by_staff_id" BIGINT,

    CONSTRAINT "segment_manual_members_pkey" PRIMARY KEY ("segment_id","customer_id")
);

-- CreateIndex
CREATE INDEX "segment_manual_members_shop_id_customer_id_idx" ON "segment_manual_members"("shop_id", "customer_id");

-- CreateIndex
CREATE INDEX "segment_membership_changes_segment_id_synced_at_id_idx" ON "segment_membership_changes"("segment_id", "synced_at", "id");

-- AddForeignKey
ALTER TABLE "segment_manual_members" ADD CONSTRAINT "segment_manual_members_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_manual_members" ADD CONSTRAINT "segment_manual_members_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_manual_members" ADD CONSTRAINT "segment_manual_members_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

