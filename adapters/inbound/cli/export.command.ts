import { chmod, writeFile } from "node:fs/promises";
import { callerArgument, positional, stringFlag } from "./arguments";
import type { CliCommand } from "./cli-context";

/** `export <caller>`: one JSON document with everything kept about a caller. */
export const exportCommand: CliCommand = {
  name: "export",
  summary: "one JSON document with a caller's memories and archived transcripts",
  options: { out: { type: "string" } },
  usage: `Usage: agentic-memory export <caller> [--out FILE]

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

Options:
  --out FILE   write the document to FILE instead of stdout`,
  async run(context) {
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
