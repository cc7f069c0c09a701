import type { IngestOutcome } from "../../../application/use-cases/ingest-event.use-case";
import type { App } from "../../composition-root";
import { inboxIdFromKey } from "../lambda/worker.handler";
import { positional, stringFlag } from "./arguments";
import { describeError } from "../../../domain/error-description";
import type { CliCommand, CliContext } from "./cli-context";
import { buildSqsClient } from "../../outbound/aws/sqs-client";
import { DeadLetterQueue, type DeadLetter } from "./dead-letter-queue";

interface LocalOutcome {
  id: string;
  previousReason: string;
  status: string;
  error?: string;
}

interface DeadLetterOutcome {
  message_id: string;
  keys: readonly string[];
  status: string;
  /** Whether the message left the queue (every event it names is dealt with). */
  deleted: boolean;
  error?: string;
}

/** Outcomes after which the message has nothing left to re-drive (a parked event waits in the inbox's failed area instead). */
const SETTLED: ReadonlySet<IngestOutcome["status"]> = new Set(["ingested", "already_done", "not_found", "parked"]);

/** Local outcomes that count as failing again: thrown errors, and events that still can't be read. */
const FAILED_AGAIN: ReadonlySet<string> = new Set(["failed", "parked"]);

/** `replay`: re-drive events that failed ingestion (parked in the inbox, and the AWS dead-letter queue). */
export const replayCommand: CliCommand = {
  name: "replay",
  summary: "re-drive events that failed ingestion and report each outcome",
  options: { "queue-url": { type: "string" }, json: { type: "boolean" } },
  usage: `Usage: agentic-memory replay [--queue-url URL] [--json]

Re-drives every event whose ingestion failed and reports one line per event:
  - events the worker parked as failed (locally DATA_DIR/failed/, or failed/ in the bucket) go back
    to the inbox and are ingested now;
  - on AWS, when DEAD_LETTER_QUEUE_URL (or --queue-url) names the worker's SQS dead-letter queue, each
    message there (a Lambda failure record naming inbox/… keys) is read, its events are ingested, and
    the message is deleted once they are; a message that fails again stays in the queue.
Ingestion is idempotent: memories already written are not written twice.
An event that can't be read (not JSON, or a type such as answering_machine_detection that is not
ingested) is parked again with status "parked": look at it, then delete it or leave it.
Exit code 1 when any event fails again (locally it is parked as failed again, with the new reason).

Options:
  --queue-url URL   the dead-letter queue to replay (default: DEAD_LETTER_QUEUE_URL)
  --json            print {replayed, failed, events: [...], dead_letter_queue?: {...}}`,
  async run(context) {
    positional(context);
    const app = await context.app();
    const local = await replayParked(app, context);
    const queueUrl = stringFlag(context, "queue-url") ?? context.env().DEAD_LETTER_QUEUE_URL;
    const letters = queueUrl === undefined ? null : await replayDeadLetters(app, context, new DeadLetterQueue(buildSqsClient(), queueUrl));

    const localFailures = local.filter((o) => FAILED_AGAIN.has(o.status)).length;
    const letterFailures = letters?.filter((o) => o.status === "failed" || o.status === "unreadable").length ?? 0;
    if (context.json) {
      context.out(
        JSON.stringify({
          replayed: local.length + (letters?.length ?? 0),
          failed: localFailures + letterFailures,
          events: local,
          ...(letters === null ? {} : { dead_letter_queue: { url: queueUrl, messages: letters.length, deleted: letters.filter((l) => l.deleted).length, failed: letterFailures, events: letters } }),
        }),
      );
    } else {
      context.out(local.length === 0 ? "No failed events to replay." : `Replayed ${local.length} event(s), ${localFailures} failed again.`);
      if (letters !== null) {
        context.out(
          letters.length === 0
            ? "The dead-letter queue is empty."
            : `Dead-letter queue: ${letters.length} message(s), ${letters.filter((l) => l.deleted).length} deleted, ${letterFailures} failed again (left in the queue).`,
        );
      }
    }
    return localFailures + letterFailures === 0 ? 0 : 1;
  },
};

async function replayParked(app: App, context: CliContext): Promise<LocalOutcome[]> {
  const failed = await app.inbox.listFailed();
  const outcomes: LocalOutcome[] = [];
  for (const [index, event] of failed.entries()) {
    const outcome = await app.replayEvent.execute(event.id);
    const error = outcome.status === "parked" ? outcome.reason : outcome.status === "failed" ? outcome.error : undefined;
    outcomes.push({ id: event.id, previousReason: event.reason, status: outcome.status, ...(error === undefined ? {} : { error }) });
    context.err(`[${index + 1}/${failed.length}] ${event.id}: ${outcomes.at(-1)?.status}`);
  }
  return outcomes;
}

async function replayDeadLetters(app: App, context: CliContext, queue: DeadLetterQueue): Promise<DeadLetterOutcome[]> {
  context.err(`reading the dead-letter queue ${queue.url}`);
  const outcomes: DeadLetterOutcome[] = [];
  const kept: DeadLetter[] = [];
  for await (const letter of queue.receive()) {
    const outcome = await redrive(app, letter);
    if (outcome.deleted) await queue.delete(letter);
    else kept.push(letter);
    outcomes.push(outcome);
    context.err(`[dead letter ${outcomes.length}] ${outcome.keys.join(", ") || letter.messageId}: ${outcome.status}${outcome.deleted ? " (message deleted)" : " (message kept)"}`);
  }
  // Visible again only now, so this run reads each message once.
  for (const letter of kept) await queue.release(letter);
  return outcomes;
}

async function redrive(app: App, letter: DeadLetter): Promise<DeadLetterOutcome> {
  const ids = letter.keys?.map(inboxIdFromKey) ?? [];
  if (letter.keys === null || ids.length === 0 || ids.some((id) => id === null)) {
    return { message_id: letter.messageId, keys: letter.keys ?? [], status: "unreadable", deleted: false, error: "not a failure record naming inbox/ keys" };
  }
  const statuses: IngestOutcome["status"][] = [];
  for (const id of ids) {
    if (id === null) continue;
    try {
      statuses.push((await app.ingestEvent.execute(id)).status);
    } catch (error) {
      return { message_id: letter.messageId, keys: letter.keys, status: "failed", deleted: false, error: describeError(error) };
    }
  }
  const settled = statuses.every((s) => SETTLED.has(s));
  return { message_id: letter.messageId, keys: letter.keys, status: [...new Set(statuses)].join(","), deleted: settled };
}
