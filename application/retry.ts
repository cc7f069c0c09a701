export interface RetryPolicy {
  /** Total tries, the first included. */
  readonly attempts: number;
  /** Delay before the second try; doubles each time. */
  readonly baseDelayMs: number;
  /** Upper bound for one delay. */
  readonly maxDelayMs: number;
}

/**
 * How long to wait after the `failures`-th failed try: exponential backoff (`baseDelayMs` doubling up
 * to `maxDelayMs`) with equal jitter, so many failing workers don't retry in lock-step yet none
 * retries at once. `random` returns a number in [0, 1).
 *
 * @example
 * backoffDelayMs({ attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 }, 3, Math.random); // 200..400
 */
export function backoffDelayMs(policy: Omit<RetryPolicy, "attempts">, failures: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

// Hand-written, not p-retry: the application layer imports no packages, and p-retry gives up at once on a TypeError and cannot take our jitter source.
/**
 * Run `work` until it succeeds or the tries are used up, sleeping {@link backoffDelayMs} in between.
 * The last error is thrown. `mayRetry` is asked before each further try (a time budget, say); once it
 * says no, the last error is thrown.
 *
 * @example
 * await retry(() => inbox.store(event), { attempts: 3, baseDelayMs: 50, maxDelayMs: 400 });
 */
export async function retry<T>(
  work: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  random: () => number = Math.random,
  mayRetry: () => boolean = () => true,
): Promise<T> {
  const attempts = Math.max(1, Math.trunc(policy.attempts));
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await work(attempt);
    } catch (error) {
      lastError = error;
      if (attempt === attempts || !mayRetry()) break;
      await new Promise((resolve) => setTimeout(resolve, backoffDelayMs(policy, attempt, random)));
    }
  }
  throw lastError;
}
