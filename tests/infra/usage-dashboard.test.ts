// The CloudWatch dashboard charts exactly what the functions record: every metric a widget names is one
// the EMF recorder really prints, under the namespace Pulumi gives the functions.
import { beforeAll, describe, expect, it } from "vitest";
import { EmfUsageRecorder } from "../../adapters/outbound/aws/emf-usage-recorder";
import { LATENCY_ROUTES, METRIC_ROUTES, type RequestMetric } from "../../domain/usage";
import { captureEmf, emfMetricIdentities, type MetricIdentity } from "../support/emf";
import { type ProgramRun, REGION, T, runProgram } from "./program-harness";

const P = "elevenlabs-agentic-memory-prod";
const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
const SECRETS = { mem0ApiKey: "k", elevenlabsWorkspaceKey: "w", elevenlabsHmacKey: "h" };

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: { title: string; region: string; metrics: unknown[][]; view: string; start?: string; period?: number; setPeriodToTimeRange?: boolean };
}

let run: ProgramRun;
let widgets: Widget[];
beforeAll(async () => {
  run = await runProgram("prod", {}, SECRETS);
  const [dashboard] = run.ofType(DASHBOARD);
  widgets = (JSON.parse(String(dashboard?.inputs.dashboardBody)) as { widgets: Widget[] }).widgets;
});

/** A widget's metric line `[namespace, name, dim, value, …, {stat, label}]` read back. */
function identityOf(line: unknown[]): MetricIdentity & { stat: string } {
  const [namespace, name, ...rest] = line;
  const options = rest.at(-1) as { stat: string };
  const pairs = rest.slice(0, -1) as string[];
  const dimensions: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i] ?? ""] = pairs[i + 1] ?? "";
  return { namespace: String(namespace), name: String(name), dimensions: Object.fromEntries(Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b))), stat: options.stat };
}

const key = (m: MetricIdentity) => JSON.stringify([m.namespace, m.name, m.dimensions]);
const byTitle = (title: string) => {
  const found = widgets.find((w) => w.properties.title === title);
  if (found === undefined) throw new Error(`no widget "${title}"`);
  return found;
};

describe("the usage dashboard", () => {
  it("is one dashboard named after the stack", () => {
    expect(run.ofType(DASHBOARD).map((r) => r.inputs.dashboardName)).toEqual([`${P}-usage`]);
  });

  it("names only metrics the recorder prints, under the namespace every recording function is given", async () => {
    // Prepare: what the functions print for every kind of event, under the namespace Pulumi gave them.
    const namespaces = new Set(
      run.ofType(T.function).flatMap((fn) => (fn.inputs.environment as { variables: Record<string, string> }).variables.METRICS_NAMESPACE ?? []),
    );
    const events: RequestMetric[] = METRIC_ROUTES.flatMap((route) => [
      { route, outcome: "ok", at: Date.now(), latencyMs: 12, degraded: false, returning: true, greetedByName: true, memoriesWritten: 2 },
      { route, outcome: "rejected", at: Date.now(), latencyMs: 3 },
    ]);
    const recorder = new EmfUsageRecorder([...namespaces][0] ?? "");

    // Act
    const lines = await captureEmf(async () => {
      for (const event of events) await recorder.record(event);
    });
    const printed = new Set(lines.flatMap(emfMetricIdentities).map(key));
    const charted = widgets.flatMap((w) => w.properties.metrics.map(identityOf));

    // Assess
    expect([...namespaces]).toEqual([P]);
    expect(charted.length).toBeGreaterThan(0);
    for (const metric of charted) expect(printed, `${key(metric)} is charted but never printed`).toContain(key(metric));
  });

  it("shows the overview's panels: calls and memories written per day, the shares of calls, p50/p95 latency of each waited-on route over 24 h and 7 d", () => {
    const stats = (title: string) => byTitle(title).properties.metrics.map(identityOf).map((m) => `${m.dimensions.route} ${m.name} ${m.stat}`);

    expect(stats("Calls per day")).toEqual(["client-data Ok Sum"]);
    expect(byTitle("Calls per day").properties).toMatchObject({ view: "timeSeries", period: 86_400 });
    expect(stats("Memories written per day")).toEqual(["worker MemoriesWritten Sum"]);
    expect(stats("Shares of calls per day")).toEqual(["client-data Returning Average", "client-data GreetedByName Average", "client-data Degraded Average"]);
    for (const [title, start] of [["Last 24 hours", "-PT24H"], ["Last 7 days", "-P7D"]] as const) {
      expect(byTitle(title).properties).toMatchObject({ view: "singleValue", start, setPeriodToTimeRange: true });
      expect(stats(title)).toEqual([
        "client-data Ok Sum",
        "client-data Returning Average",
        "client-data GreetedByName Average",
        "client-data Degraded Average",
        "worker MemoriesWritten Sum",
      ]);
    }
    for (const [title, start] of [["Latency p50 / p95, last 24 hours", "-PT24H"], ["Latency p50 / p95, last 7 days", "-P7D"]] as const) {
      expect(byTitle(title).properties).toMatchObject({ view: "singleValue", start, setPeriodToTimeRange: true });
      expect(stats(title)).toEqual(LATENCY_ROUTES.flatMap((route) => [`${route} Latency p50`, `${route} Latency p95`]));
    }
  });

  it("reads the metrics in the stack's region and lays the panels out without overlap", () => {
    const cells = new Set<string>();
    for (const widget of widgets) {
      expect(widget.properties.region).toBe(REGION);
      for (let x = widget.x; x < widget.x + widget.width; x += 1) {
        for (let y = widget.y; y < widget.y + widget.height; y += 1) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
    }
  });
});
