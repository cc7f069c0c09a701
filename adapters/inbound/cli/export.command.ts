import { existsSync } from "node:fs";
import { chmod, mkdir, readdir, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { booleanFlag, callerArgument, positional, stringFlag } from "./arguments";
import { UsageError, type CliCommand, type CliContext } from "./cli-context";

/** `export <caller>`: one JSON document with everything kept about a caller; `export --all`: one per caller. */
export const exportCommand: CliCommand = {
  name: "export",
  summary: "one JSON document with a caller's memories and archived transcripts (--all: every caller's)",
  options: { out: { type: "string" }, all: { type: "boolean" } },
  usage: `Usage: agentic-memory export <caller> [--out FILE]
       agentic-memory export --all --out DIR

Writes everything kept about one caller as one JSON document (data portability):
  {"caller_id", "exported_at", "memories": [...], "profile",
   "transcripts": [{"key", "conversation": <the post-call webhook event as ElevenLabs sent it>,
                    "evaluation": [{"criteria_id", "result", "rationale"}]}],
   "audio": [<archive keys of the recordings>]}
Each transcript is the call record: its "evaluation" (how the agent did, from the call's analysis) is
kept there, never among the caller's memories.
to stdout, or to FILE with --out (created readable by you only: it holds personal data).

<caller> is a phone number in international form (+15550100123), or in national form when
DEFAULT_REGION is set; anything else is refused (exit 2).

With --all, the same document for every caller, each written to DIR/<caller>.json (readable by you
only) as soon as it is made: one caller's data is held at a time, and callers are read a page at a
time, so it runs in constant memory however many callers there are. DIR must be new or empty (it is
created readable by you only), so it holds this export and nothing older. Every caller we keep
anything about is exported: callers with memories, then callers with a stored profile but no
memories, then callers with archived calls (transcripts or recordings) only. Calls from withheld
numbers are nobody's and are not exported. A caller whose first call is ingested while it runs may
be left out: run it again into a new DIR for a later snapshot.

Options:
  --out FILE   write the document to FILE instead of stdout (with --all: the directory DIR)
  --all        export every caller into --out DIR`,
  async run(context) {
    if (booleanFlag(context, "all")) return exportEveryone(context);
    const [raw = ""] = positional(context, "caller");
    const callerId = callerArgument(raw, "caller", context.env().DEFAULT_REGION ?? null);
    const out = stringFlag(context, "out");
    const app = await context.app();
    const document = await app.exportCaller.execute(callerId, (step) => context.err(step));
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (out === undefined) {
      process.stdout.write(text);
      return 0;
    }
    await writeFile(out, text, { mode: 0o600 });
    await chmod(out, 0o600);
    context.out(
      `Exported ${callerId} to ${out}: ${document.memories.length} memories, ${document.transcripts.length} transcript(s), ${document.audio.length} recording(s).`,
    );
    return 0;
  },
};

/** `export --all --out DIR`: one document per caller, written as it is made. */
async function exportEveryone(context: CliContext): Promise<number> {
  if (context.args.length > 0) throw new UsageError("export --all takes no <caller>");
  const dir = stringFlag(context, "out");
  if (dir === undefined) throw new UsageError("export --all needs --out DIR (one file per caller)");
  await prepareDirectory(dir);
  const app = await context.app();
  const totals = { callers: 0, memories: 0, transcripts: 0, audio: 0 };
  for await (const document of app.exportCaller.everyone((step) => context.err(step))) {
    const path = join(dir, `${document.caller_id}.json`);
    // A caller whose data changed while the export ran may come twice: the newer document replaces the first.
    if (!existsSync(path)) totals.callers += 1;
    const partial = join(dir, `.${document.caller_id}.json.partial`);
    await writeFile(partial, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
    await rename(partial, path);
    totals.memories += document.memories.length;
    totals.transcripts += document.transcripts.length;
    totals.audio += document.audio.length;
  }
  context.out(
    `Exported ${totals.callers} caller(s) to ${dir}: ${totals.memories} memories, ${totals.transcripts} transcript(s), ${totals.audio} recording(s).`,
  );
  return 0;
}

/** DIR new (created readable by its owner only) or empty, never one holding an earlier export. */
async function prepareDirectory(dir: string): Promise<void> {
  if (!existsSync(dir)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    return;
  }
  if (!(await stat(dir)).isDirectory()) throw new UsageError(`--out ${dir} is not a directory`);
  if ((await readdir(dir)).length > 0) throw new UsageError(`--out ${dir} is not empty: give a new or empty directory, so the export holds nothing older`);
}
