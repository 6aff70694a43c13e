// The staff audit log as staff read it: action names in words, a one-line summary of the details,
// and the CSV columns. Pure.
import { formatShopDateTime } from "../../lib/shop-time";
import { csvLine } from "./csv-cells";

export const ACTION_LABELS: Record<string, string> = {
  "points.adjusted": "Adjusted points",
  "customers.tagged": "Tagged customers",
  "customers.exported": "Exported customers",
  "customer.note_added": "Added a note",
  "segment.created": "Created a segment",
  "segment.updated": "Updated a segment",
  "segment.deleted": "Deleted a segment",
  "segment.exported": "Exported a segment",
  "segment.synced": "Synced a segment to Shopify",
  "settings.updated": "Changed settings",
  "history.reimport_requested": "Requested a history re-import",
  "privacy.request_viewed": "Viewed a privacy request",
};

export interface StaffAuditRow {
  id: bigint;
  at: Date;
  staffUserId: bigint | null;
  staffName: string | null;
  action: string;
  customerId: bigint | null;
  details: unknown;
}

export function staffLabel(row: Pick<StaffAuditRow, "staffName" | "staffUserId">): string {
  if (row.staffName && row.staffName !== "staff") return row.staffName;
  return row.staffUserId === null ? "Staff" : `Staff member ${row.staffUserId}`;
}

const SUMMARY_LIMIT = 160;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? "" : "s"}`;
  return "…";
}

/** Settings fields in the words of the Settings page. */
const FIELD_LABELS: Record<string, string> = {
  monthlyDiscountRate: "Monthly discount rate",
  clvHorizonMonths: "CLV horizon (months)",
  churnMediumThreshold: "Medium risk from",
  churnHighThreshold: "High risk from",
};

/**
 * A settings change first, as "field: before → after", then the other details as "key: value".
 * Nested objects beyond that are summarised, and the line is cut at a readable length.
 */
export function detailsSummary(details: unknown): string {
  if (!details || typeof details !== "object" || Array.isArray(details)) return "";
  const { changes, ...rest } = details as Record<string, unknown>;
  const parts: string[] = [];
  if (changes && typeof changes === "object" && !Array.isArray(changes)) {
    for (const [field, change] of Object.entries(changes as Record<string, unknown>)) {
      const { before, after } = (change ?? {}) as { before?: unknown; after?: unknown };
      parts.push(`${FIELD_LABELS[field] ?? field}: ${scalar(before)} → ${scalar(after)}`);
    }
  } else if (changes !== undefined) {
    parts.push(`changes: ${scalar(changes)}`);
  }
  for (const [key, value] of Object.entries(rest)) parts.push(`${key}: ${scalar(value)}`);
  const line = parts.join(", ");
  return line.length > SUMMARY_LIMIT ? `${line.slice(0, SUMMARY_LIMIT - 1)}…` : line;
}

export const AUDIT_CSV_HEADER = csvLine([
  "id",
  "at_utc",
  "at_shop_time",
  "staff_user_id",
  "staff_name",
  "action",
  "customer_id",
  "details",
]);

export function auditCsvLine(row: StaffAuditRow, timeZone: string): string {
  return csvLine([
    row.id,
    row.at.toISOString(),
    formatShopDateTime(row.at, timeZone),
    row.staffUserId,
    row.staffName,
    row.action,
    row.customerId,
    JSON.stringify(row.details ?? {}),
  ]);
}
