import { type EventInbox, type InboxEventId, inboxEventType } from "../../../application/ports/event-inbox.port";
import type { IngestionTrigger } from "../../../application/ports/ingestion-trigger.port";
import type { IngestEvent } from "../../../application/use-cases/ingest-event.use-case";
import type { SweepInbox } from "../../../application/use-cases/sweep-inbox.use-case";
import { backoffDelayMs } from "../../../application/retry";
import type { AppLogger } from "../../logging/logger";
import { describeError } from "../../../domain/error-description";
import type { UsageRecorder } from "../../../application/ports/usage-metrics.port";
import { ingestionMetric } from "../lambda/ingestion-metric";

export interface LocalWorkerOptions {
  /** How often pending events are looked for even without a notification (also the retry tick). */
  readonly pollMs?: number;
  /** Delay before retrying a failed event; doubles per failure up to `maxRetryDelayMs`, with jitter. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Tries per event before it is parked in `failed/` for an operator to replay. */
  readonly maxAttempts?: number;
  readonly random?: () => number;
  /** Events ingested at the same time (default 4). */
  readonly concurrency?: number;
  /** How often conversations whose wait for audio is over are dealt with (default 60 s; the wait itself is an hour). */
  readonly audioSweepMs?: number;
}

/**
 * The in-process worker of `npm start`: ingests pending inbox events one at a time, right after they
 * are acknowledged, and on start resumes whatever a previous process left pending. A failing event
 * is retried with exponential backoff and jitter; after the last try it is parked as failed (with
 * its reason) for `agentic-memory replay`. Nothing is dropped. Every minute it also ends the waits
 * for audio that are over (the audio half of the sweep: fetched from ElevenLabs where
 * `ELEVENLABS_API_KEY` is set); pending events need no sweep here, the poll re-drives them.
 */
export class LocalWorker implements IngestionTrigger {
  private ingest: IngestEvent | undefined;
  private inbox: EventInbox | undefined;
  private logger: AppLogger | undefined;
  private metrics: UsageRecorder | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private sweep: Pick<SweepInbox, "settleAudio"> | undefined;
  private audioTimer: ReturnType<typeof setInterval> | undefined;
  private settling: Promise<void> | undefined;
  private readonly audioSweepMs: number;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly failures = new Map<InboxEventId, { count: number; notBefore: number }>();
  private readonly pollMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxAttempts: number;
  private readonly random: () => number;
  private readonly concurrency: number;
  private stopping = false;

  constructor(options: LocalWorkerOptions = {}) {
    this.pollMs = options.pollMs ?? 1000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.random = options.random ?? Math.random;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.audioSweepMs = options.audioSweepMs ?? 60_000;
  }

  /**
   * The worker is the app's trigger, so it gets the use case once the app exists. With `metrics`, each
   * event's ingestion is recorded once it ends: ingested or parked, or given up after its last try.
   */
  attach(parts: {
    ingestEvent: IngestEvent;
    inbox: EventInbox;
    logger: AppLogger;
    sweepInbox?: Pick<SweepInbox, "settleAudio">;
    metrics?: UsageRecorder;
  }): void {
    this.ingest = parts.ingestEvent;
    this.inbox = parts.inbox;
    this.logger = parts.logger;
    this.sweep = parts.sweepInbox;
    this.metrics = parts.metrics;
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
    if (this.sweep !== undefined) {
      this.audioTimer = setInterval(() => this.settleAudio(), this.audioSweepMs);
      this.audioTimer.unref();
      // Waits that ended while the server was down are dealt with now, not a minute later.
      this.settleAudio();
    }
  }

  notify(): void {
    this.kick();
  }

  /** Finish the event in hand and stop. */
  async stop(): Promise<void> {
    // Events not yet started stay pending on disk and are resumed on the next start.
    this.stopping = true;
    clearInterval(this.timer);
    clearInterval(this.audioTimer);
    this.timer = undefined;
    this.audioTimer = undefined;
    await Promise.all([this.running, this.settling]);
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

  /** One audio sweep at a time: a slow download must not start a second fetch of the same recording. */
  private settleAudio(): void {
    const { sweep, logger } = this;
    if (this.settling || !sweep || !logger) return;
    this.settling = sweep
      .settleAudio()
      .then(({ settlements }) => {
        if (settlements.length === 0) return;
        const outcomes: Record<string, number> = {};
        for (const { outcome } of settlements) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        const failures = settlements.flatMap((s) => (s.error === undefined ? [] : [s.error]));
        logger.info("worker settled waits for audio", { ...outcomes, ...(failures.length === 0 ? {} : { lastError: failures.at(-1) }) });
      })
      .catch((error: unknown) => logger.error("worker could not settle waits for audio", { error: describeError(error) }))
      .finally(() => {
        this.settling = undefined;
      });
  }

  private async park(id: InboxEventId, attempts: number, error: unknown): Promise<void> {
    const reason = `${attempts} attempts failed; last: ${describeError(error)}`;
    try {
      await this.inbox?.markFailed(id, reason, Math.floor(Date.now() / 1000));
      this.logger?.error("worker gave up on event; replay it with `npx agentic-memory replay`", { event: inboxEventType(id), attempts, error: describeError(error) });
    } catch (parkError) {
      // Still pending: the next poll starts a new round of tries rather than losing it.
      this.logger?.error("worker could not park a failed event", { event: inboxEventType(id), error: describeError(parkError) });
    }
  }

  private async drain(): Promise<void> {
    const { ingest, inbox, logger } = this;
    if (!ingest || !inbox || !logger) return;
    let pending: InboxEventId[];
    try {
      pending = await inbox.listPending();
    } catch (error) {
      logger.error("worker could not list the inbox", { error: describeError(error) });
      return;
    }
    // A few events at a time: each one waits mostly on fsync, so they overlap well.
    const queue = [...pending];
    const lane = async () => {
      for (let id = queue.shift(); id !== undefined && !this.stopping; id = queue.shift()) await this.ingestOne(id, ingest, logger);
    };
    await Promise.all(Array.from({ length: this.concurrency }, lane));
  }

  private async ingestOne(id: InboxEventId, ingest: IngestEvent, logger: AppLogger): Promise<void> {
    const failure = this.failures.get(id);
    if (failure && failure.notBefore > Date.now()) return;
    const at = Date.now();
    const started = performance.now();
    try {
      const outcome = await ingest.execute(id);
      this.failures.delete(id);
      logger.info("worker ingested event", { event: inboxEventType(id), status: outcome.status });
      await this.metrics?.record(ingestionMetric(outcome, at, performance.now() - started));
    } catch (error) {
      const count = (failure?.count ?? 0) + 1;
      if (count >= this.maxAttempts) {
        this.failures.delete(id);
        await this.metrics?.record(ingestionMetric("failed", at, performance.now() - started));
        await this.park(id, count, error);
        return;
      }
      // The Lambda worker's backoff, but waited out between polls: a lane never sleeps on one event.
      const delay = backoffDelayMs({ baseDelayMs: this.retryDelayMs, maxDelayMs: this.maxRetryDelayMs }, count, this.random);
      this.failures.set(id, { count, notBefore: Date.now() + delay });
      logger.warn("worker will retry event", { event: inboxEventType(id), attempt: count, retryInMs: delay, error: describeError(error) });
    }
  }
}

