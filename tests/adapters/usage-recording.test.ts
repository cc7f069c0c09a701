// Every handler records one metric event per request it answers (4xx and 5xx too) and the worker one per
// stored event, with what the dashboard shows and nothing about the caller.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MemoryStore } from "../../application/ports/memory-store.port";
import { CheckWorkspaceKey } from "../../application/use-cases/check-workspace-key.use-case";
import type { IngestEvent, IngestOutcome } from "../../application/use-cases/ingest-event.use-case";
import type { Scope } from "../../adapters/composition-root";
import { loadEnv } from "../../adapters/config";
import { createClientDataHandler } from "../../adapters/inbound/lambda/client-data.handler";
import { createRetrieveHandler } from "../../adapters/inbound/lambda/retrieve.handler";
import { createWorkerHandler } from "../../adapters/inbound/lambda/worker.handler";
import { SearchMemories } from "../../application/use-cases/search-memories.use-case";
import { logger } from "../../adapters/logging/logger";
import { callSettings, MARISOL, memoryDraft, overriding, prepareCallContextOver, WORKSPACE_KEY } from "../application/support/harness";
import { InMemoryMemoryStore } from "../fakes/in-memory-memory-store";
import { InMemoryUsageMetrics } from "../fakes/in-memory-usage-metrics";
import { StaticSecrets } from "../fakes/static-secrets";
import { apiEvent, s3ObjectCreated } from "../support/lambda-events";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const env = loadEnv({});
const base = { env, settings: callSettings(), logger: quiet, close: async () => undefined };
const checkWorkspaceKey = new CheckWorkspaceKey(new StaticSecrets({ ELEVENLABS_WORKSPACE_KEY: WORKSPACE_KEY }));

/** Client-data over a memory store holding Marisol's name, or over one that fails. */
async function clientDataWith(store: MemoryStore) {
  const metrics = new InMemoryUsageMetrics();
  const scope: Scope<"checkWorkspaceKey" | "prepareCallContext"> = {
    ...base,
    metrics,
    checkWorkspaceKey,
    prepareCallContext: prepareCallContextOver(store, callSettings()),
  };
  return { handler: createClientDataHandler(async () => scope), metrics };
}
async function marisolsStore(): Promise<InMemoryMemoryStore> {
  const store = new InMemoryMemoryStore();
  await store.add([memoryDraft(MARISOL, "Caller's name is Marisol.", { type: "factual", source: "caller_name" })]);
  return store;
}
const callFrom = (callerId: string, key = WORKSPACE_KEY) => apiEvent("/client-data", JSON.stringify({ caller_id: callerId }), { "x-workspace-key": key });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("client-data's metric event", () => {
  it("says the caller was known and greeted by name, with the latency of the answer and no caller id", async () => {
    const { handler, metrics } = await clientDataWith(await marisolsStore());
    const before = Date.now();

    const res = await handler(callFrom(MARISOL));

    expect(res.statusCode).toBe(200);
    expect(metrics.events).toEqual([
      { route: "client-data", outcome: "ok", at: expect.any(Number), latencyMs: expect.any(Number), degraded: false, returning: true, greetedByName: true },
    ]);
    expect(metrics.events[0]?.at).toBeGreaterThanOrEqual(before);
    expect(metrics.events[0]?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(metrics.events)).not.toContain("5550100123");
  });

  it("says a new caller was neither returning nor greeted by name", async () => {
    const { handler, metrics } = await clientDataWith(new InMemoryMemoryStore());

    await handler(callFrom("+15550100199"));

    expect(metrics.events).toMatchObject([{ outcome: "ok", degraded: false, returning: false, greetedByName: false }]);
  });

  it("says the answer degraded when the memory service failed (a call all the same)", async () => {
    const outage = async (): Promise<never> => {
      throw new Error("ECONNRESET");
    };
    const { handler, metrics } = await clientDataWith(overriding<MemoryStore>(await marisolsStore(), { list: outage, count: outage }));

    const res = await handler(callFrom(MARISOL));

    expect(res.statusCode).toBe(200);
    expect(metrics.events).toMatchObject([{ outcome: "ok", degraded: true, returning: false, greetedByName: false }]);
  });

  it("records a refused request as rejected, without call details", async () => {
    const { handler, metrics } = await clientDataWith(new InMemoryMemoryStore());

    const res = await handler(callFrom(MARISOL, "wrong"));

    expect(res.statusCode).toBe(401);
    expect(metrics.events).toEqual([{ route: "client-data", outcome: "rejected", at: expect.any(Number), latencyMs: expect.any(Number) }]);
  });
});

describe("the error boundary's metric event", () => {
  it("records an unexpected failure as failed, with the time it took to fail", async () => {
    // Prepare: a search that throws outside the use case's own handling.
    vi.spyOn(logger, "error").mockImplementation(() => undefined);
    const metrics = new InMemoryUsageMetrics();
    const searchMemories = overriding(new SearchMemories(new InMemoryMemoryStore(), callSettings()), {
      execute: async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        throw new Error("bug");
      },
    });
    const handler = createRetrieveHandler(async () => ({ ...base, metrics, checkWorkspaceKey, searchMemories }));

    // Act
    const res = await handler(apiEvent("/retrieve", JSON.stringify({ query: "q", user_id: MARISOL }), { "x-workspace-key": WORKSPACE_KEY }));

    // Assess
    expect(res.statusCode).toBe(500);
    expect(metrics.events).toMatchObject([{ route: "retrieve", outcome: "failed" }]);
    expect(metrics.events[0]?.latencyMs).toBeGreaterThanOrEqual(25);
  });
});

describe("the worker's metric events", () => {
  function workerWith(outcomes: Record<string, IngestOutcome | Error>) {
    const metrics = new InMemoryUsageMetrics();
    const ingestEvent = {
      execute: async (id: string) => {
        const outcome = outcomes[id];
        if (outcome === undefined || outcome instanceof Error) throw outcome ?? new Error("unknown");
        return outcome;
      },
      park: async () => undefined,
    } as unknown as IngestEvent;
    const scope: Scope<"ingestEvent"> = { ...base, env: loadEnv({ WORKER_MAX_ATTEMPTS: "2", WORKER_RETRY_BASE_MS: "10" }), metrics, ingestEvent };
    return { handler: createWorkerHandler(async () => scope), metrics };
  }

  it("records one event per stored event: memories written when ingested, rejected when parked, failed when every try failed", async () => {
    vi.spyOn(logger, "error").mockImplementation(() => undefined);
    const { handler, metrics } = workerWith({
      "post_call_transcription/conv_a": { status: "ingested", memoriesAdded: 4, archived: [] },
      "post_call_transcription/conv_b": { status: "parked", reason: "not JSON" },
      "post_call_transcription/conv_c": new Error("Mem0 502"),
      "post_call_transcription/conv_d": { status: "already_done" },
    });
    const records = ["conv_a", "conv_b", "conv_c", "conv_d"].flatMap((c) => s3ObjectCreated("bucket", `inbox/post_call_transcription/${c}.json`).Records);

    await handler({ Records: [...records, ...s3ObjectCreated("bucket", "elsewhere/x.json").Records] });

    expect(metrics.events.map(({ route, outcome, memoriesWritten }) => ({ route, outcome, memoriesWritten }))).toEqual([
      { route: "worker", outcome: "ok", memoriesWritten: 4 },
      { route: "worker", outcome: "rejected", memoriesWritten: 0 },
      { route: "worker", outcome: "failed", memoriesWritten: 0 },
      { route: "worker", outcome: "ok", memoriesWritten: 0 },
    ]);
  });
});
