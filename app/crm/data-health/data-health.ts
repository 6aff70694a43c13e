// The data health card's rules: counts by status, how long the oldest delivery has waited,
// and an error message fit to show a merchant (and to store): no e-mail addresses or phone
// numbers from a payload, and not too long.
export const DELIVERY_STATUSES = ["received", "applied", "ignored", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export type DeliveryStatusCounts = Record<DeliveryStatus, number>;

export function statusCounts(rows: readonly { status: string; count: number }[]): DeliveryStatusCounts {
  const counts: DeliveryStatusCounts = { received: 0, applied: 0, ignored: 0, failed: 0 };
  for (const row of rows) {
    if ((DELIVERY_STATUSES as readonly string[]).includes(row.status))
      counts[row.status as DeliveryStatus] += row.count;
  }
  return counts;
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

const MAX_ERROR_LENGTH = 500;
const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[^\s@"'<>(),;:]+/g;
const PHONE = /\+?\d[\d\s().-]{7,}\d/g;

export function safeErrorMessage(message: string): string {
  const masked = message.replace(EMAIL, "[e-mail]").replace(PHONE, (match) =>
    // Long digit runs without separators are ids (Shopify ids have 13+ digits), not phones.
    /^\d+$/.test(match) ? match : "[phone]",
  );
  return masked.length > MAX_ERROR_LENGTH ? `${masked.slice(0, MAX_ERROR_LENGTH - 1)}…` : masked;
}
