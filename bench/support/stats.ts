/** Nearest-rank percentile of an ascending sample: the smallest value with at least `p` % of the sample at or below it. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("percentile of an empty sample");
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export interface Summary {
  readonly p50: number;
  readonly p99: number;
  readonly n: number;
}

/**
 * p50 and p99 of a sample of durations.
 *
 * @example
 * summarise([1, 2, 3, 100]); // { p50: 2, p99: 100, n: 4 }
 */
export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
}

/** Round for display and JSON: three significant decimals are far below the noise of any figure here. */
export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
