// The AWS pair of the usage metrics: what the EMF recorder prints, turned into metric data as CloudWatch
// Logs does, is read back by the CloudWatch reader from an emulator (moto, or LocalStack / AWS_ENDPOINT_URL).
//
// moto (5.2) computes Sum, Average, SampleCount, Minimum and Maximum in GetMetricData but not percentile
// statistics: a request with `p50` or `p95` is answered with a 500 page. The latency percentiles are
// therefore taken out of the requests on their way to the emulator (and their values are checked
// against a CloudWatch-shaped answer below, not against an emulator); everything else the reader does runs
// against it unchanged.
import { randomBytes } from "node:crypto";
import { CloudWatchClient, PutMetricDataCommand, type GetMetricDataCommandInput, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudWatchUsageReader, overviewOf, usageRequests } from "../../adapters/outbound/aws/cloudwatch-usage-reader";
import { EmfUsageRecorder } from "../../adapters/outbound/aws/emf-usage-recorder";
import { LATENCY_ROUTES, summariseUsage, type RequestMetric, type UsageWindow } from "../../domain/usage";
import { startAwsEndpoint, type AwsEndpoint } from "../support/aws-endpoint";
import { captureEmf, emfToMetricData } from "../support/emf";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const isPercentile = (query: MetricDataQuery) => /^p\d/.test(query.MetricStat?.Stat ?? "");

let aws: AwsEndpoint;
let cloudwatch: CloudWatchClient;
/** The queries the reader sent, before the percentile ones were taken out for the emulator. */
const asked: MetricDataQuery[] = [];

beforeAll(async () => {
  aws = await startAwsEndpoint();
  cloudwatch = new CloudWatchClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  cloudwatch.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as GetMetricDataCommandInput;
      if (input.MetricDataQueries !== undefined) {
        asked.push(...input.MetricDataQueries);
        if (aws.kind === "moto") input.MetricDataQueries = input.MetricDataQueries.filter((query) => !isPercentile(query));
      }
      return next(args);
    },
    { step: "initialize", name: "percentilesOffForMoto" },
  );
});

afterAll(async () => {
  cloudwatch?.destroy();
  await aws?.stop();
});

/** A week of traffic back from `now`, at least five minutes from any window's edge. */
function weekBefore(now: number): RequestMetric[] {
  const events: RequestMetric[] = [];
  for (let day = 0; day < 9; day += 1) {
    const at = now - day * DAY - 5 * 60_000;
    events.push(
      { route: "client-data", outcome: "ok", at, latencyMs: 80, degraded: false, returning: day % 2 === 0, greetedByName: day % 4 === 0 },
      { route: "client-data", outcome: "ok", at: at - HOUR, latencyMs: 1500, degraded: true, returning: false, greetedByName: false },
      { route: "client-data", outcome: "rejected", at, latencyMs: 3 },
      { route: "retrieve", outcome: "ok", at, latencyMs: 40 },
      { route: "post-call", outcome: day === 3 ? "failed" : "ok", at, latencyMs: 120 },
      { route: "worker", outcome: "ok", at: at + 60_000, latencyMs: 900, memoriesWritten: day + 1 },
    );
  }
  return events;
}

/** Records `events` with the EMF recorder and puts what its lines become into the emulator. */
async function recordThroughEmf(namespace: string, events: readonly RequestMetric[]): Promise<void> {
  const recorder = new EmfUsageRecorder(namespace);
  const lines = await captureEmf(async () => {
    for (const event of events) await recorder.record(event);
  });
  expect(lines).toHaveLength(events.length);
  for (const { namespace: lineNamespace, data } of lines.flatMap(emfToMetricData)) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: lineNamespace, MetricData: data }));
  }
}

describe("CloudWatchUsageReader against the emulator", () => {
  it("reads back what the EMF recorder printed: calls and memories per UTC day, the shares of calls, requests per route", async () => {
    // Prepare
    const namespace = `test-usage-${randomBytes(4).toString("hex")}`;
    const now = Date.now();
    const events = weekBefore(now);
    const reader = new CloudWatchUsageReader({ cloudwatch, namespace });
    // Before anything is recorded. (Not in a namespace of its own beside recorded data: moto 5.2 matches
    // a query with dimensions on name and dimensions only, whatever its namespace.)
    const before = await reader.overview(now);
    await recordThroughEmf(namespace, events);

    // Act
    const overview = await reader.overview(now);

    // Assess
    expect(before).toEqual(summariseUsage([], now));
    const expected = summariseUsage(events, now);
    expect(overview.days).toEqual(expected.days);
    for (const window of ["last24h", "last7d"] as const) {
      const { latency, ...figures } = overview[window];
      const { latency: expectedLatency, ...expectedFigures } = expected[window];
      expect(figures).toEqual(expectedFigures);
      for (const route of LATENCY_ROUTES) expect(latency[route].count).toBe(expectedLatency[route].count);
    }
    expect(expected.last7d.calls).toBeGreaterThan(expected.last24h.calls);
    expect(expected.last7d.degradedShare).toBeGreaterThan(0);
  });

  it("asks for p50 and p95 of each waited-on route's latency over each window, as one period ending after now", async () => {
    const namespace = `test-usage-${randomBytes(4).toString("hex")}`;
    const now = Date.now();
    asked.length = 0;

    await new CloudWatchUsageReader({ cloudwatch, namespace }).overview(now);

    const percentiles = asked.filter(isPercentile).map((q) => `${q.MetricStat?.Period} ${q.MetricStat?.Metric?.Dimensions?.find((d) => d.Name === "route")?.Value} ${q.MetricStat?.Metric?.MetricName} ${q.MetricStat?.Stat}`);
    expect(percentiles.sort()).toEqual(
      [86_400, 604_800].flatMap((period) => LATENCY_ROUTES.flatMap((route) => [`${period} ${route} Latency p50`, `${period} ${route} Latency p95`])).sort(),
    );
    expect(asked.every((q) => q.MetricStat?.Metric?.Namespace === namespace)).toBe(true);
  });

  it("keeps every count when CloudWatch refuses the percentile statistics, and says the latency percentiles are unavailable", async () => {
    // Prepare
    const namespace = `test-usage-${randomBytes(4).toString("hex")}`;
    const now = Date.now();
    const events = weekBefore(now);
    await recordThroughEmf(namespace, events);
    const refusing = new CloudWatchClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
    refusing.middlewareStack.add(
      (next) => async (args) => {
        const queries = (args.input as GetMetricDataCommandInput).MetricDataQueries ?? [];
        if (queries.some(isPercentile)) throw Object.assign(new Error("Internal Server Error"), { $metadata: { httpStatusCode: 500 } });
        return next(args);
      },
      { step: "initialize", name: "refusePercentiles" },
    );

    // Act
    const overview = await new CloudWatchUsageReader({ cloudwatch: refusing, namespace }).overview(now);
    refusing.destroy();
    // What the same metrics read as when nothing is refused (moto mixes namespaces, see above: compared, not counted).
    const answered = await new CloudWatchUsageReader({ cloudwatch, namespace }).overview(now);

    // Assess
    const withoutPercentiles = (window: UsageWindow): UsageWindow => ({
      ...window,
      latency: Object.fromEntries(LATENCY_ROUTES.map((route) => [route, { count: window.latency[route].count, p50: null, p95: null }])) as UsageWindow["latency"],
    });
    expect(overview).toEqual({
      days: answered.days,
      last24h: withoutPercentiles(answered.last24h),
      last7d: withoutPercentiles(answered.last7d),
      latencyUnavailable: "CloudWatch did not answer the p50/p95 query (HTTP 500)",
    });
    expect(overview.last7d.calls).toBeGreaterThanOrEqual(summariseUsage(events, now).last7d.calls);
    expect(overview.last7d.latency["client-data"].count).toBeGreaterThan(0);
  });
});

describe("overviewOf (what CloudWatch answers, read into the overview)", () => {
  it("takes each window's p50 and p95 from CloudWatch's one value per period, and none where the route had no request", () => {
    const now = Date.UTC(2026, 2, 10, 9);
    const requests = usageRequests("ns", now);
    const idOf = (window: "last24h" | "last7d", route: string, stat: string) =>
      requests[window].queries.find((q) => q.MetricStat?.Stat === stat && q.MetricStat.Metric?.Dimensions?.some((d) => d.Value === route) && q.MetricStat.Metric.MetricName === "Latency")?.Id ?? "";
    const at = [requests.last24h.startMs];
    const results = new Map([
      [idOf("last24h", "client-data", "SampleCount"), { timestamps: at, values: [40] }],
      [idOf("last24h", "client-data", "p50"), { timestamps: at, values: [85] }],
      [idOf("last24h", "client-data", "p95"), { timestamps: at, values: [1480] }],
    ]);

    const overview = overviewOf(requests, results);

    expect(overview.last24h.latency["client-data"]).toEqual({ count: 40, p50: 85, p95: 1480 });
    expect(overview.last24h.latency.retrieve).toEqual({ count: 0, p50: null, p95: null });
    expect(overview.last7d.latency["client-data"]).toEqual({ count: 0, p50: null, p95: null });
  });
});
