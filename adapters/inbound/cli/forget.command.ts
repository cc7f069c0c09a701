import { callerArgument, positional, stringFlag } from "./arguments";
import type { CliCommand } from "./cli-context";
import { forgetEveryoneIn } from "./forget-file";

/** `forget <caller>`: right to erasure in one step; `forget --file`: for each caller of a list. */
export const forgetCommand: CliCommand = {
  name: "forget",
  summary: "erase one caller everywhere (memories, transcripts, audio, stored events); --file: a list of callers",
  options: { json: { type: "boolean" }, file: { type: "string" } },
  usage: `Usage: agentic-memory forget <caller> [--json]
       agentic-memory forget --file CALLERS.txt [--json]

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

With --file, every caller listed in CALLERS.txt, one per line (the same forms as <caller>; blank
lines and lines starting with # are skipped), is erased in turn exactly as above. A line that is not
a phone number we can read is reported on stderr with its line number (never its content) and
skipped; a caller whose erasure fails is reported with its line number and the rest go on. At the end
a summary: callers forgotten, what was removed, the bad and the failed lines. Exit code 0 when every
line was forgotten, 1 when any line was bad or failed (run it again for those: forgetting twice is
harmless), 2 for a usage mistake or a file that cannot be read. Progress goes to stderr (a bar on a
terminal).

Options:
  --file FILE   forget every caller listed in FILE instead of one <caller>
  --json        print {caller_id, memories, transcripts, audio, inbox_events} (counts) and the removed keys;
                with --file {callers, memories, transcripts, audio, inbox_events, bad_lines, failed_lines}`,
  async run(context) {
    const file = stringFlag(context, "file");
    if (file !== undefined) {
      positional(context);
      return forgetEveryoneIn(file, context);
    }
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
