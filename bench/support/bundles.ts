import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { bundleBytes } from "../../scripts/build";
import { scheduledEvent } from "../../tests/support/lambda-events";
import { REPO_ROOT } from "./child";
import type { DeployedWorld, Keys } from "./deployment";
import { runProcess } from "./processes";
import { clientDataBody, httpEvent, rememberBody, retrieveBody, s3ObjectCreated, workspaceHeaders } from "./events";
import { BUNDLE_FUNCTIONS, type BundleFunction, type Profile } from "./profile";
import type { BundleNode } from "./bundle-node";
import { invokeCpu, MB_PER_VCPU, PERIOD_US, type InvokeCpu } from "./lambda-cpu";
import type { BenchResult } from "./result";
import { CALLER_UNDER_TEST, freshCallerId, seededCallerId } from "./seed-data";
import { pairedDifference, round, summarise } from "./stats";

/** The baseline process: node starts and reports over IPC, as the probe does once it has answered. */
const BASELINE_SCRIPT = "process.send({ ready: true }, undefined, {}, () => process.exit(0))";
const PROBE = join(REPO_ROOT, "bench", "probes", "bundle-probe.mjs");
const FIXTURE = join(REPO_ROOT, "tests", "fixtures", "post-call-transcription.json");
/** What the bundles are built from: a newer file here means dist/ is stale. */
const SOURCES = ["domain", "application", "adapters", "scripts", "package.json", "package-lock.json"];
/** One spawned process may take this long before the run is declared broken. */
const PROCESS_TIMEOUT_MS = 60_000;
/** How far back a lost-notification event's arrival is dated: past the sweep's 300 s minimum age. */
const LOST_NOTIFICATION_AGE_SECS = 600;

const bundlePath = (fn: BundleFunction) => join(REPO_ROOT, "dist", "lambda", fn, "index.mjs");

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Run `npm run build` when a bundle is missing or older than its sources; says whether it built. */
export async function ensureBundles(): Promise<boolean> {
  const built = BUNDLE_FUNCTIONS.map((fn) => statSync(bundlePath(fn), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  const sources = Math.max(...SOURCES.map((s) => newestMtime(join(REPO_ROOT, s))));
  if (Math.min(...built) > sources) return false;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const { code, stderr } = await runProcess(npm, ["run", "build"], { cwd: REPO_ROOT, env: process.env, timeoutMs: 180_000 });
  if (code !== 0) throw new Error(`npm run build failed (exit ${code}):\n${stderr.slice(-2_000)}`);
  return true;
}

/** Sizes of every file of a function directory, by kind: what `pulumi up` zips and uploads. */
function packageOf(dir: string): { entryBytes: number; mapBytes: number; zippedBytes: number } {
  let mapBytes = 0;
  let zippedBytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (entry.name.endsWith(".map")) mapBytes += statSync(path).size;
    // A zip stores each file deflated, plus its headers (~100 bytes with the name).
    zippedBytes += deflateRawSync(readFileSync(path)).length + 100 + 2 * entry.name.length;
  }
  return { entryBytes: statSync(join(dir, "index.mjs")).size, mapBytes, zippedBytes };
}

/**
 * `bundle-<fn>-kb`: the code a function ships (entry and every chunk it may load, `.mjs` only), and
 * a note with the whole package: the source maps that ship beside it (for reading a stack trace by
 * hand) and the zipped size that counts against Lambda's 50 MB limit.
 */
export function bundleSizes(): { results: BenchResult[]; notes: string[] } {
  const packages: string[] = [];
  const results = BUNDLE_FUNCTIONS.map((fn): BenchResult => {
    const dir = dirname(bundlePath(fn));
    const kb = round(bundleBytes(dir) / 1024, 1);
    const { entryBytes, mapBytes, zippedBytes } = packageOf(dir);
    packages.push(`${fn} ${Math.round(entryBytes / 1024)} KB entry + ${Math.round(kb - entryBytes / 1024)} KB chunks + ${Math.round(mapBytes / 1024)} KB maps, ≈${Math.round(zippedBytes / 1024)} KB zipped`);
    return { name: `bundle-${fn}-kb`, unit: "kb", p50: kb, p99: kb, n: 1 };
  });
  return { results, notes: [`deployment packages: ${packages.join("; ")}`] };
}

type Expectation =
  | { readonly kind: "status-200" }
  | { readonly kind: "returning-caller"; readonly firstMemoryCount: number }
  | { readonly kind: "memories-found" }
  | { readonly kind: "worker-ingested" }
  | { readonly kind: "sweep-ingested"; readonly firstRedriven: number; readonly warmRedriven?: number }
  | { readonly kind: "fact-stored" };

/** The probe's config file (bench/probes/bundle-probe.mjs documents each field). */
interface ProbeConfig {
  readonly bundle: string;
  readonly functionName: string;
  readonly timeoutMs: number;
  readonly kind: "http" | "s3" | "schedule";
  readonly template: unknown;
  readonly expect: Expectation;
  readonly events: number;
  readonly maxMs: number;
  readonly timingsFile?: string;
  readonly warmEvent?: number;
  readonly bodies?: readonly string[];
  readonly postCall?: { readonly fixture: string; readonly hmacKey: string; readonly conversationPrefix: string; readonly callers: readonly string[] };
  readonly s3?: { readonly keyPrefix: string };
  /** With BENCH_LAMBDA_CPU=1: the cgroup the probe joins once the handler is imported, so its events run at the function's share of a CPU. */
  readonly invokeCgroupProcs?: string;
}

/** Where the time of one cold start went, as the probe measured it from inside (ms). */
interface ProbeTimings {
  /** From node's time origin to the probe's first line. */
  readonly bootMs: number;
  readonly importMs: number;
  readonly firstEventMs: number;
  /** From node's time origin to the first answer. */
  readonly endMs: number;
  /** The warm event, answered by the same process after the first (see {@link Workload.warmEvent}). */
  readonly warmEventMs: number;
}

/** One cold start as timed: the probe's own timings, and the first answer as the parent saw it (spawn to IPC). */
type ColdSample = ProbeTimings & { readonly firstAnswerMs: number };

/**
 * What one probe process does for `fn`: its config, the state it needs stored first, and the check
 * that the work really happened (in S3 and Mem0, not only in the answer).
 */
interface Workload {
  readonly config: ProbeConfig;
  /**
   * For a cold start: the event the same process answers warm after the first, doing the same work
   * (the same kind of caller, a fact not yet stored, one more event to ingest); {@link between} stores
   * what it needs once the first is answered. Built with `events: 2`.
   */
  readonly warmEvent: number;
  prepare(): Promise<void>;
  between(): Promise<void>;
  verify(served: number): Promise<void>;
}

/**
 * Callers no process of this run has seen (post-call's own use the first 100): every ingestion starts
 * from a caller with no memories, and the memories found afterwards are that process's work.
 */
let callersTaken = 100;
function newCallers(count: number): (i: number) => string {
  const base = callersTaken;
  callersTaken += count;
  return (i) => freshCallerId(base + i);
}

/** Conversation ids of a run: `<prefix>0`, `<prefix>1`, … — the probe derives the same ones. */
const conversations = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

interface WorkloadOptions {
  readonly events: number;
  readonly maxMs: number;
  readonly keys: Keys;
  /** Part of every conversation id, so no two processes of a run share one. */
  readonly label: string;
  /** How many memories the seed gave the caller under test (client-data must report exactly that). */
  readonly callerUnderTestMemories: number;
  /** Lost-notification transcriptions waiting for the sweep. */
  readonly sweepBacklog: number;
}

function workloadFor(world: DeployedWorld, fn: BundleFunction, options: WorkloadOptions): Workload {
  const { events, keys, label } = options;
  const deployed = world.deployment.functions[fn];
  const common = { bundle: join(world.taskDir(fn), "index.mjs"), functionName: deployed.name, timeoutMs: deployed.timeoutSeconds * 1000, events, maxMs: options.maxMs };
  const headers = workspaceHeaders(keys.workspaceKey);
  const conversationPrefix = `conv_bench_${label}_`;
  const nothing = async () => undefined;
  switch (fn) {
    case "client-data": {
      let mem0Before = 0;
      // The caller under test (its memories in the Mem0 stand-in) among seeded callers, as a day of calls would mix them.
      const callers = [CALLER_UNDER_TEST, ...Array.from({ length: 49 }, (_, i) => seededCallerId(i))];
      const bodies = callers.map((c, i) => clientDataBody(c, i));
      const template = httpEvent({ method: "POST", path: "/client-data", headers, body: bodies[0] });
      return {
        config: { ...common, kind: "http", bodies, template, expect: { kind: "returning-caller", firstMemoryCount: options.callerUnderTestMemories } },
        // The caller under test again, from their profile (nothing caches a profile between invocations).
        warmEvent: 0,
        between: nothing,
        // The first event is the caller under test, answered from their profile: the other functions' samples empty the bucket.
        prepare: async () => {
          await world.storeProfileOfCallerUnderTest();
          mem0Before = world.mem0Requests();
        },
        // A cold start is timed on the profile path only: a Mem0 read would mean it fell back to the memories.
        verify: async () => {
          if (events <= 2 && world.mem0Requests() !== mem0Before) throw new Error("client-data's cold start read Mem0: the caller under test was not answered from their profile");
        },
      };
    }
    case "retrieve": {
      const bodies = Array.from({ length: 8 }, (_, i) => retrieveBody(CALLER_UNDER_TEST, i));
      const template = httpEvent({ method: "POST", path: "/retrieve", headers, body: bodies[0] });
      return { config: { ...common, kind: "http", bodies, template, expect: { kind: "memories-found" } }, warmEvent: 1, prepare: nothing, between: nothing, verify: nothing };
    }
    case "remember": {
      // A fact remembered mid-call, each event for a caller no process of this run has seen: a write to Mem0 and the
      // profile rebuilt (the same fact again in the same call is only acknowledged, `already_remembered`).
      const callerOf = newCallers(events);
      const bodies = Array.from({ length: events }, (_, i) => rememberBody(callerOf(i), i));
      const template = httpEvent({ method: "POST", path: "/remember", headers, body: bodies[0] });
      return { config: { ...common, kind: "http", bodies, template, expect: { kind: "fact-stored" } }, warmEvent: 1, prepare: nothing, between: nothing, verify: nothing };
    }
    case "post-call":
      return {
        config: {
          ...common,
          kind: "http",
          postCall: { fixture: FIXTURE, hmacKey: keys.hmacKey, conversationPrefix, callers: Array.from({ length: 100 }, (_, i) => freshCallerId(i)) },
          template: httpEvent({ method: "POST", path: "/post-call", headers: { "content-type": "application/json" }, body: "" }),
          expect: { kind: "status-200" },
        },
        warmEvent: 1,
        prepare: () => world.clearBucket(),
        between: nothing,
        // Every acknowledged transcription is in the inbox, waiting for its worker.
        verify: async (served) => {
          const pending = await world.pendingCount();
          if (pending !== served) throw new Error(`post-call acknowledged ${served} transcriptions and the inbox holds ${pending}`);
        },
      };
    case "worker": {
      // Real events: each notification names a transcription stored beforehand as post-call stores it.
      const ids = conversations(conversationPrefix, events);
      const callerOf = newCallers(events);
      return {
        config: {
          ...common,
          kind: "s3",
          s3: { keyPrefix: `inbox/post_call_transcription/${conversationPrefix}` },
          template: s3ObjectCreated(world.deployment.bucket, "inbox/"),
          expect: { kind: "worker-ingested" },
        },
        warmEvent: 1,
        prepare: async () => {
          await world.clearBucket();
          await world.storeTranscriptions(ids, callerOf);
        },
        between: nothing,
        verify: (served) => expectIngested(world, ids.slice(0, served), callerOf),
      };
    }
    case "sweep": {
      // Transcriptions whose S3 notification was lost: the sweep's reason to exist. The first
      // scheduled event re-drives them all; the later ones find them done and their calls still
      // waiting for audio (within the wait, so no recording is fetched). A warm sweep (cold starts) is
      // timed re-driving a backlog of the same size, stored once the first sweep has answered.
      const backlog = options.sweepBacklog;
      const ids = conversations(conversationPrefix, 2 * backlog);
      const callerOf = newCallers(2 * backlog);
      let stored = backlog;
      return {
        config: {
          ...common,
          kind: "schedule",
          template: scheduledEvent(world.deployment.sweepRuleArn),
          expect: { kind: "sweep-ingested", firstRedriven: backlog, warmRedriven: backlog },
        },
        warmEvent: 1,
        prepare: async () => {
          await world.clearBucket();
          await world.storeTranscriptions(ids.slice(0, backlog), callerOf, LOST_NOTIFICATION_AGE_SECS);
        },
        between: async () => {
          await world.storeTranscriptions(ids.slice(backlog), (i) => callerOf(backlog + i), LOST_NOTIFICATION_AGE_SECS);
          stored = ids.length;
        },
        verify: () => expectIngested(world, ids.slice(0, stored), callerOf),
      };
    }
  }
}

/** Each event is done in the inbox and its caller has memories in Mem0: the function did the work. */
async function expectIngested(world: DeployedWorld, ids: readonly string[], callerOf: (i: number) => string): Promise<void> {
  for (let i = 0; i < ids.length; i += 1) {
    const id = ids[i] as string;
    const state = await world.transcriptionState(id);
    if (state !== "done") throw new Error(`event ${id} is ${state ?? "missing"}, not done`);
    if (world.memoryCount(callerOf(i)) === 0) throw new Error(`event ${id} is done but its caller has no memories in Mem0`);
  }
}

function writeProbeConfig(path: string, config: ProbeConfig): string {
  writeFileSync(path, JSON.stringify(config));
  return path;
}

/**
 * Cold-start proxy: wall time from spawn of a fresh `node` that imports the bundle (from its task dir,
 * with the function's deployed environment) until it has answered one real event (its IPC message),
 * beside a bare `node` that sends the same message at once (empty environment), in the same rounds.
 * The process's exit is not counted: a Lambda instance is frozen after answering, never exited.
 *
 * The same process then answers one more event of the same kind, doing the same work (its
 * {@link Workload.warmEvent}), as the warm instance it has become: `warm-<fn>-ms`. What being cold
 * added is the difference, per process: `cold-overhead-<fn>-ms` = first answer − warm answer, which
 * the target compares with the bare `node`. For client-data the two are nearly the same figure; for
 * the worker and the sweep, whose event is a whole ingestion, the first answer also holds the work a
 * warm instance does too.
 *
 * Also notes where each function's time went (p50s): node's own boot, the import of the entry, the
 * first event (the chunks it loads on demand, the SSM read, the calls to S3 and Mem0), and what lies
 * outside the process's clock (spawn, and the IPC message). With `BENCH_CPU_PROF=<dir>` each sampled
 * process also writes a V8 CPU profile there (slower: the figures are then not comparable).
 */
export async function coldStarts(options: {
  world: DeployedWorld;
  root: string;
  keys: Keys;
  profile: Profile;
  node: BundleNode;
  lambdaCpu: boolean;
  /** `BENCH_COMPARE`: another build, timed in the same rounds (see compare-build.ts). */
  compare?: string;
}): Promise<{ results: BenchResult[]; notes: string[] }> {
  const { world, root, keys, profile, node: bundleNode, compare } = options;
  const cpuProfiles = process.env.BENCH_CPU_PROF?.trim() || undefined;
  const cpus = new Map(BUNDLE_FUNCTIONS.map((fn) => [fn, invokeCpu({ requested: options.lambdaCpu, name: `agentic-memory-bench-${process.pid}-${fn}`, memorySizeMb: world.memorySizeOf(fn) })]));
  try {
    return await timeColdStarts({ world, root, keys, profile, bundleNode, cpuProfiles, cpus, compare });
  } finally {
    for (const cpu of cpus.values()) cpu.dispose();
  }
}

async function timeColdStarts(options: {
  world: DeployedWorld;
  root: string;
  keys: Keys;
  profile: Profile;
  bundleNode: BundleNode;
  cpuProfiles: string | undefined;
  cpus: ReadonlyMap<BundleFunction, InvokeCpu>;
  compare: string | undefined;
}): Promise<{ results: BenchResult[]; notes: string[] }> {
  const { world, root, keys, profile, bundleNode, cpuProfiles, cpus, compare } = options;
  const baselineSamples: number[] = [];
  const runs = new Map<BundleFunction, ColdSample[]>(BUNDLE_FUNCTIONS.map((fn) => [fn, []]));
  const compared = new Map<BundleFunction, ColdSample[]>(BUNDLE_FUNCTIONS.map((fn) => [fn, []]));
  // The other build's functions, copied out as the world copies dist/lambda's (as Lambda unpacks them).
  const compareDir = (fn: BundleFunction): string => {
    const dir = join(root, "compare-task", fn);
    if (compare !== undefined && !existsSync(dir)) cpSync(join(compare, fn), dir, { recursive: true });
    return dir;
  };
  /** One cold start of `fn`'s bundle from `build`, and the same kind of event answered warm by that process. */
  const coldStart = async (fn: BundleFunction, rep: number, build: "current" | "compare"): Promise<ColdSample> => {
    const timingsFile = join(root, `cold-${fn}-${rep}.timings.json`);
    const workload = workloadFor(world, fn, {
      events: 2,
      maxMs: PROCESS_TIMEOUT_MS,
      keys,
      label: build === "current" ? `cold_${rep}` : `cold_${rep}_compare`,
      callerUnderTestMemories: profile.seed.callerUnderTest,
      sweepBacklog: 1,
    });
    await workload.prepare();
    const taskDir = build === "current" ? world.taskDir(fn) : compareDir(fn);
    const procsFile = cpus.get(fn)?.procsFile;
    const configPath = writeProbeConfig(join(root, `cold-${fn}-${rep}.probe.json`), {
      ...workload.config,
      bundle: join(taskDir, "index.mjs"),
      events: 1,
      warmEvent: workload.warmEvent,
      timingsFile,
      ...(procsFile === undefined ? {} : { invokeCgroupProcs: procsFile }),
    });
    const nodeArgs = cpuProfiles === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${join(cpuProfiles, fn)}`];
    const run = await runProcess(bundleNode.path, [...nodeArgs, PROBE, configPath], {
      cwd: taskDir,
      env: world.envFor(fn),
      timeoutMs: PROCESS_TIMEOUT_MS,
      ipc: true,
      afterFirstMessage: () => workload.between(),
    });
    const which = build === "current" ? fn : `${fn} (BENCH_COMPARE's build)`;
    if (run.code !== 0 || run.firstMessageMs === undefined) throw new Error(`cold start of ${which} failed (exit ${run.code}):\n${run.stderr.slice(-2_000)}`);
    await workload.verify(2);
    const inside = JSON.parse(readFileSync(timingsFile, "utf8")) as ProbeTimings;
    if (!Number.isFinite(inside.warmEventMs)) throw new Error(`${which} did not answer its warm event`);
    rmSync(timingsFile, { force: true });
    rmSync(configPath, { force: true });
    return { ...inside, firstAnswerMs: run.firstMessageMs };
  };
  for (let rep = 0; rep < profile.cold.repetitions; rep += 1) {
    // The same end point as a bundle's sample: node up and its first IPC message received.
    const baseline = await runProcess(bundleNode.path, ["-e", BASELINE_SCRIPT], { cwd: root, env: {}, timeoutMs: PROCESS_TIMEOUT_MS, ipc: true });
    if (baseline.code !== 0 || baseline.firstMessageMs === undefined) throw new Error(`the node baseline exited ${baseline.code}`);
    baselineSamples.push(baseline.firstMessageMs);
    // Rotate the order so no function always runs right after the baseline (or the disk cache of another).
    for (let k = 0; k < BUNDLE_FUNCTIONS.length; k += 1) {
      const fn = BUNDLE_FUNCTIONS[(rep + k) % BUNDLE_FUNCTIONS.length] as BundleFunction;
      // With a build to compare, both in this round, which goes first alternating from round to round.
      const builds: readonly ("current" | "compare")[] = compare === undefined ? ["current"] : rep % 2 === 0 ? ["current", "compare"] : ["compare", "current"];
      for (const build of builds) (build === "current" ? runs : compared).get(fn)?.push(await coldStart(fn, rep, build));
    }
  }
  const node = summarise(baselineSamples);
  const row = (name: string, list: readonly number[], aboveNode: boolean): BenchResult => {
    const s = summarise(list);
    const result: BenchResult = { name, unit: "ms", p50: round(s.p50, 1), p99: round(s.p99, 1), n: s.n };
    return aboveNode ? { ...result, above_baseline_ms: round(s.p50 - node.p50, 1) } : result;
  };
  const results = [row("node-baseline-ms", baselineSamples, false)];
  for (const fn of BUNDLE_FUNCTIONS) {
    const list = runs.get(fn) ?? [];
    results.push(
      row(`cold-${fn}-ms`, list.map((r) => r.firstAnswerMs), true),
      row(`warm-${fn}-ms`, list.map((r) => r.warmEventMs), false),
      row(`cold-overhead-${fn}-ms`, list.map((r) => r.firstAnswerMs - r.warmEventMs), true),
    );
  }
  const comparison = compare === undefined ? [] : [compareRows(compare, runs, compared, results, row)];
  const p50 = (list: readonly number[]) => Math.round(summarise(list).p50);
  const breakdown = BUNDLE_FUNCTIONS.map((fn) => {
    const list = runs.get(fn) ?? [];
    const parts = [list.map((t) => t.bootMs), list.map((t) => t.importMs), list.map((t) => t.firstEventMs), list.map((t) => t.firstAnswerMs - t.endMs)];
    return `${fn} ${parts.map(p50).join(" + ")} (warm event ${p50(list.map((t) => t.warmEventMs))})`;
  });
  const shares = [...new Set([...cpus.values()].map((cpu) => cpu.share))];
  const cpuNote =
    shares.length === 1 && shares[0] === 1
      ? "every cold start ran on a full core, its events included (Lambda runs a function's events at its memory's share of a vCPU: BENCH_LAMBDA_CPU=1)"
      : `Lambda's CPU (BENCH_LAMBDA_CPU=1): node's boot and the import on a full core, as Lambda initialises an on-demand function; every event, the warm one included, at the function's memory size / ${MB_PER_VCPU} MB of one core (${shares.map((share) => `${(share * 100).toFixed(1)} %`).join(", ")}; a cgroup CPU quota over ${PERIOD_US / 1000} ms periods); the bare node is not limited`;
  return {
    results,
    notes: [
      cpuNote,
      `cold start p50s, node boot + import of the entry + first event + spawn and IPC outside the process clock (ms), and the same kind of event answered warm by that process: ${breakdown.join("; ")}`,
      ...comparison,
      ...(cpuProfiles === undefined ? [] : [`V8 CPU profiles of the cold starts in ${cpuProfiles} (BENCH_CPU_PROF): profiling slows every sampled process, so these cold-start figures are not comparable with other runs`]),
    ],
  };
}

/**
 * The `BENCH_COMPARE` build's rows, pushed onto `results`: its cold overhead over node
 * (`compare-cold-overhead-<fn>-ms`, no target: it is not the build under test) and, per function, this
 * build's overhead minus that build's in the same round (`compare-diff-<fn>-ms`: the median of the
 * per-round differences, with its 95 % bootstrap interval). Returns the note that says the same of the
 * import and of the first event over the warm one.
 */
function compareRows(
  compare: string,
  runs: ReadonlyMap<BundleFunction, readonly ColdSample[]>,
  compared: ReadonlyMap<BundleFunction, readonly ColdSample[]>,
  results: BenchResult[],
  row: (name: string, list: readonly number[], aboveNode: boolean) => BenchResult,
): string {
  const overhead = (r: ColdSample) => r.firstAnswerMs - r.warmEventMs;
  const parts: [string, (r: ColdSample) => number][] = [
    ["cold overhead", overhead],
    ["import", (r) => r.importMs],
    ["first event − warm", (r) => r.firstEventMs - r.warmEventMs],
  ];
  const signed = (value: number) => `${value > 0 ? "+" : ""}${value.toFixed(1)}`;
  const described: string[] = [];
  for (const fn of BUNDLE_FUNCTIONS) {
    const mine = runs.get(fn) ?? [];
    const theirs = compared.get(fn) ?? [];
    results.push(row(`compare-cold-overhead-${fn}-ms`, theirs.map(overhead), true));
    const byPart = parts.map(([label, of]) => {
      const difference = pairedDifference(mine.map(of), theirs.map(of));
      return { label, difference, p99: summarise(mine.map((r, i) => of(r) - of(theirs[i] as ColdSample))).p99 };
    });
    const [total] = byPart;
    if (total !== undefined) {
      const { difference } = total;
      results.push({ name: `compare-diff-${fn}-ms`, unit: "ms", p50: round(difference.median, 1), p99: round(total.p99, 1), n: difference.n, ci95_low: round(difference.low, 1), ci95_high: round(difference.high, 1) });
    }
    described.push(`${fn}: ${byPart.map(({ label, difference: d }) => `${label} ${signed(d.median)} [${signed(d.low)}, ${signed(d.high)}]`).join(", ")}`);
  }
  return (
    `compared with BENCH_COMPARE=${compare}, timed in the same rounds (which build went first alternating by round): ` +
    `this build − that one, median of the per-round differences and its 95 % bootstrap interval, in ms (negative: this build is faster): ${described.join("; ")}`
  );
}

/** Peak RSS of each bundle while it serves a stream of events one after another, as one warm Lambda instance does. */
export async function rssUnderLoad(options: { world: DeployedWorld; root: string; keys: Keys; profile: Profile; node: BundleNode }): Promise<BenchResult[]> {
  const { world, root, keys, profile, node } = options;
  const results: BenchResult[] = [];
  for (const fn of BUNDLE_FUNCTIONS) {
    const workload = workloadFor(world, fn, {
      events: profile.rss.events[fn],
      maxMs: profile.rss.maxMs,
      keys,
      label: "rss",
      callerUnderTestMemories: profile.seed.callerUnderTest,
      sweepBacklog: profile.rss.sweepBacklog,
    });
    await workload.prepare();
    const configPath = writeProbeConfig(join(root, `rss-${fn}.probe.json`), workload.config);
    const run = await runProcess(node.path, [PROBE, configPath], {
      cwd: world.taskDir(fn),
      env: world.envFor(fn),
      timeoutMs: profile.rss.maxMs + PROCESS_TIMEOUT_MS,
      ipc: true,
    });
    const report = run.message as { peakRss: number; served: number } | undefined;
    if (run.code !== 0 || report === undefined) throw new Error(`RSS run of ${fn} failed (exit ${run.code}):\n${run.stderr.slice(-2_000)}`);
    await workload.verify(report.served);
    const mb = round(report.peakRss / 1024 / 1024, 1);
    results.push({ name: `rss-${fn}-mb`, unit: "mb", p50: mb, p99: mb, n: 1, events: report.served, memory_size_mb: world.memorySizeOf(fn) });
    rmSync(configPath, { force: true });
  }
  return results;
}
