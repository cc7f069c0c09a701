import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import type { UsageReader } from "../../../application/ports/usage-metrics.port";
import {
  LATENCY_ROUTES,
  USAGE_WINDOWS_MS,
  utcDate,
  type LatencyFigures,
  type LatencyRoute,
  type MetricRoute,
  type UsageDay,
  type UsageOverview,
  type UsageWindow,
} from "../../../domain/usage";
import { describeError } from "../../../domain/error-description";
import { USAGE_METRICS, usageDimensions, type UsageMetricName } from "./usage-metric-names";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const CHART_DAYS = 7;

type Statistic = "Sum" | "SampleCount" | "p50" | "p95";
type WindowName = keyof typeof USAGE_WINDOWS_MS;

/** One GetMetricData request: its time range and queries (ids unique across the requests of one overview). */
export interface UsageRequest {
  readonly startMs: number;
  readonly endMs: number;
  readonly queries: readonly MetricDataQuery[];
}

/** The requests behind one overview: the daily chart, and each window as one period. */
export type UsageRequests = Readonly<Record<"days" | WindowName, UsageRequest>>;

/** What CloudWatch answered, by query id. */
export type UsageResults = ReadonlyMap<string, { readonly timestamps: readonly number[]; readonly values: readonly number[] }>;

const isPercentile = (query: MetricDataQuery): boolean => /^p\d/.test(query.MetricStat?.Stat ?? "");

/** Why a GetMetricData request failed, in a few words: the HTTP status when there was one (an emulator's 500 page has no error name worth showing). */
function refusal(error: unknown): string {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status === undefined ? describeError(error, 120) : `HTTP ${status}`;
}

const latencyId = (window: WindowName, route: LatencyRoute, what: "count" | "p50" | "p95") => `${window}_${route.replace(/-/g, "_")}_${what}`;

function query(namespace: string, id: string, route: MetricRoute, name: UsageMetricName, stat: Statistic, periodMs: number): MetricDataQuery {
  return {
    Id: id,
    MetricStat: { Metric: { Namespace: namespace, MetricName: name, Dimensions: usageDimensions(route) }, Period: periodMs / 1000, Stat: stat },
    ReturnData: true,
  };
}

/**
 * The GetMetricData requests of the overview as of `nowMs`: calls (client-data `Ok`) and memories
 * written per UTC day from midnight six days ago, and for each window, as one period ending at the next
 * whole minute (CloudWatch's granularity), the calls, the shares' numerators, the memories written and
 * each latency route's request count, p50 and p95.
 */
export function usageRequests(namespace: string, nowMs: number): UsageRequests {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const days: UsageRequest = {
    startMs: today - (CHART_DAYS - 1) * DAY_MS,
    endMs: today + DAY_MS,
    queries: [
      query(namespace, "days_calls", "client-data", USAGE_METRICS.ok, "Sum", DAY_MS),
      query(namespace, "days_memories", "worker", USAGE_METRICS.memoriesWritten, "Sum", DAY_MS),
    ],
  };
  const endMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const window = (name: WindowName): UsageRequest => {
    const periodMs = USAGE_WINDOWS_MS[name];
    const q = (id: string, route: MetricRoute, metric: UsageMetricName, stat: Statistic) => query(namespace, `${name}_${id}`, route, metric, stat, periodMs);
    return {
      startMs: endMs - periodMs,
      endMs,
      queries: [
        q("calls", "client-data", USAGE_METRICS.ok, "Sum"),
        q("returning", "client-data", USAGE_METRICS.returning, "Sum"),
        q("greeted", "client-data", USAGE_METRICS.greetedByName, "Sum"),
        q("degraded", "client-data", USAGE_METRICS.degraded, "Sum"),
        q("memories", "worker", USAGE_METRICS.memoriesWritten, "Sum"),
        ...LATENCY_ROUTES.flatMap((route) => [
          query(namespace, latencyId(name, route, "count"), route, USAGE_METRICS.latency, "SampleCount", periodMs),
          query(namespace, latencyId(name, route, "p50"), route, USAGE_METRICS.latency, "p50", periodMs),
          query(namespace, latencyId(name, route, "p95"), route, USAGE_METRICS.latency, "p95", periodMs),
        ]),
      ],
    };
  };
  return { days, last24h: window("last24h"), last7d: window("last7d") };
}

/** The overview from what CloudWatch answered to {@link usageRequests}; a query without data counts as none. */
export function overviewOf(requests: UsageRequests, results: UsageResults): UsageOverview {
  const sum = (id: string) => (results.get(id)?.values ?? []).reduce((total, value) => total + value, 0);
  const onDay = (id: string, date: string) => {
    const series = results.get(id);
    if (series === undefined) return 0;
    return series.values.reduce((total, value, i) => total + (utcDate(series.timestamps[i] ?? Number.NaN) === date ? value : 0), 0);
  };
  const days: UsageDay[] = Array.from({ length: CHART_DAYS }, (_, i) => {
    const date = utcDate(requests.days.startMs + i * DAY_MS);
    return { date, calls: onDay("days_calls", date), memoriesWritten: onDay("days_memories", date) };
  });
  const window = (name: WindowName): UsageWindow => {
    const calls = sum(`${name}_calls`);
    const share = (id: string) => (calls === 0 ? null : sum(`${name}_${id}`) / calls);
    const latency = (route: LatencyRoute): LatencyFigures => {
      const count = sum(latencyId(name, route, "count"));
      // One period per window: its one value, if CloudWatch has one.
      const value = (what: "p50" | "p95") => (count === 0 ? null : (results.get(latencyId(name, route, what))?.values[0] ?? null));
      return { count, p50: value("p50"), p95: value("p95") };
    };
    return {
      calls,
      returningShare: share("returning"),
      greetedByNameShare: share("greeted"),
      degradedShare: share("degraded"),
      memoriesWritten: sum(`${name}_memories`),
      latency: Object.fromEntries(LATENCY_ROUTES.map((route) => [route, latency(route)])) as Record<LatencyRoute, LatencyFigures>,
    };
  };
  return { days, last24h: window("last24h"), last7d: window("last7d") };
}

/**
 * The AWS {@link UsageReader}, for the operator CLI: reads the metrics the functions' EMF lines became
 * with GetMetricData (`cloudwatch:GetMetricData` on the operator's own credentials). The latency
 * percentiles are asked for apart from the counts: when that part is refused, the overview has every
 * count, null percentiles and {@link UsageOverview.latencyUnavailable} saying why.
 *
 * @example
 * const overview = await new CloudWatchUsageReader({ cloudwatch: buildCloudWatchClient(), namespace }).overview(Date.now());
 */
export class CloudWatchUsageReader implements UsageReader {
  constructor(private readonly options: { readonly cloudwatch: CloudWatchClient; readonly namespace: string }) {}

  async overview(nowMs: number): Promise<UsageOverview> {
    const requests = usageRequests(this.options.namespace, nowMs);
    const part = (request: UsageRequest, percentiles: boolean) => ({ ...request, queries: request.queries.filter((q) => isPercentile(q) === percentiles) });
    // The percentiles apart: where CloudWatch (or an emulator) refuses them, the counts still show.
    const [counts, percentiles] = await Promise.all([
      Promise.all(Object.values(requests).map((request) => this.fetch(part(request, false)))),
      Promise.allSettled(Object.values(requests).map((request) => this.fetch(part(request, true)))),
    ]);
    const refused = percentiles.find((outcome) => outcome.status === "rejected");
    if (refused !== undefined) {
      return { ...overviewOf(requests, new Map(counts.flat())), latencyUnavailable: `CloudWatch did not answer the p50/p95 query (${refusal(refused.reason)})` };
    }
    const answered = percentiles.flatMap((outcome) => (outcome.status === "fulfilled" ? outcome.value : []));
    return overviewOf(requests, new Map([...counts.flat(), ...answered]));
  }

  private async fetch(request: UsageRequest): Promise<[string, { timestamps: number[]; values: number[] }][]> {
    if (request.queries.length === 0) return [];
    const series = new Map<string, { timestamps: number[]; values: number[] }>();
    let nextToken: string | undefined;
    do {
      const page = await this.options.cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(request.startMs),
          EndTime: new Date(request.endMs),
          MetricDataQueries: [...request.queries],
          NextToken: nextToken,
        }),
      );
      for (const result of page.MetricDataResults ?? []) {
        if (result.Id === undefined) continue;
        const into = series.get(result.Id) ?? { timestamps: [], values: [] };
        into.timestamps.push(...(result.Timestamps ?? []).map((t) => t.getTime()));
        into.values.push(...(result.Values ?? []));
        series.set(result.Id, into);
      }
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    return [...series];
  }
}
