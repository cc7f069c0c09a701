import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { MultiBar, Presets, type SingleBar } from "cli-progress";
import { PROGRESS_EVERY } from "../../../application/progress";
import { describeError } from "../../../domain/error-description";
import { UsageError, type CliContext } from "./cli-context";

/** One line of a file, numbered from 1 as an editor numbers it. */
export interface Line {
  readonly number: number;
  readonly text: string;
}

/** How far a file has been read, on stderr; and where to report a line, so that it does not tear the bar. */
export interface FileProgress {
  /** Say something about one line (a problem), on its own line of stderr. */
  report(message: string): void;
  /** Stop the bar (before the summary is printed; also when the work failed, so the terminal gets its cursor back). */
  done(finished?: boolean): void;
}

/**
 * A text file named on the command line, read one line at a time (`\n` or `\r\n`, a leading BOM
 * dropped) however large it is, with progress on stderr: a bar when stderr is a terminal, else a line
 * every {@link PROGRESS_EVERY} lines. Progress counts lines and bytes, never shows what they say.
 *
 * @example
 * const file = await LineFile.open("callers.txt", "forget", context);
 * for await (const line of file.lines()) file.progress.report(`line ${line.number}: …`);
 * file.progress.done();
 */
export class LineFile {
  private constructor(
    private readonly path: string,
    readonly progress: FileProgress & { advance(bytes: number, lines: number): void },
  ) {}

  /** Refuses (usage error, exit 2) a file that cannot be read; shows nothing until the first line is read. */
  static async open(path: string, label: string, context: CliContext): Promise<LineFile> {
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new Error("not a file");
      size = info.size;
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${describeError(error)}`);
    }
    return new LineFile(path, process.stderr.isTTY ? barProgress(label, size) : lineProgress(label, size, context));
  }

  async *lines(): AsyncGenerator<Line> {
    const input = createReadStream(this.path, { encoding: "utf8" });
    const reader = createInterface({ input, crlfDelay: Infinity });
    let number = 0;
    let bytes = 0;
    try {
      for await (const raw of reader) {
        number += 1;
        bytes += Buffer.byteLength(raw, "utf8") + 1;
        this.progress.advance(bytes, number);
        yield { number, text: number === 1 ? raw.replace(/^\uFEFF/, "") : raw };
      }
    } finally {
      reader.close();
      input.destroy();
    }
  }
}

/** A bar for a terminal, drawn from the first line read: cli-progress redraws it in place, and prints reports above it. */
function barProgress(label: string, size: number): LineFile["progress"] {
  let shown: { bars: MultiBar; bar: SingleBar } | undefined;
  const show = () => {
    if (shown !== undefined) return shown;
    const bars = new MultiBar(
      { format: `${label} [{bar}] {percentage}% | {lines} line(s)`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
      Presets.shades_classic,
    );
    shown = { bars, bar: bars.create(Math.max(size, 1), 0, { lines: 0 }) };
    return shown;
  };
  return {
    advance: (bytes, lines) => show().bar.update(Math.min(bytes, size), { lines }),
    report: (message) => show().bars.log(`${message}\n`),
    done: (finished = true) => {
      if (shown === undefined) return;
      // Lines end in `\r\n` or the last one in nothing: the bytes counted fall a little short of the size.
      if (finished) shown.bar.update(Math.max(size, 1));
      shown.bars.stop();
    },
  };
}

/** Not a terminal (a log file, CI): a plain line every {@link PROGRESS_EVERY} lines. */
function lineProgress(label: string, size: number, context: CliContext): LineFile["progress"] {
  return {
    advance: (bytes, lines) => {
      if (lines % PROGRESS_EVERY === 0) context.err(`${label}: ${lines} line(s) read (${size === 0 ? 100 : Math.min(100, Math.floor((bytes / size) * 100))}%)`);
    },
    report: (message) => context.err(message),
    done: () => undefined,
  };
}
