import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const REPO_ROOT = join(import.meta.dirname, "..", "..");
/** Every deployed function (adapters/function-declarations.ts). */
const FUNCTIONS = ["client-data", "retrieve", "remember", "post-call", "worker", "sweep"];

/** Every name the issue fixes; a version that drops or renames one breaks whoever compares runs. */
const IN_PROCESS = [
  "floor",
  "client-data",
  "retrieve",
  "post-call-ack",
  "post-call-ingest",
  "mem0-client-data",
  "mem0-retrieve",
  "mem0-client-data-20",
  "mem0-client-data-5k",
  "mem0-retrieve-5k",
];
const HTTP = ["http-client-data", "http-retrieve", "http-post-call"];
/** The embedded store's ranking and, as `-baseline`, the BM25 ranking it replaced, on the same questions. */
const RETRIEVAL = ["retrieval-recall-at-5", "retrieval-answer-recall"];
const NAMES = [
  ...IN_PROCESS,
  ...RETRIEVAL.flatMap((name) => [name, `${name}-baseline`]),
  ...HTTP,
  "node-baseline-ms",
  ...FUNCTIONS.flatMap((fn) => [`bundle-${fn}-kb`, `cold-${fn}-ms`, `warm-${fn}-ms`, `cold-overhead-${fn}-ms`, `rss-${fn}-mb`]),
];

interface Row {
  name: string;
  unit: string;
  p50: number;
  p99: number;
  n: number;
  ratio_to_floor?: number;
  rps?: number;
  errors?: number;
  above_baseline_ms?: number;
  p99_ratio_to_20?: number;
  baseline?: number;
}

describe("npm run bench -- --quick --out FILE", () => {
  const dir = mkdtempSync(join(tmpdir(), "agentic-memory-bench-test-"));
  const out = join(dir, "bench.json");
  let report: { machine: Record<string, unknown>; results: Row[]; notes: string[] };
  let stdout = "";

  beforeAll(async () => {
    // Prepare / Act: the quick profile, as a user runs it, in its own process (it starts moto_server
    // and runs the Pulumi program under mocks for the bundles' deployed wiring).
    // The quick run takes about two minutes alone; beside another test file on a loaded 2-core machine, up to twice that.
    ({ stdout } = await run("npx", ["tsx", "bench/run.ts", "--quick", "--out", out], { cwd: REPO_ROOT, timeout: 290_000, maxBuffer: 10 * 1024 * 1024 }));
    report = JSON.parse(readFileSync(out, "utf8")) as typeof report;
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const row = (name: string): Row => {
    const found = report.results.find((r) => r.name === name);
    if (found === undefined) throw new Error(`no result named ${name}`);
    return found;
  };

  it("describes the machine the figures come from", () => {
    expect(report.machine).toMatchObject({ cpus: expect.any(Number), model: expect.any(String), node: process.version, os: expect.any(String) });
  });

  it("has every named result exactly once, with finite figures and n > 0", () => {
    expect(report.results.map((r) => r.name).sort()).toEqual([...NAMES].sort());
    for (const r of report.results) {
      expect(Number.isFinite(r.p50) && Number.isFinite(r.p99), r.name).toBe(true);
      expect(r.p50, r.name).toBeGreaterThanOrEqual(0);
      expect(r.p99, r.name).toBeGreaterThanOrEqual(r.p50);
      expect(r.n, r.name).toBeGreaterThan(0);
      expect(["ms", "kb", "mb", "req/s", "%"], r.name).toContain(r.unit);
    }
  });

  it("gives every in-process figure as a ratio to the floor of the same run", () => {
    for (const name of IN_PROCESS) expect(Number.isFinite(row(name).ratio_to_floor), name).toBe(true);
    expect(row("floor").ratio_to_floor).toBe(1);
    expect(row("client-data").ratio_to_floor).toBeGreaterThan(1);
  });

  it("judges the loyal caller's client-data against a caller with 20 memories in the same run", () => {
    const ratio = row("mem0-client-data-5k").p99_ratio_to_20;
    expect(ratio).toBeCloseTo(row("mem0-client-data-5k").p99 / row("mem0-client-data-20").p99, 1);
  });

  it("answers more of the retrieval questions than the BM25 ranking it replaced, asked the same questions in the same run", () => {
    for (const name of RETRIEVAL) {
      const ranking = row(name);
      const baseline = row(`${name}-baseline`);
      expect(ranking.unit, name).toBe("%");
      expect(ranking.n, name).toBe(baseline.n);
      expect(ranking.baseline, name).toBe(baseline.p50);
      expect(ranking.p50, name).toBeGreaterThan(baseline.p50);
      expect(ranking.p50, name).toBeLessThanOrEqual(100);
    }
    expect(report.notes.some((note) => note.startsWith("retrieval corpus:"))).toBe(true);
    expect(stdout).toMatch(/retrieval-recall-at-5\s.*> baseline [\d.]+ %\s+pass/);
  });

  it("loads every route over HTTP without a single error", () => {
    for (const name of HTTP) {
      expect(row(name).errors, name).toBe(0);
      expect(row(name).rps, name).toBeGreaterThan(0);
    }
  });

  it("runs the bundles wired as deployed, and says how far each cold start is from a bare node", () => {
    expect(report.notes.some((note) => note.startsWith("bundles wired as deployed"))).toBe(true);
    for (const fn of FUNCTIONS) expect(Number.isFinite(row(`cold-${fn}-ms`).above_baseline_ms), fn).toBe(true);
  });

  it("separates what being cold adds from the work of the event, and judges the target on that", () => {
    for (const fn of FUNCTIONS) {
      const cold = row(`cold-${fn}-ms`);
      const warm = row(`warm-${fn}-ms`);
      const overhead = row(`cold-overhead-${fn}-ms`);
      // One warm answer per cold process, and the overhead is their difference, process by process.
      expect([warm.n, overhead.n], fn).toEqual([cold.n, cold.n]);
      expect(warm.p50, fn).toBeGreaterThan(0);
      expect(overhead.p50, fn).toBeLessThan(cold.p50);
      expect(Number.isFinite(overhead.above_baseline_ms), fn).toBe(true);
      expect(stdout, fn).toMatch(new RegExp(`cold-overhead-${fn}-ms\\s.*p50 <= baseline \\+ 150 ms\\s+(pass|miss)`));
    }
    expect(report.notes.some((note) => /^cold start p50s, .*\(warm event \d+\)/.test(note))).toBe(true);
  });

  it("prints the table with each target's pass or miss", () => {
    expect(stdout).toContain("http-post-call");
    expect(stdout).toMatch(/client-data\s.*p99 <= 20 ms\s+(pass|miss)/);
  });
});

describe("npm run bench -- --only PHASE", () => {
  it("names the phases it can run alone when asked for another, and runs nothing", async () => {
    const refused = await run("npx", ["tsx", "bench/run.ts", "--only", "warm"], { cwd: REPO_ROOT, timeout: 60_000 }).catch((error: unknown) => error as { code: number; stderr: string });

    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain('--only takes one of cold, not "warm"');
  });

  it("documents --only cold in its usage", async () => {
    const { stdout } = await run("npx", ["tsx", "bench/run.ts", "--help"], { cwd: REPO_ROOT, timeout: 60_000 });

    expect(stdout).toContain("[-- --only cold]");
  });
});
