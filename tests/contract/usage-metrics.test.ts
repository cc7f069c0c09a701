import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import { SqliteUsageStore, USAGE_RETENTION_MS } from "../../adapters/outbound/embedded/sqlite-usage-store";
import { QuietUsageRecorder } from "../../adapters/outbound/quiet-usage-recorder";
import type { RequestMetric } from "../../domain/usage";
import { InMemoryUsageMetrics } from "../fakes/in-memory-usage-metrics";
import { describeUsageMetricsContract, NOW } from "./usage-metrics.contract";

const dbPath = () => join(mkdtempSync(join(tmpdir(), "agentic-memory-metrics-")), "metrics.db");
const quiet = { info: () => undefined, warn: vi.fn(), error: () => undefined, debug: () => undefined };
const retrieveAt = (at: number): RequestMetric => ({ route: "retrieve", outcome: "ok", at, latencyMs: 10 });

describeUsageMetricsContract("in-memory fake", async () => {
  const store = new InMemoryUsageMetrics();
  return { recorder: store, reader: async () => store };
});

describeUsageMetricsContract("embedded SQLite, read by the same store", async () => {
  const store = new SqliteUsageStore(dbPath());
  return { recorder: store, reader: async () => store, close: async () => store.close() };
});

describeUsageMetricsContract("embedded SQLite, read by another process's store (the CLI beside the server)", async () => {
  const path = dbPath();
  const recorder = new SqliteUsageStore(path);
  const readers: SqliteUsageStore[] = [];
  return {
    recorder,
    reader: async () => {
      const reader = new SqliteUsageStore(path);
      readers.push(reader);
      return reader;
    },
    close: async () => {
      for (const reader of readers) reader.close();
      recorder.close();
    },
  };
});

describe("SqliteUsageStore", () => {
  it("keeps its events across reopening, in a WAL file of its own", async () => {
    const path = dbPath();
    const first = new SqliteUsageStore(path);
    await first.record(retrieveAt(NOW - 1000));
    first.close();

    const again = new SqliteUsageStore(path);
    const overview = await again.overview(NOW);
    again.close();
    const db = new Database(path, { readonly: true });
    const mode = db.pragma("journal_mode", { simple: true });
    db.close();

    expect(overview.last24h.latency.retrieve.count).toBe(1);
    expect(mode).toBe("wal");
  });

  it("keeps no caller id or other personal data: a row is route, outcome, time, latency and counts", async () => {
    const path = dbPath();
    const store = new SqliteUsageStore(path);
    await store.record(retrieveAt(NOW));
    store.close();
    const db = new Database(path, { readonly: true });
    const columns = (db.prepare("SELECT name FROM pragma_table_info('request_metrics')").all() as { name: string }[]).map((c) => c.name);
    db.close();

    expect(columns.sort()).toEqual(["at", "degraded", "greeted_by_name", "latency_ms", "memories_written", "outcome", "returning_caller", "route"]);
  });

  it("deletes events older than the retention when it records, and never reads them into an overview", async () => {
    const path = dbPath();
    const store = new SqliteUsageStore(path);
    await store.record(retrieveAt(NOW - USAGE_RETENTION_MS - 1));
    await store.record(retrieveAt(NOW - USAGE_RETENTION_MS + 60_000));
    // An hour later: the next prune is due.
    await store.record(retrieveAt(NOW));
    store.close();
    const db = new Database(path, { readonly: true });
    const ats = (db.prepare("SELECT at FROM request_metrics ORDER BY at").all() as { at: number }[]).map((r) => r.at);
    db.close();

    expect(ats).toEqual([NOW - USAGE_RETENTION_MS + 60_000, NOW]);
  });

  it("creates nothing until the first event: an overview before it is empty and leaves no file", async () => {
    const path = dbPath();
    const store = new SqliteUsageStore(path);

    const overview = await store.overview(NOW);
    store.close();

    expect(overview.last7d.calls).toBe(0);
    expect(existsSync(path)).toBe(false);
  });

  it("leaves out a row of a route this version does not know (written by a newer one)", async () => {
    const path = dbPath();
    const store = new SqliteUsageStore(path);
    await store.record(retrieveAt(NOW - 1000));
    const db = new Database(path);
    db.prepare("INSERT INTO request_metrics (at, route, outcome, latency_ms) VALUES (?, 'dashboard', 'ok', 5)").run(NOW - 1000);
    db.close();

    const overview = await store.overview(NOW);
    store.close();

    expect(overview.last24h.latency.retrieve.count).toBe(1);
  });
});

describe("QuietUsageRecorder", () => {
  it("never fails the request: an event the store cannot keep is logged with its route and dropped", async () => {
    const notADirectory = join(mkdtempSync(join(tmpdir(), "agentic-memory-metrics-")), "file");
    writeFileSync(notADirectory, "");
    const recorder = new QuietUsageRecorder(new SqliteUsageStore(join(notADirectory, "metrics.db")), quiet);

    await expect(recorder.record(retrieveAt(NOW))).resolves.toBeUndefined();
    expect(quiet.warn).toHaveBeenCalledWith("metric event not recorded", { route: "retrieve", error: expect.stringMatching(/ENOTDIR|EEXIST/) });
  });
});
