/**
 * Bench phase (own process): seed the embedded store, then time the Lambda handler factories with
 * API Gateway v2 events in-process — the floor, client-data, retrieve, the post-call acknowledgement,
 * post-call end to end, and client-data / retrieve with the Mem0 backend against the local stand-in.
 */
import { performance } from "node:perf_hooks";
import { buildApp, type App } from "../../adapters/composition-root";
import { loadEnv } from "../../adapters/config";
import { createClientDataHandler } from "../../adapters/inbound/lambda/client-data.handler";
import { withErrorBoundary } from "../../adapters/inbound/lambda/error-boundary";
import { json, type HttpHandler, type HttpResult } from "../../adapters/inbound/lambda/http";
import { createPostCallHandler } from "../../adapters/inbound/lambda/post-call.handler";
import { createRetrieveHandler } from "../../adapters/inbound/lambda/retrieve.handler";
import { LocalWorker } from "../../adapters/inbound/local/local-worker";
import type { MemoryDraft } from "../../domain/memory";
import { signed } from "../../tests/support/fixtures";
import { startMem0StandIn } from "../../tests/support/mem0-stand-in";
import { phaseConfig, runPhase, tell } from "../support/child";
import { clientDataBody, httpEvent, retrieveBody, transcriptionBody, workspaceHeaders } from "../support/events";
import type { InProcessCase, Profile } from "../support/profile";
import type { BenchResult } from "../support/result";
import { CALLER_UNDER_TEST, freshCallerId, memoriesFor, RETRIEVE_QUERIES, seedBatches } from "../support/seed-data";
import type { CallerId } from "../../domain/caller-id";
import { round, summarise } from "../support/stats";

export interface InProcessConfig {
  readonly dataDir: string;
  readonly ackDir: string;
  readonly mem0Dir: string;
  readonly keys: { readonly workspaceKey: string; readonly hmacKey: string };
  readonly profile: Profile;
}

/** One measured call: prepares its input untimed, returns the timed milliseconds. */
type Measure = (i: number) => Promise<number>;

/** Longest an acknowledged post-call may take to become memories before the run is declared broken. */
const INGEST_TIMEOUT_MS = 10_000;

const config = phaseConfig<InProcessConfig>();
const { profile, keys } = config;
const notes: string[] = [];

const envFor = (dataDir: string, extra: Record<string, string> = {}) =>
  loadEnv({ DATA_DIR: dataDir, MEMORY_BACKEND: "embedded", ELEVENLABS_WORKSPACE_KEY: keys.workspaceKey, ELEVENLABS_HMAC_KEY: keys.hmacKey, ...extra });

const jsonHeaders = workspaceHeaders(keys.workspaceKey);

function expectOk(route: string, result: HttpResult): void {
  if (result.statusCode !== 200) throw new Error(`${route} answered ${result.statusCode}: ${result.body.slice(0, 300)}`);
}

/** Time one API Gateway v2 event through a handler: event construction, handler and response mapping. */
async function timedCall(route: string, handler: HttpHandler, path: string, headers: Record<string, string>, body: string): Promise<number> {
  const start = performance.now();
  const result = await handler(httpEvent({ method: "POST", path, headers, body }));
  const elapsed = performance.now() - start;
  expectOk(route, result);
  return elapsed;
}

/** Client-data and retrieve must see the seeded caller, or the figures would describe a different workload. */
async function checkSeededAnswers(
  label: string,
  clientData: HttpHandler,
  retrieve: HttpHandler,
  caller: CallerId = CALLER_UNDER_TEST,
  seeded: number = profile.seed.callerUnderTest,
): Promise<void> {
  const context = await clientData(httpEvent({ method: "POST", path: "/client-data", headers: jsonHeaders, body: clientDataBody(caller, 0) }));
  expectOk(`${label}client-data`, context);
  const variables = (JSON.parse(context.body) as { dynamic_variables: Record<string, string> }).dynamic_variables;
  if (variables.memory_count !== String(seeded) || variables.returning_caller !== "yes") {
    throw new Error(`${label}client-data saw ${variables.memory_count} memories, not the ${seeded} seeded: ${context.body.slice(0, 300)}`);
  }
  const found = await retrieve(httpEvent({ method: "POST", path: "/retrieve", headers: jsonHeaders, body: retrieveBody(caller, 0) }));
  expectOk(`${label}retrieve`, found);
  const { memories } = JSON.parse(found.body) as { memories: unknown[] };
  if (memories.length === 0) throw new Error(`${label}retrieve found nothing for "${RETRIEVE_QUERIES[0]}": ${found.body.slice(0, 300)}`);
}

/** A caller with 20 memories in the Mem0 stand-in, and one with 5,000 (fictional numbers). */
const CALLER_20 = "+15550100171" as CallerId;
const CALLER_5K = "+15550100172" as CallerId;

async function seed(app: App, drafts: readonly MemoryDraft[][]): Promise<void> {
  const start = performance.now();
  for (const batch of drafts) await app.memories.add(batch);
  const count = await app.memories.count(CALLER_UNDER_TEST);
  if (count !== profile.seed.callerUnderTest) throw new Error(`seeded ${count} memories for the caller under test, not ${profile.seed.callerUnderTest}`);
  notes.push(
    `seeded ${profile.seed.memories} memories across ${profile.seed.callers} callers (${count} for ${CALLER_UNDER_TEST}) in ${Math.round(performance.now() - start)} ms`,
  );
}

/**
 * Every case runs in interleaved rounds (floor, client-data, …, floor, client-data, …) after a
 * warm-up, each bounded by its iteration count and its time budget.
 */
async function measureAll(cases: ReadonlyMap<InProcessCase, Measure>): Promise<Map<InProcessCase, number[]>> {
  const { rounds, warmup, iterations, maxMsPerCase } = profile.inProcess;
  const samples = new Map<InProcessCase, number[]>();
  const counters = new Map<InProcessCase, number>();
  const next = (name: InProcessCase) => {
    const i = counters.get(name) ?? 0;
    counters.set(name, i + 1);
    return i;
  };
  for (const [name, measure] of cases) {
    const count = name === "post-call-ingest" ? Math.min(5, warmup) : warmup;
    for (let k = 0; k < count; k += 1) await measure(next(name));
    samples.set(name, []);
  }
  for (let r = 0; r < rounds; r += 1) {
    for (const [name, measure] of cases) {
      const list = samples.get(name) ?? [];
      const perRound = Math.ceil(iterations[name] / rounds);
      const deadline = performance.now() + maxMsPerCase / rounds;
      for (let k = 0; k < perRound && performance.now() < deadline; k += 1) list.push(await measure(next(name)));
    }
  }
  return samples;
}

async function main(): Promise<void> {
  const drafts = [...seedBatches(profile.seed)];

  // The main app is `npm start`'s: the seeded store and the in-process worker ingesting acknowledged events.
  const worker = new LocalWorker();
  const app = await buildApp(envFor(config.dataDir), { trigger: worker });
  worker.attach(app);
  await seed(app, drafts);
  worker.start();
  // The acknowledgement is measured as Lambda runs it: durable write, nothing ingested in-process.
  const ackApp = await buildApp(envFor(config.ackDir));

  const resolveApp = async () => app;
  const floor = withErrorBoundary("floor", resolveApp, async () => json(200, {}));
  const clientData = createClientDataHandler(resolveApp);
  const retrieve = createRetrieveHandler(resolveApp);
  const ack = createPostCallHandler(async () => ackApp);
  const postCall = createPostCallHandler(resolveApp);

  // The same two routes with the Mem0 backend (real mem0ai client) against the local stand-in, seeded alike.
  process.env.MEM0_DIR = config.mem0Dir;
  const standIn = await startMem0StandIn();
  const seedStandIn = (batch: readonly MemoryDraft[]) => {
    for (const d of batch) standIn.seed({ userId: d.userId, text: d.text, metadata: { ...d.metadata, draft_key: d.key }, createdAt: d.metadata.timestamp });
  };
  for (const batch of drafts) seedStandIn(batch);
  // Two more callers, loyal and new-ish: the requests client-data makes must not grow with the history.
  seedStandIn(memoriesFor(CALLER_20, 20, 20));
  seedStandIn(memoriesFor(CALLER_5K, 5_000, 5_000));
  notes.push(`Mem0 stand-in: ${standIn.memories().length} memories, ${CALLER_5K} has 5,000 and ${CALLER_20} has 20 (no profile stored: client-data reads the memories)`);
  const mem0App = await buildApp(envFor(config.mem0Dir, { MEMORY_BACKEND: "mem0", MEM0_API_KEY: standIn.apiKey, MEM0_HOST: standIn.host }));
  const mem0ClientData = createClientDataHandler(async () => mem0App);
  const mem0Retrieve = createRetrieveHandler(async () => mem0App);

  await checkSeededAnswers("", clientData, retrieve);
  await checkSeededAnswers("mem0-", mem0ClientData, mem0Retrieve);
  await checkSeededAnswers("mem0-20 ", mem0ClientData, mem0Retrieve, CALLER_20, 20);
  await checkSeededAnswers("mem0-5k ", mem0ClientData, mem0Retrieve, CALLER_5K, 5_000);

  // How many memories one ingested transcription makes: visible means the caller's count reaches it.
  const probeCaller = freshCallerId(29_999);
  expectOk("post-call", await postCall(httpEvent({ method: "POST", path: "/post-call", ...signedEvent("conv_bench_ingest_probe", probeCaller) })));
  await worker.idle();
  const perCall = await app.memories.count(probeCaller);
  if (perCall === 0) throw new Error("an acknowledged transcription produced no memories");
  notes.push(`one ingested transcription adds ${perCall} memories`);

  const cases = new Map<InProcessCase, Measure>([
    ["floor", (i) => timedCall("floor", floor, "/client-data", jsonHeaders, clientDataBody(CALLER_UNDER_TEST, i))],
    ["client-data", (i) => timedCall("client-data", clientData, "/client-data", jsonHeaders, clientDataBody(CALLER_UNDER_TEST, i))],
    ["retrieve", (i) => timedCall("retrieve", retrieve, "/retrieve", jsonHeaders, retrieveBody(CALLER_UNDER_TEST, i))],
    [
      "post-call-ack",
      (i) => {
        const { headers, body } = signedEvent(`conv_bench_ack_${i}`, freshCallerId(i));
        return timedCall("post-call-ack", ack, "/post-call", headers, body);
      },
    ],
    [
      "post-call-ingest",
      async (i) => {
        const caller = freshCallerId(10_000 + i);
        const { headers, body } = signedEvent(`conv_bench_ingest_${i}`, caller);
        const start = performance.now();
        expectOk("post-call-ingest", await postCall(httpEvent({ method: "POST", path: "/post-call", headers, body })));
        while ((await app.memories.count(caller)) < perCall) {
          if (performance.now() - start > INGEST_TIMEOUT_MS) throw new Error(`post-call memories not visible after ${INGEST_TIMEOUT_MS} ms`);
          await new Promise((resolve) => setImmediate(resolve));
        }
        return performance.now() - start;
      },
    ],
    ["mem0-client-data", (i) => timedCall("mem0-client-data", mem0ClientData, "/client-data", jsonHeaders, clientDataBody(CALLER_UNDER_TEST, i))],
    ["mem0-retrieve", (i) => timedCall("mem0-retrieve", mem0Retrieve, "/retrieve", jsonHeaders, retrieveBody(CALLER_UNDER_TEST, i))],
    ["mem0-client-data-20", (i) => timedCall("mem0-client-data-20", mem0ClientData, "/client-data", jsonHeaders, clientDataBody(CALLER_20, i))],
    ["mem0-client-data-5k", (i) => timedCall("mem0-client-data-5k", mem0ClientData, "/client-data", jsonHeaders, clientDataBody(CALLER_5K, i))],
    ["mem0-retrieve-5k", (i) => timedCall("mem0-retrieve-5k", mem0Retrieve, "/retrieve", jsonHeaders, retrieveBody(CALLER_5K, i))],
  ]);
  const samples = await measureAll(cases);

  await worker.stop();
  await Promise.all([app.close(), ackApp.close(), mem0App.close()]);
  await standIn.close();

  const floorP50 = summarise(samples.get("floor") ?? []).p50;
  const p99Of20 = summarise(samples.get("mem0-client-data-20") ?? []).p99;
  const results: BenchResult[] = [...samples].map(([name, list]) => {
    const s = summarise(list);
    const row: BenchResult = { name, unit: "ms", p50: round(s.p50, 4), p99: round(s.p99, 4), n: s.n, ratio_to_floor: round(s.p50 / floorP50, 1) };
    // The loyal caller's client-data is judged against the same route for a caller with 20 memories.
    return name === "mem0-client-data-5k" ? { ...row, p99_ratio_to_20: round(s.p99 / p99Of20, 2) } : row;
  });
  await tell({ type: "results", results, notes });
}

function signedEvent(conversationId: string, callerId: string): { headers: Record<string, string>; body: string } {
  const body = transcriptionBody(conversationId, callerId);
  return { headers: signed(body, keys.hmacKey), body };
}

runPhase(main);

// A phase is a child of the bench; it never outlives it.
process.on("disconnect", () => process.exit(1));
