import { describeError } from "../../../domain/error-description";
import { readCaller } from "./arguments";
import type { CliContext } from "./cli-context";
import { LineFile } from "./line-file";

/**
 * `forget --file CALLERS.txt`: the erasure of `forget <caller>` (the same use case) for every caller
 * listed, one after the other. Bad lines and failed erasures are reported by line number and skipped,
 * then a summary; exit code 1 when there was any.
 */
export async function forgetEveryoneIn(path: string, context: CliContext): Promise<number> {
  const region = context.env().DEFAULT_REGION ?? null;
  const file = await LineFile.open(path, "forget", context);
  const app = await context.app();
  const totals = { callers: 0, memories: 0, transcripts: 0, audio: 0, inboxEvents: 0 };
  const badLines: number[] = [];
  const failedLines: number[] = [];

  let finished = false;
  try {
    for await (const line of file.lines()) {
      const text = line.text.trim();
      if (text === "" || text.startsWith("#")) continue;
      const read = readCaller(text, region);
      if ("problem" in read) {
        badLines.push(line.number);
        file.progress.report(`line ${line.number}: ${read.problem}; skipped`);
        continue;
      }
      try {
        // The steps of one erasure would drown the file's progress: only its outcome is counted.
        const report = await app.forgetCaller.execute(read.callerId);
        totals.callers += 1;
        totals.memories += report.memories;
        totals.transcripts += report.transcripts.length;
        totals.audio += report.audio.length;
        totals.inboxEvents += report.inboxEvents.length;
      } catch (error) {
        failedLines.push(line.number);
        file.progress.report(`line ${line.number}: the erasure failed (${describeError(error)}); run forget again for it`);
      }
    }
    finished = true;
  } finally {
    file.progress.done(finished);
  }

  if (context.json) {
    context.out(
      JSON.stringify({
        callers: totals.callers,
        memories: totals.memories,
        transcripts: totals.transcripts,
        audio: totals.audio,
        inbox_events: totals.inboxEvents,
        bad_lines: badLines,
        failed_lines: failedLines,
      }),
    );
  } else {
    const skipped = [
      ...(badLines.length === 0 ? [] : [`${badLines.length} bad line(s) skipped (${badLines.join(", ")})`]),
      ...(failedLines.length === 0 ? [] : [`${failedLines.length} erasure(s) failed (lines ${failedLines.join(", ")})`]),
    ];
    context.out(
      `Forgot ${totals.callers} caller(s) from ${path}: ${totals.memories} memories, ${totals.transcripts} transcript(s), ` +
        `${totals.audio} recording(s), ${totals.inboxEvents} stored event(s) removed` +
        (skipped.length === 0 ? "." : `; ${skipped.join("; ")}.`),
    );
  }
  return badLines.length === 0 && failedLines.length === 0 ? 0 : 1;
}
