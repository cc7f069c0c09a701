import type { BenchReport, BenchResult } from "./result";
import { verdict } from "./targets";

function fmt(value: number | undefined): string {
  if (value === undefined) return "";
  if (value === 0) return "0";
  if (Math.abs(value) < 0.01) return value.toFixed(4);
  if (Math.abs(value) < 1) return value.toFixed(3);
  if (Math.abs(value) < 100) return value.toFixed(2);
  return value.toFixed(1);
}

const COLUMNS: readonly [string, (r: BenchResult) => string][] = [
  ["name", (r) => r.name],
  ["unit", (r) => r.unit],
  ["p50", (r) => fmt(r.p50)],
  ["p99", (r) => fmt(r.p99)],
  ["n", (r) => String(r.n)],
  ["x floor", (r) => (r.ratio_to_floor === undefined ? "" : `${r.ratio_to_floor}`)],
  ["req/s", (r) => fmt(r.rps)],
  ["errors", (r) => (r.errors === undefined ? "" : String(r.errors))],
  ["+node", (r) => fmt(r.above_baseline_ms)],
  ["95 %", (r) => (r.ci95_low === undefined || r.ci95_high === undefined ? "" : `${fmt(r.ci95_low)}..${fmt(r.ci95_high)}`)],
  ["target", (r) => verdict(r).target],
  ["", (r) => verdict(r).status],
];

/** The report as a plain-text table, machine first, one row per result. */
export function formatReport(report: BenchReport): string {
  const m = report.machine;
  const rows = report.results.map((r) => COLUMNS.map(([, cell]) => cell(r)));
  const widths = COLUMNS.map(([title], i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 || i === 1 || i >= COLUMNS.length - 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const misses = report.results.filter((r) => verdict(r).status === "miss").map((r) => r.name);
  return [
    `AgenticMemory bench (${report.profile}${report.only === undefined ? "" : `, only ${report.only}`}) — ${m.cpus} × ${m.model}, ${Math.round(m.memory_mb / 1024)} GB, Node ${m.node}, ${m.os}, load ${m.load_avg_1m} at start`,
    `seed: ${report.seed.memories} memories across ${report.seed.callers} callers, ${report.seed.callerUnderTest} for the caller under test; ` +
      `x floor = p50 / floor p50; +node = p50 − node-baseline p50; cold-overhead = first answer − the same work answered warm; run took ${report.seconds} s`,
    "",
    line(COLUMNS.map(([title]) => title)),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    misses.length === 0 ? "every target met" : `targets missed: ${misses.join(", ")}`,
  ].join("\n");
}
