// Dates for the demo store: the CDNOW calendar (Jan 1997 .. Jun 1998) stretched onto the
// two years before "now", and local times of day in the shop's time zone turned into UTC.
import { CDNOW_FIRST_DATE, CDNOW_LAST_DATE } from "./cdnow-history";
import type { SeededRandom } from "./seeded-random";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The calendar days the demo history covers, as UTC-midnight timestamps of local dates. */
export interface DemoWindow {
  firstDayMs: number;
  lastDayMs: number;
  /** Nothing in the store happens after this instant. */
  nowMs: number;
}

// The history ends a few days before "now", like a store whose last orders are from this
// week; it starts late enough that every local time of the first day is still within
// two years (730 days) of "now".
const DAYS_BETWEEN_LAST_ORDER_DAY_AND_NOW = 3;
const DAYS_IN_TWO_YEARS = 730;

export function demoWindow(now: Date): DemoWindow {
  const todayMs = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return {
    firstDayMs: todayMs - (DAYS_IN_TWO_YEARS - 1) * DAY_MS,
    lastDayMs: todayMs - DAYS_BETWEEN_LAST_ORDER_DAY_AND_NOW * DAY_MS,
    nowMs: now.getTime(),
  };
}

const cdnowFirstDayMs = Date.parse(`${CDNOW_FIRST_DATE}T00:00:00Z`);
const cdnowLastDayMs = Date.parse(`${CDNOW_LAST_DATE}T00:00:00Z`);

/**
 * The local calendar day (as a UTC-midnight timestamp) a CDNOW date maps to. Linear, so
 * the order of purchases and the relative gaps between them are kept; purchases on the
 * same CDNOW day stay on the same demo day.
 */
export function mapCdnowDate(date: string, window: DemoWindow): number {
  const position = (Date.parse(`${date}T00:00:00Z`) - cdnowFirstDayMs) / (cdnowLastDayMs - cdnowFirstDayMs);
  const windowDays = (window.lastDayMs - window.firstDayMs) / DAY_MS;
  return window.firstDayMs + Math.round(position * windowDays) * DAY_MS;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function offsetMs(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const wallClockAsUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
  );
  return wallClockAsUtc - Math.floor(instantMs / MINUTE_MS) * MINUTE_MS;
}

// Offsets of local days with no daylight-saving change, by time zone and day: Intl is the
// slow part of generating a store, and a day's offset is the same for all its orders.
const steadyDayOffsets = new Map<string, number | null>();

function steadyDayOffsetMs(localDayMs: number, timeZone: string): number | null {
  const key = `${timeZone}:${localDayMs}`;
  let offset = steadyDayOffsets.get(key);
  if (offset === undefined) {
    // Offsets lie within ±14 hours, so these two instants bracket the local day.
    const before = offsetMs(localDayMs - 14 * 3_600_000, timeZone);
    const after = offsetMs(localDayMs + DAY_MS + 14 * 3_600_000, timeZone);
    offset = before === after ? before : null;
    steadyDayOffsets.set(key, offset);
  }
  return offset;
}

/** The UTC instant of a wall-clock time on a local day in the given time zone. */
export function localTimeToUtcMs(localDayMs: number, secondOfDay: number, timeZone: string): number {
  const wallClockAsUtc = localDayMs + secondOfDay * 1000;
  const steadyOffset = steadyDayOffsetMs(localDayMs, timeZone);
  if (steadyOffset !== null) return wallClockAsUtc - steadyOffset;
  // Two passes settle the offset on either side of a daylight-saving change.
  const firstGuess = wallClockAsUtc - offsetMs(wallClockAsUtc, timeZone);
  return wallClockAsUtc - offsetMs(firstGuess, timeZone);
}

// Online record buyers shop in the evening and at lunch, rarely before dawn.
// prettier-ignore
const ONLINE_HOUR_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 3], [1, 2], [2, 1], [3, 1], [4, 1], [5, 1], [6, 2], [7, 3], [8, 4], [9, 5], [10, 6], [11, 7],
  [12, 9], [13, 8], [14, 6], [15, 6], [16, 6], [17, 7], [18, 8], [19, 10], [20, 11], [21, 10], [22, 8], [23, 5],
];

/** A believable second of the local day for an order: shop hours for the till, else online habits. */
export function orderSecondOfDay(random: SeededRandom, atShopCounter: boolean): number {
  const hour = atShopCounter ? random.int(10, 19) : random.weighted(ONLINE_HOUR_WEIGHTS);
  return hour * 3600 + random.int(0, 3599);
}

export function toIsoSeconds(instantMs: number): string {
  return new Date(Math.floor(instantMs / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export { DAY_MS };
