import type { CliCommand } from "./cli-context";

/** `replay`: re-drive events that failed ingestion (local `DATA_DIR/failed/`). */
export const replayCommand: CliCommand = {
  name: "replay",
  summary: "re-drive events that failed ingestion and report each outcome",
  usage: `Usage: agentic-memory replay [--json]

Moves every event the worker gave up on (DATA_DIR/failed/) back to the inbox and ingests it now,
reporting one line per event. Ingestion is idempotent: memories already written are not written twice.
Exit code 1 when any event fails again (it is parked as failed again, with the new reason).`,
  async run(context) {
    const app = await context.app();
    const failed = await app.inbox.listFailed();
    const outcomes: { id: string; previousReason: string; status: string; error?: string }[] = [];
    for (const [index, event] of failed.entries()) {
      await app.inbox.requeue(event.id);
      try {
        const outcome = await app.ingestEvent.execute(event.id);
        outcomes.push({ id: event.id, previousReason: event.reason, status: outcome.status });
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        await app.inbox.markFailed(event.id, `replay failed: ${message}`, Math.floor(Date.now() / 1000));
        outcomes.push({ id: event.id, previousReason: event.reason, status: "failed", error: message });
      }
      if (!context.json) context.err(`[${index + 1}/${failed.length}] ${event.id}: ${outcomes.at(-1)?.status}`);
    }
    const failures = outcomes.filter((o) => o.status === "failed").length;
    if (context.json) context.out(JSON.stringify({ replayed: outcomes.length, failed: failures, events: outcomes }));
    else context.out(failed.length === 0 ? "No failed events to replay." : `Replayed ${outcomes.length} event(s), ${failures} failed again.`);
    return failures === 0 ? 0 : 1;
  },
};
