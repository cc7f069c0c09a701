/**
 * `npm run bench [-- --quick] [-- --only cold] [-- --out FILE]`: what callers feel, measured in one run against the
 * targets of issue 9 and a no-op floor. The table goes to stdout, progress to stderr, and with
 * `--out` the same figures as JSON (`{"machine": {...}, "results": [...]}`, names stable).
 *
 * Phases, each bounded in time: bundles (built if stale) → in-process handlers over a seeded store
 * (own process) → the embedded store's ranking against its BM25 baseline on a generated corpus of calls
 * (own process) → HTTP on 127.0.0.1 with autocannon (server in its own process) → the bundles wired
 * as deployed (the Pulumi program's environment for each function, moto for S3/SSM, the Mem0 and
 * ElevenLabs stand-ins) → cold starts of each bundle beside a bare `node` → peak RSS of each bundle
 * under a stream of events. The bundles and the bare `node` run on `BENCH_NODE` when it is set (a Node
 * of the runtime the functions deploy on, `nodejs22.x`), else on the node running the bench; a run
 * on another major says so in its notes.
 *
 * `--only cold` runs the bundles' sizes and the cold starts only (the deployed wiring is still started
 * for them; the in-process, retrieval, HTTP and RSS phases are skipped): a quicker loop while working
 * on start-up time. The full run stays the default. `BENCH_COMPARE=<dir>` times another build of the
 * bundles (`npm run build -- --out <dir>`) in the same cold-start rounds and reports the paired
 * differences (compare-build.ts).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import type { InProcessConfig } from "./phases/in-process.phase";
import type { RetrievalConfig } from "./phases/retrieval.phase";
import { bundleSizes, coldStarts, ensureBundles, rssUnderLoad } from "./support/bundles";
import { compareBuildFrom } from "./support/compare-build";
import { PhaseProcess } from "./support/child";
import { DeployedWorld } from "./support/deployment";
import { measureHttp } from "./support/http-load";
import { bundleNode, runtimeMismatchNote } from "./support/bundle-node";
import { lambdaCpuRequested } from "./support/lambda-cpu";
import { machineInfo } from "./support/machine";
import { killStartedProcesses } from "./support/processes";
import { FULL, QUICK, type Profile } from "./support/profile";
import { formatReport } from "./support/report";
import type { BenchReport, BenchResult } from "./support/result";

const USAGE = "usage: npm run bench [-- --quick] [-- --only cold] [-- --out FILE]";

/** Phases `--only` can pick: `cold` is the bundles' sizes and cold starts, without the other phases. */
const ONLY = ["cold"] as const satisfies readonly NonNullable<BenchReport["only"]>[];
type Only = (typeof ONLY)[number];

function parseArgs(argv: readonly string[]): { profile: Profile; out: string | undefined; only: Only | undefined } {
  let profile = FULL;
  let out: string | undefined;
  let only: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === "--quick") profile = QUICK;
    else if (arg === "--only") only = argv[++i];
    else if (arg.startsWith("--only=")) only = arg.slice("--only=".length);
    else if (arg === "--out") out = argv[++i];
    else if (arg.startsWith("--out=")) out = arg.slice("--out=".length);
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
  }
  if (out === "") throw new Error(`--out needs a file name; ${USAGE}`);
  if (only !== undefined && !(ONLY as readonly string[]).includes(only)) throw new Error(`--only takes one of ${ONLY.join(", ")}, not ${JSON.stringify(only)}; ${USAGE}`);
  return { profile, out: out === undefined ? undefined : resolve(out), only: only as Only | undefined };
}

const ORDER = [
  "floor",
  "client-data",
  "retrieve",
  "post-call-ack",
  "post-call-ingest",
  "mem0-client-data",
  "mem0-retrieve",
  "retrieval-recall-at-5",
  "retrieval-recall-at-5-baseline",
  "retrieval-answer-recall",
  "retrieval-answer-recall-baseline",
  "http-client-data",
  "http-retrieve",
  "http-post-call",
  "node-baseline-ms",
];

function byStableOrder(a: BenchResult, b: BenchResult): number {
  const rank = (r: BenchResult) => {
    const i = ORDER.indexOf(r.name);
    if (i >= 0) return i;
    // A function's warm row stays beside its cold rows (the sort is stable: they keep the order they were reported in).
    const kind = ["bundle-", "cold-", "rss-"].findIndex((prefix) => r.name.replace(/^warm-/, "cold-").startsWith(prefix));
    return ORDER.length + (kind < 0 ? 3 : kind);
  };
  return rank(a) - rank(b);
}

async function main(): Promise<void> {
  const { profile, out, only } = parseArgs(process.argv.slice(2));
  const started = new Date();
  const node = bundleNode();
  const lambdaCpu = lambdaCpuRequested();
  const compare = compareBuildFrom();
  const machine = { ...machineInfo(), bundle_node: node.version, invoke_cpu: lambdaCpu ? "function's share (BENCH_LAMBDA_CPU=1)" : "full core" };
  const t0 = performance.now();
  const progress = (message: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}\n`);

  const root = mkdtempSync(join(tmpdir(), "agentic-memory-bench-"));
  const cleanUp = () => {
    killStartedProcesses();
    rmSync(root, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  }

  const keys = { workspaceKey: `bench_ws_${randomBytes(12).toString("hex")}`, hmacKey: `bench_whsec_${randomBytes(24).toString("hex")}` };
  const results: BenchResult[] = [];
  const notes: string[] = [];
  if (machine.load_avg_1m > 0.5) notes.push(`load average ${machine.load_avg_1m} at start: other work shares the machine, so the figures are noisier than usual`);
  try {
    progress(`${profile.name} run${only === undefined ? "" : ` (--only ${only})`}; temp dir ${root}`);
    progress((await ensureBundles()) ? "built dist/lambda (it was missing or older than its sources)" : "dist/lambda is up to date");
    const sizes = bundleSizes();
    results.push(...sizes.results);
    notes.push(...sizes.notes);

    if (only === undefined) {
      progress(`in-process: seeding ${profile.seed.memories} memories, then timing the handlers`);
      const inProcessConfig: InProcessConfig = { dataDir: join(root, "main"), ackDir: join(root, "ack"), mem0Dir: join(root, "mem0"), keys, profile };
      const phase = new PhaseProcess("in-process.phase.ts", inProcessConfig, process.env);
      try {
        const { results: measured, notes: phaseNotes } = await phase.next("results", 150_000);
        results.push(...measured);
        notes.push(...phaseNotes, ...warningsNote("in-process", phase.warnings));
      } finally {
        await phase.stop();
      }

      const { callers, callsPerCaller } = profile.retrieval;
      progress(`retrieval: ${callers} callers × ${callsPerCaller} calls, every question asked of the ranking and of the BM25 baseline`);
      const retrievalConfig: RetrievalConfig = { dataDir: join(root, "retrieval"), profile };
      const retrieval = new PhaseProcess("retrieval.phase.ts", retrievalConfig, process.env);
      try {
        const { results: measured, notes: phaseNotes } = await retrieval.next("results", 120_000);
        results.push(...measured);
        notes.push(...phaseNotes, ...warningsNote("retrieval", retrieval.warnings));
      } finally {
        await retrieval.stop();
      }

      progress(`http: ${profile.http.connections} connections, ${profile.http.seconds} s per route`);
      const http = await measureHttp({ config: { dataDir: join(root, "main"), keys }, profile, env: process.env });
      results.push(...http.results);
      notes.push(...warningsNote("http server", http.warnings));
    }

    progress("deployed wiring: the Pulumi program under mocks, moto, the Mem0 and ElevenLabs stand-ins");
    const world = new DeployedWorld({ root, keys, profile });
    try {
      await world.start();
      notes.push(...world.notes);
      const mismatch = runtimeMismatchNote(node, world.runtimeOf("client-data"));
      if (mismatch !== undefined) notes.push(mismatch);

      progress(`cold starts on node ${node.version}: ${profile.cold.repetitions} rounds of node -e "" and each bundle${compare === undefined ? "" : `, and each of BENCH_COMPARE's`}`);
      const cold = await coldStarts({ world, root, keys, profile, node, lambdaCpu, ...(compare === undefined ? {} : { compare }) });
      results.push(...cold.results);
      notes.push(...cold.notes);

      if (only === undefined) {
        progress("peak RSS of each bundle under a stream of events");
        results.push(...(await rssUnderLoad({ world, root, keys, profile, node })));
      }
    } finally {
      await world.stop();
    }
  } finally {
    cleanUp();
  }

  const report: BenchReport = {
    machine,
    profile: profile.name,
    ...(only === undefined ? {} : { only }),
    started: started.toISOString(),
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    seed: profile.seed,
    results: results.sort(byStableOrder),
  };
  console.log(formatReport(report));
  if (notes.length > 0) console.log(["", "notes:", ...notes.map((n) => `  ${n}`)].join("\n"));
  if (out !== undefined) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ ...report, notes }, null, 2)}\n`);
    progress(`wrote ${out}`);
  }
}

/** Warnings and errors the app logged while measured: a figure is only meaningful if nothing went wrong. */
function warningsNote(phase: string, lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  return [`${phase} logged ${lines.length} warning/error line(s), e.g.: ${lines.slice(0, 3).map((l) => l.slice(0, 200)).join(" | ")}`];
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
