import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { UsageReader, UsageRecorder } from "../../application/ports/usage-metrics.port";
import { summariseUsage, type RequestMetric } from "../../domain/usage";

export interface UsageMetricsHarness {
  readonly recorder: UsageRecorder;
  /** The reader over what `recorder` kept (the same store, or the same place read afresh). */
  reader(): Promise<UsageReader>;
  close?(): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-03-10 09:00 UTC. */
export const NOW = Date.UTC(2026, 2, 10, 9);

/** A week of traffic of every route and outcome, some of it just outside the windows. */
function weekOfTraffic(): RequestMetric[] {
  const events: RequestMetric[] = [];
  for (let day = 0; day < 9; day += 1) {
    const at = NOW - day * DAY - 5 * 60_000;
    events.push(
      { route: "client-data", outcome: "ok", at, latencyMs: 80 + day, degraded: false, returning: day % 2 === 0, greetedByName: day % 4 === 0 },
      { route: "client-data", outcome: "ok", at: at - HOUR, latencyMs: 1500, degraded: true, returning: false, greetedByName: false },
      { route: "client-data", outcome: "rejected", at, latencyMs: 3 },
      { route: "retrieve", outcome: "ok", at, latencyMs: 40 + day * 10 },
      { route: "remember", outcome: "ok", at, latencyMs: 60 },
      { route: "post-call", outcome: day === 3 ? "failed" : "ok", at, latencyMs: 120.5 },
      { route: "worker", outcome: "ok", at: at + 60_000, latencyMs: 900, memoriesWritten: day + 1 },
      { route: "worker", outcome: "rejected", at: at + 60_000, latencyMs: 20, memoriesWritten: 0 },
    );
  }
  return events;
}

/**
 * The behaviour every {@link UsageRecorder} + {@link UsageReader} pair that keeps the events itself
 * must show: run against the in-memory fake and the embedded SQLite store. (The CloudWatch pair is
 * tested against moto in tests/integration/cloudwatch-usage.test.ts: CloudWatch aggregates, it keeps no events.)
 */
export function describeUsageMetricsContract(name: string, createHarness: () => Promise<UsageMetricsHarness>): void {
  describe(`usage metrics contract: ${name}`, () => {
    let harness: UsageMetricsHarness;

    beforeEach(async () => {
      harness = await createHarness();
    });
    afterEach(async () => {
      await harness.close?.();
    });

    it("answers an empty overview before any event: seven days of zeros, no shares, no latency", async () => {
      const overview = await (await harness.reader()).overview(NOW);

      expect(overview).toEqual(summariseUsage([], NOW));
      expect(overview.days).toHaveLength(7);
      expect(overview.last7d).toMatchObject({ calls: 0, returningShare: null, memoriesWritten: 0 });
    });

    it("summarises what was recorded as summariseUsage does: calls and memories per day, shares, latency per route", async () => {
      const events = weekOfTraffic();
      for (const event of events) await harness.recorder.record(event);

      const overview = await (await harness.reader()).overview(NOW);

      expect(overview).toEqual(summariseUsage(events, NOW));
      expect(overview.last24h.calls).toBe(2);
      expect(overview.last7d.memoriesWritten).toBeGreaterThan(0);
      expect(overview.last24h.latency["post-call"]).toEqual({ count: 1, p50: 120.5, p95: 120.5 });
    });

    it("leaves out of an overview as of an earlier time what was recorded after it", async () => {
      const events = weekOfTraffic();
      for (const event of events) await harness.recorder.record(event);
      const earlier = NOW - 2 * DAY;

      const overview = await (await harness.reader()).overview(earlier);

      expect(overview).toEqual(summariseUsage(events.filter((e) => e.at <= earlier), earlier));
      expect(overview.days.at(-1)?.date).toBe("2026-03-08");
    });
  });
}
