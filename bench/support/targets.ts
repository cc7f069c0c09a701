import type { BenchResult } from "./result";

export interface Verdict {
  /** The target for this figure, or "" when it has none. */
  readonly target: string;
  readonly status: "pass" | "miss" | "";
}

const NONE: Verdict = { target: "", status: "" };

const check = (target: string, ok: boolean): Verdict => ({ target, status: ok ? "pass" : "miss" });

/**
 * The targets of issue 9, beside each figure: client-data and retrieve p99 ≤ 20 ms and the post-call
 * acknowledgement p99 ≤ 25 ms in-process; each bundle ≤ 400 KB, import + first event ≤ 150 ms above a
 * bare `node` start (p50), RSS ≤ 100 MB under load; zero HTTP errors at 100 connections.
 */
export function verdict(result: BenchResult): Verdict {
  const { name } = result;
  if (name === "client-data" || name === "retrieve") return check("p99 <= 20 ms", result.p99 <= 20);
  if (name === "post-call-ack") return check("p99 <= 25 ms", result.p99 <= 25);
  if (/^bundle-.+-kb$/.test(name)) return check("<= 400 KB", result.p50 <= 400);
  if (/^cold-.+-ms$/.test(name)) return check("p50 <= baseline + 150 ms", (result.above_baseline_ms ?? Number.POSITIVE_INFINITY) <= 150);
  if (/^rss-.+-mb$/.test(name)) return check("peak <= 100 MB", result.p50 <= 100);
  if (name.startsWith("http-")) return check("0 errors", result.errors === 0);
  return NONE;
}
