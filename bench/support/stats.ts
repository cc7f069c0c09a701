import { random } from "./seed-data";

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

/** A median difference and its 95 % bootstrap interval. */
export interface PairedDifference {
  /** Median of the per-pair differences (nearest rank, as {@link summarise}'s p50). */
  readonly median: number;
  /** 2.5th and 97.5th percentiles of the medians of resampled pairs. */
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

/**
 * `a[i] − b[i]` for pairs measured together (the same round of a run, the host in the same state), its
 * median and a 95 % percentile-bootstrap interval of that median. The resampling is seeded, so the same
 * samples give the same interval.
 *
 * @example
 * pairedDifference([10, 12, 11], [14, 15, 13]); // { median: -3, low: -4, high: -2, n: 3 }
 */
export function pairedDifference(a: readonly number[], b: readonly number[], resamples = 2_000): PairedDifference {
  if (a.length !== b.length || a.length === 0) throw new RangeError(`paired samples of equal, non-zero length needed (got ${a.length} and ${b.length})`);
  const differences = a.map((value, i) => value - (b[i] as number));
  const next = random(1);
  const medians: number[] = [];
  for (let r = 0; r < resamples; r += 1) {
    const resample = differences.map(() => differences[Math.floor(next() * differences.length)] as number);
    medians.push(summarise(resample).p50);
  }
  medians.sort((x, y) => x - y);
  return { median: summarise(differences).p50, low: percentile(medians, 2.5), high: percentile(medians, 97.5), n: differences.length };
}
