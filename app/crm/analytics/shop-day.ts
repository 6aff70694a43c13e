/** The shop's calendar day of an instant, YYYY-MM-DD. */
export function shopDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}
