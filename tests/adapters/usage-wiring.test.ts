// Where each entry point's metric events go, as the composition root wires it: EMF lines under
// METRICS_NAMESPACE, else DATA_DIR/metrics.db; nothing for a function that records none.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildApp, buildFunctionScope } from "../../adapters/composition-root";
import { loadEnv } from "../../adapters/config";
import { SqliteUsageStore } from "../../adapters/outbound/embedded/sqlite-usage-store";
import { logger } from "../../adapters/logging/logger";
import type { RequestMetric } from "../../domain/usage";
import { captureEmf } from "../support/emf";

const dataDir = () => mkdtempSync(join(tmpdir(), "usage-wiring-"));
const event = (at = Date.now()): RequestMetric => ({ route: "retrieve", outcome: "ok", at, latencyMs: 7 });
const keys = { ELEVENLABS_WORKSPACE_KEY: "key", ELEVENLABS_HMAC_KEY: "hmac" };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the metric events of a function", () => {
  it("are EMF lines under METRICS_NAMESPACE, printed before record resolves", async () => {
    const scope = await buildFunctionScope("retrieve", loadEnv({ ...keys, DATA_DIR: dataDir(), METRICS_NAMESPACE: "elevenlabs-agentic-memory-test" }));

    const lines = await captureEmf(() => scope.metrics.record(event()));
    await scope.close();

    expect(lines).toHaveLength(1);
    expect(lines[0]?._aws.CloudWatchMetrics[0]?.Namespace).toBe("elevenlabs-agentic-memory-test");
    expect(lines[0]).toMatchObject({ service: "agentic-memory", route: "retrieve", Ok: 1, Rejected: 0, Failed: 0, Latency: 7 });
  });

  it("go nowhere from the sweep, which records none", async () => {
    const scope = await buildFunctionScope("sweep", loadEnv({ DATA_DIR: dataDir(), METRICS_NAMESPACE: "elevenlabs-agentic-memory-test" }));

    const lines = await captureEmf(() => scope.metrics.record(event()));
    await scope.close();

    expect(lines).toEqual([]);
  });

  it("go to DATA_DIR/metrics.db without METRICS_NAMESPACE", async () => {
    const dir = dataDir();
    const scope = await buildFunctionScope("retrieve", loadEnv({ ...keys, DATA_DIR: dir }));

    await scope.metrics.record(event());
    await scope.close();
    const store = new SqliteUsageStore(join(dir, "metrics.db"));
    const overview = await store.overview(Date.now());
    store.close();

    expect(overview.last24h.latency.retrieve.count).toBe(1);
  });

  it("are dropped with a warning when they cannot be kept, and recording resolves all the same", async () => {
    const warned = vi.spyOn(logger, "warn").mockImplementation(() => undefined);
    const file = join(dataDir(), "not-a-directory");
    writeFileSync(file, "");

    const scope = await buildFunctionScope("post-call", loadEnv({ ...keys, DATA_DIR: file }));
    await expect(scope.metrics.record(event())).resolves.toBeUndefined();
    await scope.close();

    expect(warned).toHaveBeenCalledWith("metric event not recorded", { route: "retrieve", error: expect.stringMatching(/ENOTDIR|EEXIST/) });
  });
});

describe("the app's usage reader (local server, operator CLI)", () => {
  it("touches no DATA_DIR until an event is recorded (an operator command against AWS)", async () => {
    const dir = join(dataDir(), "absent");
    const app = await buildApp(loadEnv({ DATA_DIR: dir, MEMORY_BACKEND: "mem0", MEM0_API_KEY: "k", ARCHIVE_BUCKET: "bucket" }));

    const overview = await app.usage.overview(Date.now());
    await app.close();

    expect(overview.last24h.calls).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });

  it("reads what the app's handlers recorded in DATA_DIR", async () => {
    const dir = dataDir();
    const app = await buildApp(loadEnv({ DATA_DIR: dir }));

    await app.metrics.record(event());
    const overview = await app.usage.overview(Date.now());
    await app.close();

    expect(overview.last24h.latency.retrieve.count).toBe(1);
    expect(app.backends.metrics).toBe("embedded");
    expect(app.usageSource).toBe(`embedded store (${join(dir, "metrics.db")})`);
  });

  it("reads CloudWatch in METRICS_NAMESPACE, and says so", async () => {
    const app = await buildApp(loadEnv({ DATA_DIR: dataDir(), METRICS_NAMESPACE: "elevenlabs-agentic-memory-prod" }));
    await app.close();

    expect(app.backends.metrics).toBe("cloudwatch");
    expect(app.usageSource).toBe("CloudWatch (namespace elevenlabs-agentic-memory-prod)");
  });
});
