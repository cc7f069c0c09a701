import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { UsageRecorder } from "../../../application/ports/usage-metrics.port";
import type { RequestMetric } from "../../../domain/usage";
import { METRICS_SERVICE, ROUTE_DIMENSION, USAGE_METRIC_UNITS, usageMetricValues } from "./usage-metric-names";

const UNITS = { Count: MetricUnit.Count, Milliseconds: MetricUnit.Milliseconds } as const;

/**
 * The AWS {@link UsageRecorder}: each event is one CloudWatch Embedded Metric Format line on stdout,
 * which CloudWatch Logs turns into metrics of `namespace` (dimensions `service` and `route`). No API
 * call and no IAM grant: the function's log group already takes its output. The line is written
 * before `record` resolves, so it is out before the handler answers and Lambda freezes.
 *
 * @example
 * const recorder = new EmfUsageRecorder("elevenlabs-agentic-memory-prod");
 * await recorder.record({ route: "retrieve", outcome: "ok", at: Date.now(), latencyMs: 42 });
 */
export class EmfUsageRecorder implements UsageRecorder {
  private readonly metrics: Metrics;

  constructor(namespace: string) {
    this.metrics = new Metrics({ namespace, serviceName: METRICS_SERVICE });
  }

  async record(metric: RequestMetric): Promise<void> {
    // Synchronous from here to the flush: concurrent requests of one process never mix their values.
    this.metrics.addDimension(ROUTE_DIMENSION, metric.route);
    this.metrics.setTimestamp(metric.at);
    for (const [name, value] of usageMetricValues(metric)) this.metrics.addMetric(name, UNITS[USAGE_METRIC_UNITS[name]], value);
    this.metrics.publishStoredMetrics();
  }
}
