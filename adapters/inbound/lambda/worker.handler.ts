import type { Context, S3Event } from "aws-lambda";
import { type InboxEventId, inboxEventType } from "../../../application/ports/event-inbox.port";
import { retry, type RetryPolicy } from "../../../application/retry";
import type { IngestOutcome } from "../../../application/use-cases/ingest-event.use-case";
import { lambdaScope, primeOnLambda, type Scope } from "../../composition-root";
import { rehearsals, rehearseIngestion, rehearseMem0Records } from "./rehearsal";
import { rehearseProfiles } from "./profile-rehearsal";
import { inboxIdFromObjectKey } from "../../outbound/aws/s3-inbox-keys";
import { parseEnvelope, s3EventSchema } from "./envelopes";
import { describeError } from "../../../domain/error-description";
import { ingestionMetric } from "./ingestion-metric";

/** Time kept back from the function's timeout for parking an event after its last try. */
const PARK_RESERVE_MS = 10_000;

/** The inbox id an S3 notification's (URL-encoded) object key names, such as `inbox/post_call_transcription/conv_1.json`, or null for any other key. */
export function inboxIdFromKey(key: string): InboxEventId | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    return null; // a malformed %-escape: no key S3 would send for an object we stored
  }
  return inboxIdFromObjectKey(decoded);
}

export type WorkerResult = { processed: number; parked: number };

/**
 * The worker Lambda, driven by S3 `ObjectCreated` events under `inbox/`. Each event is tried a few
 * times within the invocation (backoff with jitter, while time remains); after the last try it is
 * parked in `failed/` with its reason, where `agentic-memory replay` and the operator find it. Only
 * when even parking fails does the invocation fail, so Lambda retries it and then sends it to the
 * dead-letter queue. The stored event itself is never deleted. An event that is not an S3 notification
 * fails the invocation the same way, naming what is wrong. Each event of the inbox is recorded as one
 * metric event (with the memories it wrote), printed before the invocation returns.
 */
export function createWorkerHandler(
  resolve: () => Promise<Scope<"ingestEvent">>,
): (event: S3Event, context?: Pick<Context, "getRemainingTimeInMillis">) => Promise<WorkerResult> {
  return async (event, context) => {
    const { Records = [] } = parseEnvelope(s3EventSchema, event, "S3 event notification");
    const app = await resolve();
    const policy: RetryPolicy = { attempts: app.env.WORKER_MAX_ATTEMPTS, baseDelayMs: app.env.WORKER_RETRY_BASE_MS, maxDelayMs: 8_000 };
    const timeLeft = () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
    const result: WorkerResult = { processed: 0, parked: 0 };
    for (const record of Records) {
      const id = inboxIdFromKey(record.s3.object.key);
      if (id === null) {
        app.logger.warn("worker ignored an object outside the inbox", { key: record.s3.object.key.slice(0, 40) });
        continue;
      }
      const at = Date.now();
      const started = performance.now();
      let outcome: IngestOutcome;
      try {
        outcome = await retry(() => app.ingestEvent.execute(id), policy, Math.random, () => timeLeft() > PARK_RESERVE_MS);
      } catch (error) {
        const reason = describeError(error);
        await app.metrics.record(ingestionMetric("failed", at, performance.now() - started));
        await app.ingestEvent.park(id, `worker: ${policy.attempts} attempts failed; last: ${reason}`);
        app.logger.error("worker parked an event it could not ingest; `agentic-memory replay` re-drives it", { event: inboxEventType(id), error: reason });
        result.parked += 1;
        continue;
      }
      await app.metrics.record(ingestionMetric(outcome, at, performance.now() - started));
      app.logger.info("worker ingested event", { event: inboxEventType(id), status: outcome.status });
      if (outcome.status === "parked") result.parked += 1;
      else result.processed += 1;
    }
    return result;
  };
}

const scope = lambdaScope("worker");
export const handler = createWorkerHandler(scope);
await primeOnLambda(scope, { rehearse: rehearsals(rehearseIngestion, rehearseMem0Records, rehearseProfiles) });
