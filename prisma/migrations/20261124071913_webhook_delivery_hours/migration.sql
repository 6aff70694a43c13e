-- DropIndex
DROP INDEX "webhook_deliveries_shop_domain_status_idx";

-- CreateTable
CREATE TABLE "webhook_delivery_hours" (
    "shop_domain" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "deliveries" BIGINT NOT NULL,

    CONSTRAINT "webhook_delivery_hours_pkey" PRIMARY KEY ("shop_domain","hour","kind")
);

-- CreateIndex
CREATE INDEX "webhook_deliveries_shop_domain_status_received_at_idx" ON "webhook_deliveries"("shop_domain", "status", "received_at");


-- The counts follow every write to the inbox, in the writer's transaction. One statement adds
-- its rows' contributions by (shop, hour, kind), in key order (two writers never lock the same
-- rows in opposite orders). A row contributes 1 to "arrived" and, once final, 1 to its status;
-- an update changing only the status leaves "arrived" untouched (zero deltas are not written).
CREATE FUNCTION webhook_delivery_hours_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO webhook_delivery_hours AS h (shop_domain, hour, kind, deliveries)
    SELECT d.shop_domain, date_trunc('hour', d.received_at, 'UTC'), k.kind, count(*)
    FROM new_rows d CROSS JOIN LATERAL (VALUES ('arrived'), (d.status)) AS k(kind)
    WHERE k.kind <> 'received'
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (shop_domain, hour, kind) DO UPDATE SET deliveries = h.deliveries + EXCLUDED.deliveries;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO webhook_delivery_hours AS h (shop_domain, hour, kind, deliveries)
    SELECT d.shop_domain, date_trunc('hour', d.received_at, 'UTC'), k.kind, -count(*)
    FROM old_rows d CROSS JOIN LATERAL (VALUES ('arrived'), (d.status)) AS k(kind)
    WHERE k.kind <> 'received'
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (shop_domain, hour, kind) DO UPDATE SET deliveries = h.deliveries + EXCLUDED.deliveries;
  ELSE
    INSERT INTO webhook_delivery_hours AS h (shop_domain, hour, kind, deliveries)
    SELECT c.shop_domain, c.hour, c.kind, sum(c.n)
    FROM (
      SELECT d.shop_domain, date_trunc('hour', d.received_at, 'UTC') AS hour, k.kind, 1 AS n
      FROM new_rows d CROSS JOIN LATERAL (VALUES ('arrived'), (d.status)) AS k(kind)
      WHERE k.kind <> 'received'
      UNION ALL
      SELECT d.shop_domain, date_trunc('hour', d.received_at, 'UTC'), k.kind, -1
      FROM old_rows d CROSS JOIN LATERAL (VALUES ('arrived'), (d.status)) AS k(kind)
      WHERE k.kind <> 'received'
    ) c
    GROUP BY 1, 2, 3 HAVING sum(c.n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (shop_domain, hour, kind) DO UPDATE SET deliveries = h.deliveries + EXCLUDED.deliveries;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER webhook_delivery_hours_insert AFTER INSERT ON webhook_deliveries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_delivery_hours_count();
CREATE TRIGGER webhook_delivery_hours_update AFTER UPDATE ON webhook_deliveries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_delivery_hours_count();
CREATE TRIGGER webhook_delivery_hours_delete AFTER DELETE ON webhook_deliveries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_delivery_hours_count();

-- TRUNCATE fires no row or statement DELETE triggers: the counts go with the inbox.
CREATE FUNCTION webhook_delivery_hours_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM webhook_delivery_hours;
  RETURN NULL;
END $$;
CREATE TRIGGER webhook_delivery_hours_truncate AFTER TRUNCATE ON webhook_deliveries
  FOR EACH STATEMENT EXECUTE FUNCTION webhook_delivery_hours_truncate();

-- The inbox as it stands.
INSERT INTO webhook_delivery_hours (shop_domain, hour, kind, deliveries)
SELECT d.shop_domain, date_trunc('hour', d.received_at, 'UTC'), k.kind, count(*)
FROM webhook_deliveries d CROSS JOIN LATERAL (VALUES ('arrived'), (d.status)) AS k(kind)
WHERE k.kind <> 'received'
GROUP BY 1, 2, 3;
