// The periods KPIs are reported over: all time, and the last N days up to the run's day.
export const KPI_PERIODS = [
  { period: "all_time", days: null },
  { period: "last_30_days", days: 30 },
  { period: "last_90_days", days: 90 },
  { period: "last_365_days", days: 365 },
] as const;

/** The windowed periods' lengths in days. */
export const KPI_WINDOWS: readonly number[] = KPI_PERIODS.flatMap((entry) => (entry.days === null ? [] : [entry.days]));
