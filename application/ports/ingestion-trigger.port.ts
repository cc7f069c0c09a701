import type { InboxEventId } from "./event-inbox.port";

/** DI token for {@link IngestionTrigger}. */
export const INGESTION_TRIGGER = Symbol("IngestionTrigger");

/**
 * Tells the worker that an event is waiting. Locally this wakes the in-process worker; on AWS the
 * S3 `ObjectCreated` notification does the job, so the adapter does nothing.
 */
export interface IngestionTrigger {
  notify(id: InboxEventId): void;
}
