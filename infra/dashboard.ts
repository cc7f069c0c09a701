import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { USAGE_METRICS, usageDimensions, type UsageMetricName } from "../adapters/outbound/aws/usage-metric-names";
import { LATENCY_ROUTES, type MetricRoute } from "../domain/usage";
import { PROJECT } from "./config";

/** Inputs of {@link UsageDashboard}. */
export interface UsageDashboardArgs {
  /** `elevenlabs-agentic-memory-<stack>`: also the dashboard's name. */
  prefix: string;
  /** Where the functions' metric events are (their `METRICS_NAMESPACE`). */
  namespace: string;
  /** The stack's region (the widgets read metrics there). */
  region: string;
}

type Statistic = "Sum" | "Average" | "p50" | "p95";

/** The grid is 24 units wide; each panel takes half a row. */
const HALF = 12;
const HEIGHT = 6;

/**
 * The CloudWatch dashboard of the metric events the functions record: the same panels as the
 * operator dashboard's overview (calls per day, shares of returning callers, callers greeted by name
 * and degraded answers, memories written per day, p50/p95 latency of the routes a caller waits on over
 * the last 24 h and 7 d). Built from the metric names the recorder writes (`usage-metric-names.ts`).
 */
export class UsageDashboard extends pulumi.ComponentResource {
  readonly dashboard: aws.cloudwatch.Dashboard;
  /** The dashboard in the CloudWatch console. */
  readonly url: string;

  constructor(name: string, args: UsageDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${PROJECT}:infra:UsageDashboard`, name, {}, opts);
    const dashboardName = `${args.prefix}-usage`;
    this.dashboard = new aws.cloudwatch.Dashboard(
      dashboardName,
      { dashboardName, dashboardBody: JSON.stringify(usageDashboardBody(args.namespace, args.region)) },
      { parent: this },
    );
    this.url = `https://${args.region}.console.aws.amazon.com/cloudwatch/home?region=${args.region}#dashboards/dashboard/${dashboardName}`;
    this.registerOutputs({});
  }
}

/** The dashboard's body (CloudWatch's dashboard body structure). */
function usageDashboardBody(namespace: string, region: string) {
  const metric = (route: MetricRoute, name: UsageMetricName, stat: Statistic, label: string) => [
    namespace,
    name,
    ...usageDimensions(route).flatMap((d) => [d.Name, d.Value]),
    { stat, label },
  ];
  const clientData = (name: UsageMetricName, stat: Statistic, label: string) => metric("client-data", name, stat, label);
  let slot = 0;
  const panel = (title: string, metrics: unknown[][], properties: Record<string, unknown>) => {
    const at = slot;
    slot += 1;
    return {
      type: "metric",
      x: (at % 2) * HALF,
      y: Math.floor(at / 2) * HEIGHT,
      width: HALF,
      height: HEIGHT,
      properties: { title, region, metrics, ...properties },
    };
  };
  const perDay = { view: "timeSeries", period: 86_400, stacked: false };
  const window = (start: string) => ({ view: "singleValue", start, setPeriodToTimeRange: true });
  const shares = (stat: "Average") => [
    clientData(USAGE_METRICS.returning, stat, "Returning callers (share of calls)"),
    clientData(USAGE_METRICS.greetedByName, stat, "Greeted by name (share of calls)"),
    clientData(USAGE_METRICS.degraded, stat, "Degraded answers (share of calls)"),
  ];
  const totals = [clientData(USAGE_METRICS.ok, "Sum", "Calls"), ...shares("Average"), metric("worker", USAGE_METRICS.memoriesWritten, "Sum", "Memories written")];
  const latency = LATENCY_ROUTES.flatMap((route) => [
    metric(route, USAGE_METRICS.latency, "p50", `${route} p50 (ms)`),
    metric(route, USAGE_METRICS.latency, "p95", `${route} p95 (ms)`),
  ]);
  return {
    start: "-P7D",
    widgets: [
      panel("Calls per day", [clientData(USAGE_METRICS.ok, "Sum", "Calls (client-data answered 2xx)")], perDay),
      panel("Memories written per day", [metric("worker", USAGE_METRICS.memoriesWritten, "Sum", "Memories written")], perDay),
      panel("Shares of calls per day", shares("Average"), { ...perDay, yAxis: { left: { min: 0, max: 1 } } }),
      panel("Last 24 hours", totals, window("-PT24H")),
      panel("Last 7 days", totals, window("-P7D")),
      panel("Latency p50 / p95, last 24 hours", latency, window("-PT24H")),
      panel("Latency p50 / p95, last 7 days", latency, window("-P7D")),
    ],
  };
}
