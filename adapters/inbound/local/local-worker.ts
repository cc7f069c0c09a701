import type { EventInbox, InboxEventId } from "../../../application/ports/event-inbox.port";
import type { IngestionTrigger } from "../../../application/ports/ingestion-trigger.port";
import type { IngestEvent } from "../../../application/use-cases/ingest-event.use-case";
import type { AppLogger } from "../../logging/logger";

export interface LocalWorkerOptions {
  /** How often pending events are looked for even without a notification (also the retry tick). */
  readonly pollMs?: number;
  /** Delay before retrying a failed event; doubles per failure up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

/**
 * The in-process worker of `npm start`: ingests pending inbox events one at a time, right after they
 * are acknowledged, and on start resumes whatever a previous process left pending. A failing event
 * stays pending in the inbox and is retried with backoff; nothing is dropped.
 */
export class LocalWorker implements IngestionTrigger {
  private ingest: IngestEvent | undefined;
  private inbox: EventInbox | undefined;
  private logger: AppLogger | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly failures = new Map<InboxEventId, { count: number; notBefore: number }>();
  private readonly pollMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;

  constructor(options: LocalWorkerOptions = {}) {
    this.pollMs = options.pollMs ?? 1000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
  }

  /** The worker is the app's trigger, so it gets the use case once the app exists. */
  attach(parts: { ingestEvent: IngestEvent; inbox: EventInbox; logger: AppLogger }): void {
    this.ingest = parts.ingestEvent;
    this.inbox = parts.inbox;
    this.logger = parts.logger;
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  notify(): void {
    this.kick();
  }

  /** Finish the event in hand and stop. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Resolves when nothing is pending any more (or only events waiting for a retry). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again && this.timer !== undefined) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async drain(): Promise<void> {
    const { ingest, inbox, logger } = this;
    if (!ingest || !inbox || !logger) return;
    let pending: InboxEventId[];
    try {
      pending = await inbox.listPending();
    } catch (error) {
      logger.error("worker could not list the inbox", { error: describe(error) });
      return;
    }
    for (const id of pending) {
      const failure = this.failures.get(id);
      if (failure && failure.notBefore > Date.now()) continue;
      try {
        const outcome = await ingest.execute(id);
        this.failures.delete(id);
        logger.info("worker ingested event", { event: id.split("/")[0], status: outcome.status });
      } catch (error) {
        const count = (failure?.count ?? 0) + 1;
        const delay = Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** (count - 1));
        this.failures.set(id, { count, notBefore: Date.now() + delay });
        logger.warn("worker will retry event", { event: id.split("/")[0], attempt: count, retryInMs: delay, error: describe(error) });
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : "unknown error";
}
