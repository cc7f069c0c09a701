import type { RequestMetric, UsageOverview } from "../../domain/usage";

/** DI tokens for {@link UsageRecorder} and {@link UsageReader}. */
export const USAGE_RECORDER = Symbol("UsageRecorder");
export const USAGE_READER = Symbol("UsageReader");

/**
 * Where each handler records its one metric event per request. Recording never fails a request: an
 * adapter that cannot keep the event logs it and moves on.
 */
export interface UsageRecorder {
  record(metric: RequestMetric): Promise<void>;
}

/** The operator's read of the recorded events (the embedded store locally, CloudWatch on AWS). */
export interface UsageReader {
  /** The overview as of `nowMs` (unix milliseconds). */
  overview(nowMs: number): Promise<UsageOverview>;
}
