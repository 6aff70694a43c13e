// Server time as a loader spends it: the same domain call, timed end to end (queries, row
// mapping, serialisation-ready objects), a warm-up first, then N samples one after another.

export interface Timing {
  name: string;
  /** The group's target, e.g. the list's 200 ms. */
  targetMs: number;
  samples: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentile of ascending values. */
export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarise(name: string, targetMs: number, durationsMs: readonly number[]): Timing {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  return {
    name,
    targetMs,
    samples: sorted.length,
    p50: percentileOf(sorted, 50),
    p95: percentileOf(sorted, 95),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/**
 * Runs `call(i)` `warmUp` times untimed, then `samples` times timed. With `budgetMs`, a case far
 * slower than its target stops once it has `minSamples` and its timed calls used the budget: its
 * verdict is already clear, and 30 calls of several seconds each, over dozens of such cases,
 * would keep the bench running for hours.
 */
export async function timeCalls(
  call: (i: number) => Promise<unknown>,
  options: { warmUp: number; samples: number; budgetMs?: number; minSamples?: number },
): Promise<number[]> {
  for (let i = 0; i < options.warmUp; i++) await call(i);
  const durations: number[] = [];
  let spent = 0;
  for (let i = 0; i < options.samples; i++) {
    const started = performance.now();
    await call(options.warmUp + i);
    durations.push(performance.now() - started);
    spent += durations.at(-1)!;
    if (options.budgetMs !== undefined && spent > options.budgetMs && durations.length >= (options.minSamples ?? 5))
      break;
  }
  return durations;
}

export const passes = (timing: Timing) => timing.p95 < timing.targetMs;

/** A fixed-width table: one row per timing, with the target and PASS/MISS on p95. */
export function timingTable(timings: readonly Timing[]): string {
  const width = Math.max(40, ...timings.map((timing) => timing.name.length));
  const ms = (value: number) => value.toFixed(1).padStart(8);
  const header = `${"case".padEnd(width)}  ${"n".padStart(4)}  ${"p50 ms".padStart(8)}  ${"p95 ms".padStart(8)}  ${"max ms".padStart(8)}  ${"target".padStart(8)}  result`;
  const lines = timings.map(
    (timing) =>
      `${timing.name.padEnd(width)}  ${String(timing.samples).padStart(4)}  ${ms(timing.p50)}  ${ms(timing.p95)}  ${ms(timing.max)}  ${`< ${timing.targetMs}`.padStart(8)}  ${passes(timing) ? "PASS" : "MISS"}`,
  );
  return [header, "-".repeat(header.length), ...lines].join("\n");
}
