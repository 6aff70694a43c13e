// Times are stored in UTC and shown in the shop's IANA time zone.
export function formatShopDateTime(at: Date | string, timeZone: string, locale = "en-US"): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(typeof at === "string" ? new Date(at) : at);
}
