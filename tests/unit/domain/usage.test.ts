import { describe, expect, it } from "vitest";
import { outcomeOfStatus, percentile, summariseUsage, usageSince, type RequestMetric } from "../../../domain/usage";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-03-10 09:00 UTC: "today" in these tests. */
const NOW = Date.UTC(2026, 2, 10, 9);
const MIDNIGHT = Date.UTC(2026, 2, 10);

const call = (at: number, more: Partial<RequestMetric> = {}): RequestMetric => ({
  route: "client-data",
  outcome: "ok",
  at,
  latencyMs: 100,
  degraded: false,
  returning: false,
  greetedByName: false,
  ...more,
});
const ingestion = (at: number, memoriesWritten: number): RequestMetric => ({ route: "worker", outcome: "ok", at, latencyMs: 900, memoriesWritten });

describe("summariseUsage: the days of the chart", () => {
  it("lists the last seven UTC days, oldest first and today last, with zeros on days without traffic", () => {
    const { days } = summariseUsage([], NOW);

    expect(days.map((d) => d.date)).toEqual(["2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10"]);
    expect(days.every((d) => d.calls === 0 && d.memoriesWritten === 0)).toBe(true);
  });

  it("puts an event on the UTC day it arrived: the last millisecond before midnight on the day before, midnight itself on the day", () => {
    const metrics = [call(MIDNIGHT - 1), call(MIDNIGHT), call(MIDNIGHT + 1), ingestion(MIDNIGHT - 1, 3), ingestion(MIDNIGHT, 5)];

    const { days } = summariseUsage(metrics, NOW);

    expect(days.at(-2)).toEqual({ date: "2026-03-09", calls: 1, memoriesWritten: 3 });
    expect(days.at(-1)).toEqual({ date: "2026-03-10", calls: 2, memoriesWritten: 5 });
  });

  it("counts as calls only client-data answered 2xx; requests of other routes and refused or failed ones are not calls", () => {
    const metrics = [
      call(NOW - HOUR),
      call(NOW - HOUR, { outcome: "rejected" }),
      call(NOW - HOUR, { outcome: "failed" }),
      { route: "retrieve", outcome: "ok", at: NOW - HOUR, latencyMs: 50 } as const,
      { route: "post-call", outcome: "ok", at: NOW - HOUR, latencyMs: 50 } as const,
    ];

    const overview = summariseUsage(metrics, NOW);

    expect(overview.days.at(-1)?.calls).toBe(1);
    expect(overview.last24h.calls).toBe(1);
  });

  it("leaves out events older than the oldest chart day and events after now", () => {
    const oldestDay = MIDNIGHT - 6 * DAY;
    const metrics = [call(oldestDay - 1), call(oldestDay), call(NOW + 1), ingestion(NOW + 1, 4)];

    const { days } = summariseUsage(metrics, NOW);

    expect(days.map((d) => d.calls)).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(days.at(-1)?.memoriesWritten).toBe(0);
  });
});

describe("summariseUsage: the windows", () => {
  it("takes the last 24 h and the last 7 d back from now, whatever the calendar day", () => {
    // 24 h + 1 ms ago is yesterday's traffic; exactly 24 h ago is just out, 24 h minus 1 ms just in.
    const metrics = [call(NOW - DAY - 1), call(NOW - DAY), call(NOW - DAY + 1), call(NOW - 7 * DAY), call(NOW - 7 * DAY + 1), call(NOW)];

    const overview = summariseUsage(metrics, NOW);

    expect(overview.last24h.calls).toBe(2);
    expect(overview.last7d.calls).toBe(5);
  });

  it("gives returning, greeted-by-name and degraded as shares of the calls, and no share without a call", () => {
    const metrics = [
      call(NOW - HOUR, { returning: true, greetedByName: true }),
      call(NOW - HOUR, { returning: true }),
      call(NOW - HOUR, { degraded: true }),
      call(NOW - HOUR),
      // Refused: not a call, so it weighs in no share.
      call(NOW - HOUR, { outcome: "rejected", returning: true, greetedByName: true, degraded: true }),
    ];

    const overview = summariseUsage(metrics, NOW);
    const empty = summariseUsage([], NOW);

    expect(overview.last24h).toMatchObject({ calls: 4, returningShare: 0.5, greetedByNameShare: 0.25, degradedShare: 0.25 });
    expect(empty.last24h).toMatchObject({ calls: 0, returningShare: null, greetedByNameShare: null, degradedShare: null });
  });

  it("adds up the memories the worker wrote in each window", () => {
    const metrics = [ingestion(NOW - HOUR, 4), ingestion(NOW - 2 * DAY, 6), ingestion(NOW - 8 * DAY, 100)];

    const overview = summariseUsage(metrics, NOW);

    expect(overview.last24h.memoriesWritten).toBe(4);
    expect(overview.last7d.memoriesWritten).toBe(10);
  });

  it("gives p50 and p95 latency per route a caller waits on, over every answer of that route (refused and failed ones too)", () => {
    const latencies = Array.from({ length: 20 }, (_, i) => (i + 1) * 10); // 10..200 ms
    const metrics: RequestMetric[] = [
      ...latencies.map((latencyMs, i) => call(NOW - HOUR, { latencyMs, outcome: i === 0 ? "rejected" : "ok" })),
      { route: "retrieve", outcome: "failed", at: NOW - 2 * DAY, latencyMs: 3000 },
    ];

    const overview = summariseUsage(metrics, NOW);

    expect(overview.last24h.latency["client-data"]).toEqual({ count: 20, p50: 100, p95: 190 });
    expect(overview.last24h.latency.retrieve).toEqual({ count: 0, p50: null, p95: null });
    expect(overview.last7d.latency.retrieve).toEqual({ count: 1, p50: 3000, p95: 3000 });
    expect(overview.last7d.latency["post-call"]).toEqual({ count: 0, p50: null, p95: null });
  });
});

describe("percentile", () => {
  it.each([
    [[10, 20, 30, 40], 0.5, 20],
    [[10, 20, 30, 40], 0.95, 40],
    [[10], 0.95, 10],
    [[10, 20, 30, 40], 0, 10],
    [[], 0.5, null],
  ])("nearest rank of %j at %s is %s", (sorted, q, expected) => {
    expect(percentile(sorted, q)).toBe(expected);
  });
});

describe("usageSince", () => {
  it("reaches back before the start of the oldest chart day, so one read covers the chart and both windows", () => {
    expect(usageSince(NOW)).toBeLessThanOrEqual(MIDNIGHT - 6 * DAY);
    expect(usageSince(MIDNIGHT + DAY - 1)).toBeLessThanOrEqual(MIDNIGHT - 6 * DAY);
  });
});

describe("outcomeOfStatus", () => {
  it.each([
    [200, "ok"],
    [204, "ok"],
    [400, "rejected"],
    [401, "rejected"],
    [413, "rejected"],
    [429, "rejected"],
    [500, "failed"],
    [503, "failed"],
  ])("%s is %s", (status, outcome) => {
    expect(outcomeOfStatus(status)).toBe(outcome);
  });
});
