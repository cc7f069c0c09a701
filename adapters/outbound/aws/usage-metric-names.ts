/**
 * What a metric event becomes in CloudWatch: the metric names, units and dimensions the EMF recorder
 * writes, the CloudWatch reader asks for and the Pulumi dashboard charts. Defined once so the three
 * cannot drift apart. Pure data, no SDK: the Lambda bundles, the CLI and the Pulumi program import it.
 */
import type { MetricRoute, RequestMetric } from "../../../domain/usage";

/** The `service` dimension Powertools Metrics puts on every metric, beside {@link ROUTE_DIMENSION}. */
export const METRICS_SERVICE = "agentic-memory";
export const ROUTE_DIMENSION = "route";

/**
 * The metrics of one event. The outcome and the client-data flags are 0 or 1 on every event that has
 * them, so a metric's Sum counts and its Average is a share.
 */
export const USAGE_METRICS = {
  /** Answered 2xx, or the event ingested. On client-data, its Sum is the calls started. */
  ok: "Ok",
  /** Answered 4xx, or the event parked. */
  rejected: "Rejected",
  /** Answered 5xx, or the ingestion failed. */
  failed: "Failed",
  /** Milliseconds from arrival to answer (p50 and p95 on the dashboard). */
  latency: "Latency",
  /** Client-data answered 2xx only, so their Average is a share of the calls. */
  returning: "Returning",
  greetedByName: "GreetedByName",
  degraded: "Degraded",
  /** Worker only: the memories one ingestion wrote. */
  memoriesWritten: "MemoriesWritten",
} as const;

export type UsageMetricName = (typeof USAGE_METRICS)[keyof typeof USAGE_METRICS];

export const USAGE_METRIC_UNITS: Readonly<Record<UsageMetricName, "Count" | "Milliseconds">> = {
  Ok: "Count",
  Rejected: "Count",
  Failed: "Count",
  Latency: "Milliseconds",
  Returning: "Count",
  GreetedByName: "Count",
  Degraded: "Count",
  MemoriesWritten: "Count",
};

/** The dimensions of every metric of `route`, as CloudWatch's API names them. */
export function usageDimensions(route: MetricRoute): { Name: string; Value: string }[] {
  return [
    { Name: "service", Value: METRICS_SERVICE },
    { Name: ROUTE_DIMENSION, Value: route },
  ];
}

const bit = (flag: boolean | undefined): number => (flag === true ? 1 : 0);

/**
 * The metric values one event is recorded as.
 *
 * @example
 * usageMetricValues({ route: "retrieve", outcome: "ok", at: 0, latencyMs: 42 });
 * // [["Ok", 1], ["Rejected", 0], ["Failed", 0], ["Latency", 42]]
 */
export function usageMetricValues(metric: RequestMetric): [UsageMetricName, number][] {
  const values: [UsageMetricName, number][] = [
    [USAGE_METRICS.ok, bit(metric.outcome === "ok")],
    [USAGE_METRICS.rejected, bit(metric.outcome === "rejected")],
    [USAGE_METRICS.failed, bit(metric.outcome === "failed")],
    [USAGE_METRICS.latency, Math.max(0, Math.round(metric.latencyMs))],
  ];
  if (metric.route === "client-data" && metric.outcome === "ok") {
    values.push(
      [USAGE_METRICS.returning, bit(metric.returning)],
      [USAGE_METRICS.greetedByName, bit(metric.greetedByName)],
      [USAGE_METRICS.degraded, bit(metric.degraded)],
    );
  }
  if (metric.route === "worker") values.push([USAGE_METRICS.memoriesWritten, metric.memoriesWritten ?? 0]);
  return values;
}
