/** Thrown by {@link withDeadline} when the work did not finish in time. */
export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError";
  constructor(readonly ms: number) {
    super(`did not finish within ${ms} ms`);
  }
}

/**
 * Race `work` against a timer. The work itself is not cancelled (most clients can't be), but the
 * caller gets an answer in time; a late rejection is swallowed so it can't crash the process.
 *
 * @example
 * const memories = await withDeadline(store.list(callerId), 1500);
 */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(ms)), ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
