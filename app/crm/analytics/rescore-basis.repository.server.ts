// What a one-customer re-score starts from: the shop's time zone and the fit and RFM thresholds
// of its latest finished run. Read on the re-score's own connection, inside its transaction.
import type pg from "pg";

export interface RescoreBasis {
  ianaTimezone: string;
  /** The shop's latest succeeded run; null before its first. */
  run: { id: number; modelFit: unknown; rfmThresholds: unknown } | null;
}

// The shop and its latest run in one statement: a re-score follows every order.
const RESCORE_BASIS_SQL = `
  SELECT s.iana_timezone, r.id AS run_id, r.model_fit, r.rfm_thresholds
  FROM shops AS s
  LEFT JOIN LATERAL (
    SELECT id, model_fit, rfm_thresholds FROM analytics_runs
    WHERE shop_id = s.id AND status = 'succeeded'
    ORDER BY id DESC
    LIMIT 1
  ) AS r ON true
  WHERE s.id = $1`;

/** The basis of the shop `shopId`'s re-scores; null if there is no such shop. */
export async function readRescoreBasis(client: pg.ClientBase, shopId: number): Promise<RescoreBasis | null> {
  const { rows } = await client.query<{
    iana_timezone: string;
    run_id: number | null;
    model_fit: unknown;
    rfm_thresholds: unknown;
  }>(RESCORE_BASIS_SQL, [shopId]);
  const row = rows[0];
  if (!row) return null;
  return {
    ianaTimezone: row.iana_timezone,
    run: row.run_id === null ? null : { id: row.run_id, modelFit: row.model_fit, rfmThresholds: row.rfm_thresholds },
  };
}
