import { afterEach, describe, expect, it, vi } from "vitest";
import { DeadlineExceededError, withDeadline } from "../../application/deadline";
import { backoffDelayMs, retry, type RetryPolicy } from "../../application/retry";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const settled = <T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

afterEach(() => {
  vi.useRealTimers();
});

describe("withDeadline", () => {
  it("passes through work that finishes in time", async () => {
    // Prepare
    const work = sleep(5).then(() => "memories");

    // Act
    const result = await withDeadline(work, 1000);

    // Assess
    expect(result).toBe("memories");
  });

  it("passes through the work's own error when it fails in time", async () => {
    // Prepare
    const failure = new Error("store is down");

    // Act
    const outcome = await settled(withDeadline(Promise.reject(failure), 1000));

    // Assess
    expect(outcome).toEqual({ error: failure });
  });

  it("rejects with DeadlineExceededError once the deadline passes, without waiting for the work", async () => {
    // Prepare
    const never = new Promise<string>(() => undefined);

    // Act
    const started = performance.now();
    const outcome = await settled(withDeadline(never, 50));
    const elapsed = performance.now() - started;

    // Assess
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(1000);
    expect("error" in outcome && outcome.error).toBeInstanceOf(DeadlineExceededError);
    expect(outcome).toMatchObject({ error: { name: "DeadlineExceededError", ms: 50 } });
  });

  it("swallows a rejection that arrives after the deadline (no unhandled rejection)", async () => {
    // Prepare
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const late = sleep(30).then(() => Promise.reject(new Error("late failure from the memory service")));

    try {
      // Act
      const outcome = await settled(withDeadline(late, 5));
      await sleep(60);
      await new Promise((resolve) => setImmediate(resolve));

      // Assess
      expect("error" in outcome && outcome.error).toBeInstanceOf(DeadlineExceededError);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("leaves no timer behind when the work finishes first", async () => {
    // Prepare
    vi.useFakeTimers();

    // Act
    const result = await withDeadline(Promise.resolve(42), 60_000);

    // Assess
    expect(result).toBe(42);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("retry", () => {
  const QUICK: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

  it("returns the first success and tells the work which attempt it is", async () => {
    // Prepare
    const attempts: number[] = [];
    const work = async (attempt: number) => {
      attempts.push(attempt);
      if (attempt < 3) throw new Error(`failure ${attempt}`);
      return "stored";
    };

    // Act
    const result = await retry(work, QUICK);

    // Assess
    expect(result).toBe("stored");
    expect(attempts).toEqual([1, 2, 3]);
  });

  it("does not retry work that succeeds at once", async () => {
    // Prepare
    let calls = 0;

    // Act
    const result = await retry(async () => (calls += 1), QUICK);

    // Assess
    expect(result).toBe(1);
    expect(calls).toBe(1);
  });

  it.each([{ attempts: 1 }, { attempts: 2 }, { attempts: 4 }])(
    "with $attempts attempts, tries exactly that often and rethrows the last error",
    async ({ attempts }) => {
      // Prepare
      let calls = 0;
      const work = async (attempt: number): Promise<never> => {
        calls += 1;
        throw new Error(`failure ${attempt}`);
      };

      // Act
      const outcome = await settled(retry(work, { ...QUICK, attempts }));

      // Assess
      expect(calls).toBe(attempts);
      expect(outcome).toMatchObject({ error: { message: `failure ${attempts}` } });
    },
  );

  it.each([
    { name: "the largest jitter waits the full ceiling, doubling up to the cap", jitter: 1, maxDelayMs: 250, times: [0, 100, 300, 550] },
    { name: "the smallest jitter waits half the ceiling", jitter: 0, maxDelayMs: 1000, times: [0, 50, 150, 350] },
  ])("backs off exponentially between tries: $name", async ({ jitter, maxDelayMs, times }) => {
    // Prepare
    vi.useFakeTimers();
    const seen: number[] = [];
    const start = Date.now();
    const work = async (): Promise<never> => {
      seen.push(Date.now() - start);
      throw new Error("still down");
    };

    // Act
    const outcome = settled(retry(work, { attempts: 4, baseDelayMs: 100, maxDelayMs }, () => jitter));
    await vi.runAllTimersAsync();

    // Assess
    expect(seen).toEqual(times);
    expect(await outcome).toMatchObject({ error: { message: "still down" } });
  });
});

describe("backoffDelayMs", () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it.each([
    { failures: 1, smallest: 50, largest: 100 },
    { failures: 2, smallest: 100, largest: 200 },
    { failures: 4, smallest: 400, largest: 800 },
    { failures: 5, smallest: 500, largest: 1_000 },
    { failures: 30, smallest: 500, largest: 1_000 },
  ])("after $failures failure(s) waits $smallest to $largest ms", ({ failures, smallest, largest }) => {
    expect(backoffDelayMs(policy, failures, () => 0)).toBe(smallest);
    expect(backoffDelayMs(policy, failures, () => 0.999_999)).toBe(largest);
  });
});
