-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "average_order_value_minor" BIGINT,
ADD COLUMN     "last_order_name" TEXT,
ADD COLUMN     "last_order_shopify_id" BIGINT,
ADD COLUMN     "last_order_total_minor" BIGINT,
ADD COLUMN     "top_products" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "email" TEXT;

-- AlterTable
ALTER TABLE "refunds" ADD COLUMN     "line_items" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "order_shopify_id" BIGINT,
ALTER COLUMN "order_id" DROP NOT NULL;

-- Existing refunds take their order's Shopify id before the column becomes required.
UPDATE "refunds" AS r SET "order_shopify_id" = o."shopify_id" FROM "orders" AS o WHERE o."id" = r."order_id";
ALTER TABLE "refunds" ALTER COLUMN "order_shopify_id" SET NOT NULL;

-- AlterTable
ALTER TABLE "sync_runs" ADD COLUMN     "bulk_operation_id" TEXT,
ADD COLUMN     "expected_objects" INTEGER,
ADD COLUMN     "heartbeat_at" TIMESTAMPTZ(3),
ADD COLUMN     "lines_done" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "webhook_deliveries" ADD COLUMN     "triggered_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "privacy_requests" (
    "id" SERIAL NOT NULL,
    "shop_id" INTEGER,
    "shop_domain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "customer_shopify_id" BIGINT,
    "request_id" TEXT,
    "document" JSONB,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "privacy_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "privacy_requests_shop_domain_received_at_idx" ON "privacy_requests"("shop_domain", "received_at");

-- CreateIndex
CREATE INDEX "refunds_shop_id_order_shopify_id_idx" ON "refunds"("shop_id", "order_shopify_id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_shop_domain_status_idx" ON "webhook_deliveries"("shop_domain", "status");

-- AddForeignKey
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE SET NULL ON UPDATE CASCADE;

