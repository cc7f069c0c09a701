import { booleanFlag, integerFlag, positional } from "./arguments";
import { UsageError, type CliCommand } from "./cli-context";

/** How many archive keys a dry run lists before it only counts them. */
const SHOWN_KEYS = 20;

/** `retention --days N [--apply]`: remove what is older than the retention period. */
export const retentionCommand: CliCommand = {
  name: "retention",
  summary: "remove memories and archive objects older than N days (dry run unless --apply)",
  options: { days: { type: "string" }, apply: { type: "boolean" }, json: { type: "boolean" } },
  usage: `Usage: agentic-memory retention --days N [--apply] [--json]

Finds what is older than N days and, with --apply, removes it:
  - memories whose call (metadata.timestamp) is older,
  - transcripts and recordings whose event time (in the key, {conversation_id}_{timestamp}.json|mp3) is older,
  - ingested webhook events of calls before then (pending and failed events are never touched).
Without --apply nothing is deleted: it only reports what would go (a dry run). Nothing newer than the
cutoff, and nothing of unknown age, is ever removed.

On AWS the stack also expires archive objects with S3 lifecycle rules when the Pulumi config sets
retentionDays (see docs/deploy.md); memories in Mem0 are only ever removed by this command.

Options:
  --days N   keep the last N days (a whole number, at least 1)
  --apply    delete; without it this is a dry run
  --json     print {days, cutoff, applied, memories, transcripts, audio, inbox_events} (counts) and the lists`,
  async run(context) {
    positional(context);
    const days = integerFlag(context, "days", { min: 1, max: 36_500 });
    if (days === undefined) throw new UsageError("--days N is required");
    const apply = booleanFlag(context, "apply");
    const app = await context.app();
    const report = await app.applyRetention.execute({ days, apply }, (step) => context.err(step));

    if (context.json) {
      context.out(
        JSON.stringify({
          days: report.days,
          cutoff: report.cutoff,
          applied: report.applied,
          memories: report.memories.length,
          transcripts: report.transcripts.length,
          audio: report.audio.length,
          inbox_events: report.inboxEvents.length,
          items: {
            memories: report.memories.map((m) => ({ id: m.id, user_id: m.userId, timestamp: m.timestamp })),
            transcripts: report.transcripts,
            audio: report.audio,
            inbox_events: report.inboxEvents,
          },
        }),
      );
      return 0;
    }
    const callers = new Set(report.memories.map((m) => m.userId)).size;
    const what =
      `${report.memories.length} memories (of ${callers} caller(s)), ${report.transcripts.length} transcript(s), ` +
      `${report.audio.length} recording(s) and ${report.inboxEvents.length} ingested event(s) from before ${report.cutoff} (${days} day${days === 1 ? "" : "s"} ago)`;
    if (report.applied) {
      context.out(`Removed ${what}.`);
    } else {
      const keys = [...report.transcripts, ...report.audio];
      for (const key of keys.slice(0, SHOWN_KEYS)) context.out(`  would remove ${key}`);
      if (keys.length > SHOWN_KEYS) context.out(`  … and ${keys.length - SHOWN_KEYS} more archive object(s) (--json lists them all)`);
      context.out(`Dry run: would remove ${what}. Nothing was deleted; run again with --apply to delete.`);
    }
    return 0;
  },
};
