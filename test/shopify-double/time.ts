// Timestamps the way Shopify prints them: GraphQL DateTime in UTC without milliseconds,
// REST in the shop's time zone with its offset.

/** "2024-03-01T10:00:00.000Z" → "2024-03-01T10:00:00Z" (GraphQL DateTime). */
export function graphqlDateTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function graphqlDateTimeOrNull(iso: string | null): string | null {
  return iso === null ? null : graphqlDateTime(iso);
}

/** Offset of a time zone at an instant, in minutes east of UTC. */
export function timeZoneOffsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}

/** -300 → "-05:00" (or "-0500" without the colon, as Shop.timezoneOffset prints it). */
export function formatOffset(minutes: number, colon = true): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${sign}${hh}${colon ? ":" : ""}${mm}`;
}

/** REST timestamp: "2024-03-01T05:00:00-05:00" for America/New_York. */
export function restDateTime(iso: string, timeZone: string): string {
  const at = new Date(iso);
  const offset = timeZoneOffsetMinutes(timeZone, at);
  const local = new Date(at.getTime() + offset * 60000).toISOString().slice(0, 19);
  return local + formatOffset(offset);
}

export function restDateTimeOrNull(iso: string | null, timeZone: string): string | null {
  return iso === null ? null : restDateTime(iso, timeZone);
}

/** Short zone name such as "EST", or "GMT+1" where CLDR has no abbreviation. */
export function timeZoneAbbreviation(timeZone: string, at: Date = new Date()): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? "UTC";
}
