-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_shop_domain_topic_event_id_key" ON "webhook_deliveries"("shop_domain", "topic", "event_id");

