import type { ImportedMemory } from "../../../domain/imported-memory";
import { booleanFlag, positional } from "./arguments";
import type { CliCommand } from "./cli-context";
import { MAX_IMPORTED_MEMORY_CHARS, readImportLine } from "./import-line";
import { LineFile } from "./line-file";

/** `import FILE`: memories from elsewhere (a CRM), one JSON object per line. */
export const importCommand: CliCommand = {
  name: "import",
  summary: "import memories from a JSON Lines file (e.g. a CRM export); --dry-run checks it only",
  options: { "dry-run": { type: "boolean" }, json: { type: "boolean" } },
  usage: `Usage: agentic-memory import FILE [--dry-run] [--json]

Imports memories from FILE, JSON Lines: one object per line,
  {"caller_id": "+15550100123", "memory": "Prefers text messages.", "type": "factual",
   "key": "contact_preference", "timestamp": "2026-01-15T09:30:00Z"}
  caller_id   the caller's phone number, read like every caller id: international form, or national
              form when DEFAULT_REGION is set
  memory      the text, stored as written (never sent to Mem0 for inference), at most ${MAX_IMPORTED_MEMORY_CHARS} characters
  type        "factual" (default) or "semantic"
  key         what the fact is about (stored as metadata.fact_key)
  timestamp   ISO 8601 with a zone, not in the future; default: the time of the import
No other field is accepted; blank lines are skipped.

Every line is checked on its own. Each bad line is reported on stderr with its line number and the
field at fault (never the value), and skipped; every good line is imported all the same. Then the
profile of every caller in the file is rebuilt, so their next call is told the imported facts.
Safe to run again: a line already imported is recognised by its content and not stored twice.
Progress goes to stderr (a bar on a terminal).

Exit code: 0 when every line was imported (or was already there); 1 when any line was bad (the good
ones are imported nonetheless) or the import failed part way (run it again); 2 for a usage mistake
or a FILE that cannot be read.

Options:
  --dry-run   check every line and report the bad ones; nothing is stored (the store is not opened)
  --json      print {read, imported, already_stored, bad_lines: [numbers], callers, dry_run}`,
  async run(context) {
    const [path = ""] = positional(context, "FILE");
    const dryRun = booleanFlag(context, "dry-run");
    const region = context.env().DEFAULT_REGION ?? null;
    const file = await LineFile.open(path, "import", context);
    // A dry run opens no store.
    const app = dryRun ? null : await context.app();
    const badLines: number[] = [];
    let good = 0;

    async function* memories(): AsyncGenerator<ImportedMemory> {
      const nowMs = Date.now();
      for await (const line of file.lines()) {
        if (line.text.trim() === "") continue;
        const read = readImportLine(line.text, region, nowMs);
        if (!read.ok) {
          badLines.push(line.number);
          file.progress.report(`line ${line.number}: ${read.problems.join("; ")}`);
          continue;
        }
        good += 1;
        yield read.item;
      }
    }

    let report = { added: 0, skipped: 0, callers: 0 };
    let finished = false;
    try {
      if (app === null) {
        const callers = new Set<string>();
        for await (const item of memories()) callers.add(item.callerId);
        report = { ...report, callers: callers.size };
      } else {
        report = await app.importMemories.execute(memories(), (step) => file.progress.report(step));
      }
      finished = true;
    } finally {
      file.progress.done(finished);
    }

    if (context.json) {
      context.out(
        JSON.stringify({ read: good + badLines.length, imported: report.added, already_stored: report.skipped, bad_lines: badLines, callers: report.callers, dry_run: dryRun }),
      );
    } else {
      const bad = badLines.length === 0 ? "no bad lines" : `${badLines.length} bad line(s) skipped (${badLines.join(", ")})`;
      context.out(
        dryRun
          ? `Dry run: ${good} good line(s) for ${report.callers} caller(s), ${bad}. Nothing was stored.`
          : `Imported ${report.added} memories (${report.skipped} already stored) for ${report.callers} caller(s); ${bad}.`,
      );
    }
    return badLines.length === 0 ? 0 : 1;
  },
};
