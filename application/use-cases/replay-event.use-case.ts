import { describeError } from "../../domain/error-description";
import { parseInboxEventId, type EventInbox } from "../ports/event-inbox.port";
import type { IngestEvent, IngestOutcome } from "./ingest-event.use-case";

/**
 * What became of a replayed event: what ingesting it now gave (`ingested`, `parked` again with the new
 * reason…), `failed` when ingesting threw (the event is parked again, its reason `replay failed: …`),
 * `pending` when it was not parked but still waits for the worker (nothing was done), `not_found`
 * when there is no such event.
 */
export type ReplayOutcome = IngestOutcome | { readonly status: "failed"; readonly error: string } | { readonly status: "pending" };

/**
 * Replay one parked event: back into the inbox and ingested right away, as the worker would, reporting
 * what became of it. Ingestion is idempotent, so memories written by an earlier try are not written
 * twice. Shared by `agentic-memory replay` and the operator dashboard.
 *
 * @example
 * const outcome = await replayEvent.execute("post_call_transcription/conv_5201kfx7");
 * if (outcome.status === "parked") console.log(outcome.reason); // "UNSUPPORTED_EVENT: …"
 */
export class ReplayEvent {
  constructor(
    private readonly inbox: EventInbox,
    private readonly ingest: IngestEvent,
  ) {}

  async execute(id: string): Promise<ReplayOutcome> {
    const parsed = parseInboxEventId(id);
    if (parsed === null) return { status: "not_found" };
    const state = await this.inbox.state(parsed.id);
    if (state === null) return { status: "not_found" };
    if (state === "done") return { status: "already_done" };
    if (state === "pending") return { status: "pending" };

    await this.inbox.requeue(parsed.id);
    try {
      return await this.ingest.execute(parsed.id);
    } catch (error) {
      const message = describeError(error);
      // Parked again unless it got past being pending before it threw (done: nothing left to replay).
      if ((await this.inbox.state(parsed.id)) === "pending") await this.ingest.park(parsed.id, `replay failed: ${message}`);
      return { status: "failed", error: message };
    }
  }
}
