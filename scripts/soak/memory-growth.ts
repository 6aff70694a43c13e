// How much a process's memory grew during a soak. A Node process's resident memory is a
// sawtooth: V8 lets its heap grow to a few times the live data between full collections and then
// gives it back, a swing of a third of the total within a minute. Two one-minute means compare
// two points of that saw; the least-squares line through every sample after the warm-up measures
// the drift underneath it, which is what a leak is.

export interface MemorySample {
  /** Seconds since the load started. */
  at: number;
  mib: number;
}

export interface MemoryGrowth {
  /** The fitted line's value at the end of the warm-up and at the last sample, in MiB. */
  fromMiB: number;
  toMiB: number;
  /** (to − from) / from, in percent. */
  percent: number;
  /** Residual standard deviation around the line: the size of the saw, in MiB. */
  swingMiB: number;
  samples: number;
}

/** The trend of the samples taken at or after `from` (seconds), as a growth from `from` to the last sample. */
export function memoryTrend(samples: readonly MemorySample[], from: number): MemoryGrowth {
  const used = samples.filter((sample) => sample.at >= from && Number.isFinite(sample.mib));
  if (used.length < 2) throw new Error(`a memory trend needs two samples after ${from} s, there are ${used.length}`);
  const n = used.length;
  const meanAt = used.reduce((sum, s) => sum + s.at, 0) / n;
  const meanMiB = used.reduce((sum, s) => sum + s.mib, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const s of used) {
    covariance += (s.at - meanAt) * (s.mib - meanMiB);
    variance += (s.at - meanAt) ** 2;
  }
  const slope = variance === 0 ? 0 : covariance / variance;
  const at = (t: number) => meanMiB + slope * (t - meanAt);
  const end = used.at(-1)!.at;
  const residual = used.reduce((sum, s) => sum + (s.mib - at(s.at)) ** 2, 0) / Math.max(1, n - 2);
  const fromMiB = at(from);
  const toMiB = at(end);
  return { fromMiB, toMiB, percent: ((toMiB - fromMiB) / fromMiB) * 100, swingMiB: Math.sqrt(residual), samples: n };
}

/** Mean of the samples in [from, to) seconds; NaN when there are none. */
export function windowMean(samples: readonly MemorySample[], from: number, to: number): number {
  const inside = samples.filter((s) => s.at >= from && s.at < to && Number.isFinite(s.mib));
  return inside.length ? inside.reduce((sum, s) => sum + s.mib, 0) / inside.length : NaN;
}
