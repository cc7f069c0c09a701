import { html, raw } from "hono/html";
import { LATENCY_ROUTES, type UsageOverview, type UsageWindow } from "../../../../domain/usage";
import { layout, millis, percent, type Html } from "./layout";

export interface OverviewModel {
  readonly usage: UsageOverview;
  /** Events the worker parked after its last try (or could not read), waiting for the operator. */
  readonly failedEvents: number;
  /** Events stored and not yet ingested. */
  readonly pendingEvents: number;
  /** Where the numbers come from, said on the page ("this server's metrics store", "CloudWatch …"). */
  readonly source: string;
}

const tile = (label: string, value: string, sub: string, id: string): Html =>
  html`<li class="tile" data-metric="${id}"><span class="label">${label}</span><span class="value">${value}</span><span class="sub">${sub}</span></li>`;

function windowTiles(name: string, id: string, w: UsageWindow): Html {
  return html`<h2 id="${id}-heading">${name}</h2>
<ul class="tiles" aria-labelledby="${id}-heading" data-window="${id}">
  ${tile("Calls", String(w.calls), "conversations started (client-data answered)", "calls")}
  ${tile("Returning callers", percent(w.returningShare), "of those calls", "returning")}
  ${tile("Greeted by name", percent(w.greetedByNameShare), "of those calls", "greeted")}
  ${tile("Degraded answers", percent(w.degradedShare), "new-caller fallback after a failure", "degraded")}
  ${tile("Memories written", String(w.memoriesWritten), "by ingested calls", "memories")}
</ul>`;
}

/** The page an operator keeps open: how the agents use memory, and whether anything needs them. */
export function overviewView(model: OverviewModel, csrf: string): Html {
  const { usage } = model;
  // Inside <script type="application/json">: only "<" could end the element early.
  const days = JSON.stringify(usage.days).replace(/</g, "\\u003c");
  return layout(
    { title: "Overview", section: "overview", csrf },
    html`<h1>Overview</h1>
<p class="muted">From ${model.source}. Times are UTC.</p>
${
  model.failedEvents > 0
    ? html`<p class="notice error" role="status" data-metric="failed-events"><strong>${model.failedEvents}</strong> parked or failed ${model.failedEvents === 1 ? "event needs" : "events need"} a look. <a href="/dashboard/events">Open events</a></p>`
    : html`<p class="notice ok" role="status" data-metric="failed-events">No parked or failed events.</p>`
}
<p class="muted" data-metric="pending-events">${model.pendingEvents} ${model.pendingEvents === 1 ? "event" : "events"} waiting to be ingested.</p>
${windowTiles("Last 24 hours", "last24h", usage.last24h)}
${windowTiles("Last 7 days", "last7d", usage.last7d)}

<h2 id="per-day">Calls and memories per day</h2>
<div class="chart"><canvas id="usage-chart" role="img" aria-label="Bar chart of calls and memories written per day over the last seven days; the same numbers are in the table below."></canvas></div>
<script type="application/json" id="usage-days">${raw(days)}</script>
<div class="table-wrap">
<table aria-labelledby="per-day">
  <thead><tr><th scope="col">Day</th><th scope="col" class="num">Calls</th><th scope="col" class="num">Memories written</th></tr></thead>
  <tbody>
    ${usage.days.map((d) => html`<tr data-day="${d.date}"><th scope="row">${d.date}</th><td class="num">${d.calls}</td><td class="num">${d.memoriesWritten}</td></tr>`)}
  </tbody>
</table>
</div>

<h2 id="latency">Latency</h2>
${usage.latencyUnavailable === undefined ? "" : html`<p class="notice warn" role="status" data-metric="latency-unavailable">Latency percentiles are unavailable: ${usage.latencyUnavailable}. The other figures are complete.</p>`}
<div class="table-wrap">
<table aria-labelledby="latency">
  <thead><tr><th scope="col">Route</th><th scope="col" class="num">p50, 24 h</th><th scope="col" class="num">p95, 24 h</th><th scope="col" class="num">Requests, 24 h</th><th scope="col" class="num">p50, 7 d</th><th scope="col" class="num">p95, 7 d</th><th scope="col" class="num">Requests, 7 d</th></tr></thead>
  <tbody>
    ${LATENCY_ROUTES.map((route) => {
      const ms = (value: number | null) => (usage.latencyUnavailable === undefined ? millis(value) : "unavailable");
      const day = usage.last24h.latency[route];
      const week = usage.last7d.latency[route];
      return html`<tr data-route="${route}"><th scope="row">/${route}</th><td class="num">${ms(day.p50)}</td><td class="num">${ms(day.p95)}</td><td class="num">${day.count}</td><td class="num">${ms(week.p50)}</td><td class="num">${ms(week.p95)}</td><td class="num">${week.count}</td></tr>`;
    })}
  </tbody>
</table>
</div>
<script src="/dashboard/assets/chart.umd.min.js"></script>
<script src="/dashboard/assets/overview.js"></script>`,
  );
}
