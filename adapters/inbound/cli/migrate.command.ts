import { booleanFlag, positional } from "./arguments";
import { UsageError, type CliCommand } from "./cli-context";

/** How many callers a dry run lists before it only counts them. */
const SHOWN_CALLERS = 20;

/** `migrate --drop-evaluation-memories [--apply]`: bring memories stored by earlier versions up to date. */
export const migrateCommand: CliCommand = {
  name: "migrate",
  summary: "update memories stored by earlier versions (dry run unless --apply)",
  options: { "drop-evaluation-memories": { type: "boolean" }, apply: { type: "boolean" }, json: { type: "boolean" } },
  usage: `Usage: agentic-memory migrate --drop-evaluation-memories [--apply] [--json]

Migrations of what earlier versions stored. Name the one to run:
  --drop-evaluation-memories
      Earlier versions stored each evaluation rationale of a call ("Before closing, the agent repeated
      the booking…") as a memory of the caller (metadata.source "evaluation"). Rationales judge the
      agent, not the caller: they now stay in the call record (the archived transcript; "export" shows
      them as each transcript's "evaluation"). This removes those memories, of every caller, and drops
      the profiles of the callers concerned, so their next call is told notes built without them.
Without --apply nothing is changed: it only reports what would go (a dry run). Safe to run again.

Options:
  --drop-evaluation-memories   the migration to run
  --apply                      change the stores; without it this is a dry run
  --json                       print {migration, applied, memories, callers, profiles_removed} and the memories`,
  async run(context) {
    positional(context);
    const apply = booleanFlag(context, "apply");
    if (!booleanFlag(context, "drop-evaluation-memories")) throw new UsageError("name the migration to run: --drop-evaluation-memories");
    const app = await context.app();
    const report = await app.dropEvaluationMemories.execute({ apply }, (step) => context.err(step));

    if (context.json) {
      context.out(
        JSON.stringify({
          migration: "drop-evaluation-memories",
          applied: report.applied,
          memories: report.memories.length,
          callers: report.callers.length,
          profiles_removed: report.profilesRemoved,
          items: {
            memories: report.memories.map((m) => ({ id: m.id, user_id: m.userId, conversation_id: m.conversationId, timestamp: m.timestamp })),
          },
        }),
      );
      return 0;
    }
    const what = `${report.memories.length} evaluation memory(ies) of ${report.callers.length} caller(s)`;
    if (report.applied) {
      context.out(`Removed ${what} and dropped ${report.profilesRemoved} caller profile(s).`);
      return 0;
    }
    const perCaller = (callerId: string) => report.memories.filter((m) => m.userId === callerId).length;
    for (const callerId of report.callers.slice(0, SHOWN_CALLERS)) context.out(`  would remove ${perCaller(callerId)} of ${callerId}`);
    if (report.callers.length > SHOWN_CALLERS) context.out(`  … and ${report.callers.length - SHOWN_CALLERS} more caller(s) (--json lists every memory)`);
    context.out(`Dry run: would remove ${what} and drop their profiles. Nothing was changed; run again with --apply to apply.`);
    return 0;
  },
};
