import type { UsageRecorder } from "../../application/ports/usage-metrics.port";
import { describeError } from "../../domain/error-description";
import type { RequestMetric } from "../../domain/usage";
import type { AppLogger } from "../logging/logger";

/**
 * The {@link UsageRecorder} every handler gets: recording never fails a request. An event the adapter
 * cannot keep (a locked or full disk) is logged with its route and why, and dropped.
 *
 * @example
 * const metrics = new QuietUsageRecorder(new SqliteUsageStore(path), logger);
 */
export class QuietUsageRecorder implements UsageRecorder {
  constructor(
    private readonly recorder: UsageRecorder,
    private readonly logger: AppLogger,
  ) {}

  async record(metric: RequestMetric): Promise<void> {
    try {
      await this.recorder.record(metric);
    } catch (error) {
      this.logger.warn("metric event not recorded", { route: metric.route, error: describeError(error) });
    }
  }
}

/** For a function that records no metric events (the sweep). */
export const NO_USAGE_RECORDER: UsageRecorder = { record: async () => undefined };
