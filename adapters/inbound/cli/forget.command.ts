import { callerArgument, positional } from "./arguments";
import type { CliCommand } from "./cli-context";

/** `forget <caller>`: right to erasure in one step. */
export const forgetCommand: CliCommand = {
  name: "forget",
  summary: "erase one caller everywhere (memories, transcripts, audio, stored events)",
  options: { json: { type: "boolean" } },
  usage: `Usage: agentic-memory forget <caller> [--json]

Erases everything kept about one caller, and only about them:
  - their memories (embedded store or Mem0),
  - their archived transcripts and recordings (transcripts/<caller>/, audio/<caller>/, on disk or in S3),
  - stored webhook events (pending, ingested or failed) whose payload names them, and the
    recordings of those conversations.
Then prints what was removed. Safe to run again (it reports zeros).

<caller> is a phone number in international form (+15550100123, "+1 (555) 010-0123"), or in national
form when DEFAULT_REGION is set (5550100123 with DEFAULT_REGION=US); anything else,
withheld ids included, is refused with exit code 2. It acts on the configured backend (DATA_DIR,
ARCHIVE_BUCKET, MEMORY_BACKEND), also while the server runs. A call still in progress can land after
the erasure: run it again once the call has ended.

Options:
  --json   print {caller_id, memories, transcripts, audio, inbox_events} (counts) and the removed keys`,
  async run(context) {
    const [raw = ""] = positional(context, "caller");
    const callerId = callerArgument(raw, "caller", context.env().DEFAULT_REGION ?? null);
    const app = await context.app();
    const report = await app.forgetCaller.execute(callerId, (step) => context.err(step));
    if (context.json) {
      context.out(
        JSON.stringify({
          caller_id: report.callerId,
          memories: report.memories,
          transcripts: report.transcripts.length,
          audio: report.audio.length,
          inbox_events: report.inboxEvents.length,
          removed: { transcripts: report.transcripts, audio: report.audio, inbox_events: report.inboxEvents },
        }),
      );
    } else {
      context.out(
        `Forgot ${report.callerId}: ${report.memories} memories, ${report.transcripts.length} transcript(s), ` +
          `${report.audio.length} recording(s), ${report.inboxEvents.length} stored event(s) removed.`,
      );
    }
    return 0;
  },
};
