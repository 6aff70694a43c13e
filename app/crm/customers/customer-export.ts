// The customers CSV: its columns and how a row is written (formula-like cells neutralised by
// csvLine). Pure; the streaming query is in customer-export.repository.server.ts.
import { minorToDecimalString } from "../money/money";
import { csvLine } from "../settings/csv-cells";

export const EXPORT_FETCH_SIZE = 2000;

export const CUSTOMER_CSV_HEADER = [
  "shopify_customer_id",
  "first_name",
  "last_name",
  "email",
  "country",
  "orders",
  "net_spent",
  "currency",
  "last_order_at",
  "rfm_segment",
  "lifecycle_stage",
  "churn_risk",
  "predicted_clv",
  "points",
  "tier",
  "tags",
  "email_consent",
] as const;

/** One row as PostgreSQL returns it through pg: int8 as text, timestamps already in shop time. */
export type CustomerExportRow = {
  shopify_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  country_code: string | null;
  orders_count: number;
  net_spent_minor: string;
  last_order_local: string | null;
  rfm_segment: string | null;
  lifecycle_stage: string | null;
  churn_risk: string | null;
  clv_minor: string | null;
  points_balance: number | null;
  tier_name: string | null;
  tags: string[];
  email_consent: string;
};

export function customerCsvHeader(): string {
  return csvLine(CUSTOMER_CSV_HEADER);
}

export function customerCsvLine(row: CustomerExportRow, currencyCode: string): string {
  return csvLine([
    row.shopify_id,
    row.first_name,
    row.last_name,
    row.email,
    row.country_code,
    row.orders_count,
    minorToDecimalString(BigInt(row.net_spent_minor), currencyCode),
    currencyCode,
    row.last_order_local,
    row.rfm_segment,
    row.lifecycle_stage,
    row.churn_risk ?? "unknown",
    row.clv_minor === null ? null : minorToDecimalString(BigInt(row.clv_minor), currencyCode),
    row.points_balance,
    row.tier_name,
    row.tags.join(", "),
    row.email_consent,
  ]);
}
