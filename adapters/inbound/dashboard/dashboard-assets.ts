import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The dashboard's static files, all served by the dashboard itself: operators run it on closed
 * networks, so nothing comes from a CDN. Chart.js is read from the installed package (its UMD build,
 * which needs no bundler); our own stylesheet and chart script are small enough to live here, which
 * keeps them inside the CLI bundle too.
 */
export interface DashboardAsset {
  readonly body: string;
  readonly contentType: string;
}

/** Chart.js's UMD build, located through the package's own entry (its `exports` do not list `dist/`). */
function chartJs(): string {
  const entry = createRequire(import.meta.url).resolve("chart.js");
  return readFileSync(join(dirname(entry), "chart.umd.min.js"), "utf8");
}

const STYLES = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de;
  --accent: #0a5bd3; --danger: #b3261e; --ok: #1a7f37; --warn: #9a6700; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9da7b3; --bg: #0d1117; --panel: #161b22; --line: #30363d;
  --accent: #4493f8; --danger: #f85149; --ok: #3fb950; --warn: #d29922; } }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.45; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; z-index: 2; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .75rem 1rem; border-bottom: 1px solid var(--line); background: var(--panel); }
header.top .brand { font-weight: 700; }
header.top nav ul { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; margin: 0; padding: 0; }
header.top nav a[aria-current="page"] { font-weight: 700; text-decoration: none; }
header.top form { margin-left: auto; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; } h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; } h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .75rem; padding: 0; margin: 0; list-style: none; }
.tile { background: var(--panel); border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; }
.tile .label { color: var(--muted); font-size: .85rem; display: block; } .tile .value { font-size: 1.6rem; font-weight: 700; }
.tile .sub { color: var(--muted); font-size: .8rem; display: block; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95rem; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart { position: relative; height: 16rem; background: var(--panel); border: 1px solid var(--line); border-radius: .5rem; padding: .5rem; }
form.inline { display: inline; }
label { font-weight: 600; } input[type="search"], input[type="password"], input[type="text"] { font: inherit; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: .4rem; background: var(--bg); color: var(--fg); min-width: 0; width: 100%; max-width: 26rem; }
button, .button { font: inherit; padding: .45rem .9rem; border-radius: .4rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: transparent; color: var(--accent); }
button.danger, .button.danger { background: var(--danger); border-color: var(--danger); }
.field { display: flex; flex-direction: column; gap: .3rem; margin: .5rem 0 1rem; }
.row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
.notice { border-left: 4px solid var(--accent); background: var(--panel); padding: .6rem .8rem; margin: 1rem 0; }
.notice.ok { border-color: var(--ok); } .notice.error { border-color: var(--danger); } .notice.warn { border-color: var(--warn); }
.muted { color: var(--muted); } .badge { display: inline-block; font-size: .75rem; padding: .05rem .45rem; border-radius: 1rem; border: 1px solid var(--line); }
pre.context { white-space: pre-wrap; background: var(--panel); border: 1px solid var(--line); border-radius: .4rem; padding: .75rem; font-size: .85rem; }
ol.turns { list-style: none; padding: 0; margin: .5rem 0; } ol.turns li { margin: .25rem 0; }
ol.turns .who { font-weight: 600; margin-right: .4rem; }
details { margin: .5rem 0; } summary { cursor: pointer; }
section.call { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem .9rem; margin: .75rem 0; }
audio { width: 100%; max-width: 30rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 40rem) { main { padding: .6rem; } .tile .value { font-size: 1.3rem; } th, td { padding: .35rem .3rem; } }
`;

/**
 * Draws the overview's chart from the JSON the page carries (the table beside it holds the same
 * numbers for screen readers and for anyone without scripts).
 */
const OVERVIEW_SCRIPT = `
(function () {
  var data = document.getElementById("usage-days");
  var canvas = document.getElementById("usage-chart");
  if (!data || !canvas || typeof Chart === "undefined") return;
  var days = JSON.parse(data.textContent || "[]");
  var styles = getComputedStyle(document.documentElement);
  Chart.defaults.color = styles.getPropertyValue("--muted").trim() || "#57606a";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: days.map(function (d) { return d.date.slice(5); }),
      datasets: [
        { label: "Calls", data: days.map(function (d) { return d.calls; }), backgroundColor: "#0a5bd3" },
        { label: "Memories written", data: days.map(function (d) { return d.memoriesWritten; }), backgroundColor: "#1a7f37" }
      ]
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
`;

/** Every asset by the name it is served under (`/dashboard/assets/<name>`). */
export function loadDashboardAssets(): ReadonlyMap<string, DashboardAsset> {
  const js = "text/javascript; charset=utf-8";
  return new Map([
    ["chart.umd.min.js", { body: chartJs(), contentType: js }],
    ["overview.js", { body: OVERVIEW_SCRIPT, contentType: js }],
    ["dashboard.css", { body: STYLES, contentType: "text/css; charset=utf-8" }],
  ]);
}
