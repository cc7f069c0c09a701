/**
 * How the product is used, from one metric event per request: what the operator's dashboard shows
 * (calls per day, returning callers, callers greeted by name, degraded answers, memories written,
 * latency). Pure: recorded by the handlers through a port, summarised here the same way wherever the
 * events were kept.
 */

/** The routes and the ingestion that record one event each time they run. */
export const METRIC_ROUTES = ["client-data", "retrieve", "remember", "post-call", "worker"] as const;
export type MetricRoute = (typeof METRIC_ROUTES)[number];

/** The three routes a caller waits on, whose latency the overview shows. */
export const LATENCY_ROUTES = ["client-data", "retrieve", "post-call"] as const satisfies readonly MetricRoute[];
export type LatencyRoute = (typeof LATENCY_ROUTES)[number];

/** `ok`: answered 2xx (or ingested); `rejected`: answered 4xx (or parked); `failed`: 5xx (or ingestion threw). */
export type RequestOutcome = "ok" | "rejected" | "failed";

/** One request (or one ingestion) as it is recorded: no caller id, no personal data. */
export interface RequestMetric {
  readonly route: MetricRoute;
  readonly outcome: RequestOutcome;
  /** Unix milliseconds when the request arrived. */
  readonly at: number;
  /** Milliseconds from arrival to answer. */
  readonly latencyMs: number;
  /** client-data: answered with the new-caller fallback because a dependency failed. */
  readonly degraded?: boolean;
  /** client-data: the caller was known (returning_caller "yes"). */
  readonly returning?: boolean;
  /** client-data: the answer carried the caller's name. */
  readonly greetedByName?: boolean;
  /** worker: memories the ingestion wrote. */
  readonly memoriesWritten?: number;
}

/** One UTC day of the overview's charts. */
export interface UsageDay {
  /** `YYYY-MM-DD` (UTC). */
  readonly date: string;
  /** Calls started: client-data answered 2xx. */
  readonly calls: number;
  readonly memoriesWritten: number;
}

export interface LatencyFigures {
  readonly count: number;
  /** Milliseconds; null without a request in the window. */
  readonly p50: number | null;
  readonly p95: number | null;
}

/** The overview's figures for one window ending now. */
export interface UsageWindow {
  /** Calls started (client-data answered 2xx). */
  readonly calls: number;
  /** Shares of those calls, 0..1; null without a call in the window. */
  readonly returningShare: number | null;
  readonly greetedByNameShare: number | null;
  readonly degradedShare: number | null;
  readonly memoriesWritten: number;
  readonly latency: Readonly<Record<LatencyRoute, LatencyFigures>>;
}

export interface UsageOverview {
  /** The last seven UTC days, oldest first, today last. */
  readonly days: readonly UsageDay[];
  readonly last24h: UsageWindow;
  readonly last7d: UsageWindow;
  /** Why the latency percentiles could not be read (every p50 and p95 is null then); absent when they were. */
  readonly latencyUnavailable?: string;
}

const DAY_MS = 86_400_000;
export const USAGE_WINDOWS_MS = { last24h: DAY_MS, last7d: 7 * DAY_MS } as const;

/** The `YYYY-MM-DD` (UTC) of a unix-milliseconds instant. */
export const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The value at quantile `q` (0..1) of ascending `sorted`, by the nearest-rank method (the value a
 * request actually took, as CloudWatch's percentile statistics report); null for no values.
 *
 * @example
 * percentile([10, 20, 30, 40], 0.5); // 20
 */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? null;
}

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

function summariseWindow(metrics: readonly RequestMetric[]): UsageWindow {
  const calls = metrics.filter((m) => m.route === "client-data" && m.outcome === "ok");
  const latency = Object.fromEntries(
    LATENCY_ROUTES.map((route) => {
      const sorted = metrics.filter((m) => m.route === route).map((m) => m.latencyMs).sort((a, b) => a - b);
      return [route, { count: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) }];
    }),
  ) as Record<LatencyRoute, LatencyFigures>;
  return {
    calls: calls.length,
    returningShare: share(calls.filter((m) => m.returning === true).length, calls.length),
    greetedByNameShare: share(calls.filter((m) => m.greetedByName === true).length, calls.length),
    degradedShare: share(calls.filter((m) => m.degraded === true).length, calls.length),
    memoriesWritten: metrics.reduce((sum, m) => sum + (m.memoriesWritten ?? 0), 0),
    latency,
  };
}

/**
 * The overview from the metric events since {@link usageSince}, as of `nowMs`: events outside a
 * window or day are left out of it, so a reader may pass more than it needs.
 */
export function summariseUsage(metrics: Iterable<RequestMetric>, nowMs: number): UsageOverview {
  const known = [...metrics].filter((m) => m.at <= nowMs);
  const week = known.filter((m) => m.at > nowMs - USAGE_WINDOWS_MS.last7d);
  const today = Date.UTC(new Date(nowMs).getUTCFullYear(), new Date(nowMs).getUTCMonth(), new Date(nowMs).getUTCDate());
  const oldestDay = today - 6 * DAY_MS;
  const days: UsageDay[] = Array.from({ length: 7 }, (_, i) => ({ date: utcDate(oldestDay + i * DAY_MS), calls: 0, memoriesWritten: 0 }));
  // One pass, by day index: a week of a busy line is hundreds of thousands of events.
  for (const m of known) {
    const index = Math.floor((m.at - oldestDay) / DAY_MS);
    const day = days[index];
    if (day === undefined) continue;
    days[index] = {
      date: day.date,
      calls: day.calls + (m.route === "client-data" && m.outcome === "ok" ? 1 : 0),
      memoriesWritten: day.memoriesWritten + (m.memoriesWritten ?? 0),
    };
  }
  return {
    days,
    last24h: summariseWindow(week.filter((m) => m.at > nowMs - USAGE_WINDOWS_MS.last24h)),
    last7d: summariseWindow(week),
  };
}

/** The earliest instant the overview as of `nowMs` reads (the seven-day window starts before the oldest chart day). */
export const usageSince = (nowMs: number): number => nowMs - USAGE_WINDOWS_MS.last7d;

/**
 * The outcome of a request from the HTTP status it was answered with.
 *
 * @example
 * outcomeOfStatus(401); // "rejected"
 */
export function outcomeOfStatus(status: number): RequestOutcome {
  if (status >= 500) return "failed";
  return status >= 400 ? "rejected" : "ok";
}

/** Whether `route` is one that records metric events. */
export const isMetricRoute = (route: string): route is MetricRoute => (METRIC_ROUTES as readonly string[]).includes(route);
