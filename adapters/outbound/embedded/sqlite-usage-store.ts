import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { UsageReader, UsageRecorder } from "../../../application/ports/usage-metrics.port";
import { METRIC_ROUTES, summariseUsage, usageSince, type MetricRoute, type RequestMetric, type RequestOutcome, type UsageOverview } from "../../../domain/usage";

/** How long events are kept: the overview reads seven days, the rest is room for an operator's own queries. */
export const USAGE_RETENTION_MS = 30 * 86_400_000;
/** Old events are deleted at most this often (on a record), so a busy line never prunes per request. */
const PRUNE_EVERY_MS = 3_600_000;

interface MetricRow {
  readonly route: string;
  readonly outcome: string;
  readonly at: number;
  readonly latency_ms: number;
  readonly degraded: number | null;
  readonly returning_caller: number | null;
  readonly greeted_by_name: number | null;
  readonly memories_written: number | null;
}

const OUTCOMES: readonly string[] = ["ok", "rejected", "failed"] satisfies RequestOutcome[];
const flag = (value: boolean | undefined): number | null => (value === undefined ? null : value ? 1 : 0);
const fromFlag = (value: number | null): boolean | undefined => (value === null ? undefined : value === 1);

/**
 * The embedded {@link UsageRecorder} and {@link UsageReader} (`npm start`): one row per event in
 * `request_metrics` of its own file (`DATA_DIR/metrics.db`, WAL), kept {@link USAGE_RETENTION_MS}.
 * The overview is summarised from the rows of its seven days by the same rule as anywhere else
 * (`summariseUsage`). A row holds no caller id: route, outcome, time, latency and the counts only.
 * The file is opened on first use and created by the first event: an operator command that reads no
 * metrics touches nothing, and reading before any event creates nothing.
 *
 * @example
 * const usage = new SqliteUsageStore(".data/metrics.db");
 * await usage.record({ route: "retrieve", outcome: "ok", at: Date.now(), latencyMs: 12 });
 * const overview = await usage.overview(Date.now());
 */
export class SqliteUsageStore implements UsageRecorder, UsageReader {
  private opened: ReturnType<typeof openUsageDatabase> | undefined;
  private prunedAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(private readonly path: string) {}

  async record(metric: RequestMetric): Promise<void> {
    const { statements } = this.open();
    statements.insert.run(
      metric.at,
      metric.route,
      metric.outcome,
      metric.latencyMs,
      flag(metric.degraded),
      flag(metric.returning),
      flag(metric.greetedByName),
      metric.memoriesWritten ?? null,
    );
    if (metric.at - this.prunedAt >= PRUNE_EVERY_MS) {
      statements.prune.run(metric.at - USAGE_RETENTION_MS);
      this.prunedAt = metric.at;
    }
  }

  async overview(nowMs: number): Promise<UsageOverview> {
    if (this.opened === undefined && this.path !== ":memory:" && !existsSync(this.path)) return summariseUsage([], nowMs);
    const rows = this.open().statements.since.all(usageSince(nowMs), nowMs) as MetricRow[];
    return summariseUsage(rows.flatMap(toMetric), nowMs);
  }

  /** Closes the file; an event recorded after this (a request still in flight at shutdown) is refused. */
  close(): void {
    this.closed = true;
    this.opened?.db.close();
    this.opened = undefined;
  }

  private open(): ReturnType<typeof openUsageDatabase> {
    if (this.closed) throw new Error(`the metrics store ${this.path} is closed`);
    this.opened ??= openUsageDatabase(this.path);
    return this.opened;
  }
}

function openUsageDatabase(path: string) {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  // NORMAL: a metric event lost to a power cut costs nothing, a sync per request would cost latency.
  db.pragma("synchronous = NORMAL");
  // Short: a request never waits long on a locked file; the event is dropped (and logged) instead.
  db.pragma("busy_timeout = 200");
  db.exec(`
    CREATE TABLE IF NOT EXISTS request_metrics (
      at               INTEGER NOT NULL,
      route            TEXT NOT NULL,
      outcome          TEXT NOT NULL,
      latency_ms       REAL NOT NULL,
      degraded         INTEGER,
      returning_caller INTEGER,
      greeted_by_name  INTEGER,
      memories_written INTEGER
    );
    CREATE INDEX IF NOT EXISTS request_metrics_at ON request_metrics (at);
  `);
  const statements = {
    insert: db.prepare(
      `INSERT INTO request_metrics (at, route, outcome, latency_ms, degraded, returning_caller, greeted_by_name, memories_written)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    prune: db.prepare(`DELETE FROM request_metrics WHERE at < ?`),
    since: db.prepare(`SELECT * FROM request_metrics WHERE at > ? AND at <= ?`),
  };
  return { db, statements };
}

/** A row as an event; one of a route or outcome this version does not know is left out. */
function toMetric(row: MetricRow): RequestMetric[] {
  if (!(METRIC_ROUTES as readonly string[]).includes(row.route) || !OUTCOMES.includes(row.outcome)) return [];
  return [
    {
      route: row.route as MetricRoute,
      outcome: row.outcome as RequestOutcome,
      at: row.at,
      latencyMs: row.latency_ms,
      degraded: fromFlag(row.degraded),
      returning: fromFlag(row.returning_caller),
      greetedByName: fromFlag(row.greeted_by_name),
      memoriesWritten: row.memories_written ?? undefined,
    },
  ];
}
