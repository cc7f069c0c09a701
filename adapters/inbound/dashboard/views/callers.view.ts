import { html } from "hono/html";
import { maskCallerId } from "../../../../domain/caller-id";
import { layout, when, type Html } from "./layout";

export interface CallerRow {
  readonly callerId: string;
  readonly callerName: string | null;
  readonly lastCallAt: string | null;
  readonly memoryCount: number;
}

/** The link to a caller's page (the number is its own path segment, `+` escaped). */
export const callerHref = (callerId: string): string => `/dashboard/callers/${encodeURIComponent(callerId)}`;

/**
 * Callers found by number or name. Numbers are masked to their last four digits here: a list is
 * glanced at and screenshotted; the whole number shows only once a caller is opened.
 */
export function callersView(query: string, rows: readonly CallerRow[], csrf: string, notice: string | null): Html {
  return layout(
    { title: "Callers", section: "callers", csrf },
    html`<h1>Callers</h1>
${notice === null ? "" : html`<p class="notice ok" role="status">${notice}</p>`}
<form method="get" action="/dashboard/callers" role="search">
  <div class="field">
    <label for="q">Find a caller by phone number (any format) or name</label>
    <div class="row"><input id="q" name="q" type="search" value="${query}" placeholder="+1 555 0100 123, (555) 010-0123 or a name" autocomplete="off"><button type="submit">Search</button></div>
  </div>
</form>
<p class="muted" role="status">${query === "" ? "Most recent callers first." : `${rows.length} ${rows.length === 1 ? "caller matches" : "callers match"} “${query}”.`}</p>
${
  rows.length === 0
    ? html`<p data-callers="none">No callers${query === "" ? " yet" : " match"}.</p>`
    : html`<div class="table-wrap"><table aria-label="Callers">
  <thead><tr><th scope="col">Number</th><th scope="col">Name</th><th scope="col">Last call</th><th scope="col" class="num">Memories</th></tr></thead>
  <tbody>
  ${rows.map(
    (row) => html`<tr data-caller-row>
    <td><a href="${callerHref(row.callerId)}" aria-label="Open caller ending ${row.callerId.slice(-4)}${row.callerName === null ? "" : `, ${row.callerName}`}">${maskCallerId(row.callerId)}</a></td>
    <td>${row.callerName ?? html`<span class="muted">unknown</span>`}</td><td>${when(row.lastCallAt)}</td><td class="num">${row.memoryCount}</td>
  </tr>`,
  )}
  </tbody>
</table></div>`
}`,
  );
}
