-- CreateTable
CREATE TABLE "loyalty_events" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "member_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "loyalty_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "loyalty_events_shop_id_delivered_at_id_idx" ON "loyalty_events"("shop_id", "delivered_at", "id");

-- CreateIndex
CREATE INDEX "loyalty_events_member_id_idx" ON "loyalty_events"("member_id");

-- CreateIndex
CREATE UNIQUE INDEX "loyalty_events_shop_id_idempotency_key_key" ON "loyalty_events"("shop_id", "idempotency_key");

-- AddForeignKey
ALTER TABLE "loyalty_events" ADD CONSTRAINT "loyalty_events_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_events" ADD CONSTRAINT "loyalty_events_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "loyalty_members"("id") ON DELETE CASCADE ON UPDATE CASCADE;

