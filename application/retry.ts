export interface RetryPolicy {
  /** Total tries, the first included. */
  readonly attempts: number;
  /** Delay before the second try; doubles each time. */
  readonly baseDelayMs: number;
  /** Upper bound for one delay. */
  readonly maxDelayMs: number;
}

/**
 * Run `work` until it succeeds or the tries are used up, sleeping with exponential backoff and
 * full jitter in between (so many failing workers don't retry in lock-step). The last error is thrown.
 * `mayRetry` is asked before each further try (a time budget, say); once it says no, the last error is thrown.
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
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.round(ceiling / 2 + (random() * ceiling) / 2)));
    }
  }
  throw lastError;
}
