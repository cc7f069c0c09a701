import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { bundleBytes } from "../../scripts/build";
import { FsEventInbox } from "../../adapters/outbound/embedded/fs-event-inbox";
import { inboxEventId } from "../../application/ports/event-inbox.port";
import { REPO_ROOT } from "./child";
import { runProcess } from "./processes";
import { clientDataBody, httpEvent, retrieveBody, s3ObjectCreated, transcriptionBody, workspaceHeaders } from "./events";
import { BUNDLE_FUNCTIONS, type BundleFunction, type Profile } from "./profile";
import type { BenchResult } from "./result";
import { CALLER_UNDER_TEST, freshCallerId, seededCallerId } from "./seed-data";
import { round, summarise } from "./stats";

const PROBE = join(REPO_ROOT, "bench", "probes", "bundle-probe.mjs");
const FIXTURE = join(REPO_ROOT, "tests", "fixtures", "post-call-transcription.json");
/** What the bundles are built from: a newer file here means dist/ is stale. */
const SOURCES = ["domain", "application", "adapters", "scripts", "package.json", "package-lock.json"];
/** One spawned process may take this long before the run is declared broken. */
const PROCESS_TIMEOUT_MS = 60_000;

export const bundlePath = (fn: BundleFunction) => join(REPO_ROOT, "dist", "lambda", fn, "index.mjs");

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

export function bundleSizes(): BenchResult[] {
  return BUNDLE_FUNCTIONS.map((fn) => {
    // The entry and the chunks it may load: what the function ships.
    const kb = round(bundleBytes(dirname(bundlePath(fn))) / 1024, 1);
    return { name: `bundle-${fn}-kb`, unit: "kb", p50: kb, p99: kb, n: 1 };
  });
}

interface Keys {
  readonly workspaceKey: string;
  readonly hmacKey: string;
}

/** Environment of a bundle process: the embedded backend in its own DATA_DIR, nothing inherited that could change the wiring. */
function bundleEnv(dataDir: string, keys: Keys): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    DATA_DIR: dataDir,
    MEMORY_BACKEND: "embedded",
    ELEVENLABS_WORKSPACE_KEY: keys.workspaceKey,
    ELEVENLABS_HMAC_KEY: keys.hmacKey,
    ...(process.env.LOG_LEVEL === undefined ? {} : { LOG_LEVEL: process.env.LOG_LEVEL }),
  };
}

/** A probe's settings for one function: the first event built here, the rest derived from it in the probe. */
function probeConfig(fn: BundleFunction, events: number, maxMs: number, keys: Keys, conversationPrefix: string): Record<string, unknown> {
  const common = { bundle: bundlePath(fn), events, maxMs };
  const headers = workspaceHeaders(keys.workspaceKey);
  switch (fn) {
    case "client-data": {
      // The caller under test (200 memories) among seeded callers, as a day of calls would mix them.
      const callers = [CALLER_UNDER_TEST, ...Array.from({ length: 49 }, (_, i) => seededCallerId(i))];
      const bodies = callers.map((c, i) => clientDataBody(c, i));
      return { ...common, kind: "http", bodies, template: httpEvent({ method: "POST", path: "/client-data", headers, body: bodies[0] }) };
    }
    case "retrieve": {
      const bodies = Array.from({ length: 8 }, (_, i) => retrieveBody(CALLER_UNDER_TEST, i));
      return { ...common, kind: "http", bodies, template: httpEvent({ method: "POST", path: "/retrieve", headers, body: bodies[0] }) };
    }
    case "post-call":
      return {
        ...common,
        kind: "http",
        postCall: { fixture: FIXTURE, hmacKey: keys.hmacKey, conversationPrefix, callers: Array.from({ length: 100 }, (_, i) => freshCallerId(i)) },
        template: httpEvent({ method: "POST", path: "/post-call", headers: { "content-type": "application/json" }, body: "" }),
      };
    case "worker":
      return { ...common, kind: "s3", s3: { keyPrefix: `inbox/post_call_transcription/${conversationPrefix}` }, template: s3ObjectCreated("inbox/") };
  }
}

/** The worker's events are real: each names a pending transcription stored in its inbox beforehand. */
async function storePending(dataDir: string, conversationPrefix: string, count: number): Promise<void> {
  const inbox = new FsEventInbox(dataDir);
  const receivedAt = Math.floor(Date.now() / 1000);
  for (let start = 0; start < count; start += 25) {
    const batch = Array.from({ length: Math.min(25, count - start) }, (_, k) => start + k);
    await Promise.all(
      batch.map((i) => {
        const conversationId = `${conversationPrefix}${i}`;
        const rawBody = transcriptionBody(conversationId, freshCallerId(5_000 + i));
        return inbox.store({ id: inboxEventId("post_call_transcription", conversationId), eventType: "post_call_transcription", conversationId, receivedAt, rawBody });
      }),
    );
  }
}

async function expectIngested(dataDir: string, conversationPrefix: string, count: number): Promise<void> {
  const inbox = new FsEventInbox(dataDir);
  for (let i = 0; i < count; i += 1) {
    const state = await inbox.state(inboxEventId("post_call_transcription", `${conversationPrefix}${i}`));
    if (state !== "done") throw new Error(`the worker bundle left event ${i} ${state ?? "missing"}`);
  }
}

/** A DATA_DIR for one bundle process, holding a copy of the seeded store. */
function dataDirFor(root: string, seededDb: string, label: string): string {
  const dir = mkdtempSync(join(root, `${label}-`));
  copyFileSync(seededDb, join(dir, "memories.db"));
  return dir;
}

/**
 * Cold-start proxy: wall time of a fresh `node` that imports the bundle and answers one event, beside
 * a bare `node -e ""` in the same rounds. Each process gets a fresh DATA_DIR with a copy of the seeded store.
 */
export async function coldStarts(options: { root: string; seededDb: string; keys: Keys; repetitions: number }): Promise<BenchResult[]> {
  const { root, seededDb, keys } = options;
  const samples = new Map<string, number[]>([["node-baseline-ms", []], ...BUNDLE_FUNCTIONS.map((fn): [string, number[]] => [`cold-${fn}-ms`, []])]);
  for (let rep = 0; rep < options.repetitions; rep += 1) {
    const baseline = await runProcess(process.execPath, ["-e", ""], { cwd: REPO_ROOT, env: bundleEnv(root, keys), timeoutMs: PROCESS_TIMEOUT_MS });
    if (baseline.code !== 0) throw new Error(`node -e "" exited ${baseline.code}`);
    samples.get("node-baseline-ms")?.push(baseline.ms);
    // Rotate the order so no function always runs right after the baseline (or the disk cache of another).
    for (let k = 0; k < BUNDLE_FUNCTIONS.length; k += 1) {
      const fn = BUNDLE_FUNCTIONS[(rep + k) % BUNDLE_FUNCTIONS.length] as BundleFunction;
      const dir = dataDirFor(root, seededDb, `cold-${fn}`);
      const prefix = `conv_bench_cold_${rep}_`;
      if (fn === "worker") await storePending(dir, prefix, 1);
      const configPath = join(dir, "probe.json");
      writeFileSync(configPath, JSON.stringify(probeConfig(fn, 1, PROCESS_TIMEOUT_MS, keys, prefix)));
      const run = await runProcess(process.execPath, [PROBE, configPath], { cwd: REPO_ROOT, env: bundleEnv(dir, keys), timeoutMs: PROCESS_TIMEOUT_MS });
      if (run.code !== 0) throw new Error(`cold start of ${fn} failed (exit ${run.code}):\n${run.stderr.slice(-2_000)}`);
      if (fn === "worker") await expectIngested(dir, prefix, 1);
      samples.get(`cold-${fn}-ms`)?.push(run.ms);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const baseline = summarise(samples.get("node-baseline-ms") ?? []);
  return [...samples].map(([name, list]) => {
    const s = summarise(list);
    const row: BenchResult = { name, unit: "ms", p50: round(s.p50, 1), p99: round(s.p99, 1), n: s.n };
    return name === "node-baseline-ms" ? row : { ...row, above_baseline_ms: round(s.p50 - baseline.p50, 1) };
  });
}

/** Peak RSS of each bundle while it serves a stream of events one after another, as one warm Lambda instance does. */
export async function rssUnderLoad(options: { root: string; seededDb: string; keys: Keys; profile: Profile }): Promise<BenchResult[]> {
  const { root, seededDb, keys, profile } = options;
  const results: BenchResult[] = [];
  for (const fn of BUNDLE_FUNCTIONS) {
    const events = profile.rss.events[fn];
    const dir = dataDirFor(root, seededDb, `rss-${fn}`);
    const prefix = "conv_bench_rss_";
    if (fn === "worker") await storePending(dir, prefix, events);
    const configPath = join(dir, "probe.json");
    writeFileSync(configPath, JSON.stringify(probeConfig(fn, events, profile.rss.maxMs, keys, prefix)));
    const run = await runProcess(process.execPath, [PROBE, configPath], {
      cwd: REPO_ROOT,
      env: bundleEnv(dir, keys),
      timeoutMs: profile.rss.maxMs + PROCESS_TIMEOUT_MS,
      ipc: true,
    });
    const report = run.message as { peakRss: number; served: number } | undefined;
    if (run.code !== 0 || report === undefined) throw new Error(`RSS run of ${fn} failed (exit ${run.code}):\n${run.stderr.slice(-2_000)}`);
    if (fn === "worker") await expectIngested(dir, prefix, report.served);
    const mb = round(report.peakRss / 1024 / 1024, 1);
    results.push({ name: `rss-${fn}-mb`, unit: "mb", p50: mb, p99: mb, n: 1, events: report.served });
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
