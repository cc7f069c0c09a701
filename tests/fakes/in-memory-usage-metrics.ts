import type { UsageReader, UsageRecorder } from "../../application/ports/usage-metrics.port";
import { summariseUsage, type RequestMetric, type UsageOverview } from "../../domain/usage";

/** Keeps every recorded event in a list (`events`), and summarises them as any reader does. */
export class InMemoryUsageMetrics implements UsageRecorder, UsageReader {
  readonly events: RequestMetric[] = [];

  async record(metric: RequestMetric): Promise<void> {
    this.events.push(metric);
  }

  async overview(nowMs: number): Promise<UsageOverview> {
    return summariseUsage(this.events, nowMs);
  }
}
