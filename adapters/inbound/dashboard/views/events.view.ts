import { html } from "hono/html";
import { csrfField, layout, when, type Html } from "./layout";

export interface FailedEventRow {
  readonly id: string;
  readonly eventType: string;
  readonly conversationId: string;
  readonly reason: string;
  /** Unix seconds. */
  readonly failedAt: number;
}

/** What became of a replay, shown above the list after the operator pressed Replay. */
export interface ReplayReport {
  readonly id: string;
  /** `ingested`, `already_done`, `parked` (still cannot be read), `failed` (threw again), `not_found`. */
  readonly status: string;
  readonly detail: string | null;
}

const OUTCOME_TEXT: Readonly<Record<string, { text: string; tone: "ok" | "error" | "warn" }>> = {
  ingested: { text: "was ingested: its memories are written and the caller's profile is rebuilt", tone: "ok" },
  already_done: { text: "had been ingested already; nothing was written twice", tone: "ok" },
  parked: { text: "still cannot be ingested and is parked again", tone: "error" },
  failed: { text: "failed again and is parked again", tone: "error" },
  not_found: { text: "is no longer in the inbox (erased or replayed elsewhere)", tone: "warn" },
};

/** Parked and failed events, with why, each with a Replay button; and what became of the last replay. */
export function eventsView(rows: readonly FailedEventRow[], replay: ReplayReport | null, csrf: string): Html {
  const outcome = replay === null ? null : (OUTCOME_TEXT[replay.status] ?? { text: replay.status, tone: "warn" as const });
  return layout(
    { title: "Events", section: "events", csrf },
    html`<h1>Parked and failed events</h1>
<p class="muted">Events the worker could not ingest after its retries, or could not read, are kept whole with their reason. Replay ingests one now; ingestion is idempotent, so nothing already written is written twice.</p>
${
  replay === null || outcome === null
    ? ""
    : html`<div class="notice ${outcome.tone}" role="status" data-replay-status="${replay.status}"><p><strong>${replay.id}</strong> ${outcome.text}.</p>${
        replay.detail === null ? "" : html`<p class="muted">Reason: ${replay.detail}</p>`
      }</div>`
}
${
  rows.length === 0
    ? html`<p class="notice ok" data-events="none">No parked or failed events.</p>`
    : html`<div class="table-wrap"><table aria-label="Parked and failed events">
  <thead><tr><th scope="col">Event</th><th scope="col">Conversation</th><th scope="col">Parked</th><th scope="col">Reason</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
  <tbody>
  ${rows.map(
    (row) => html`<tr data-event="${row.id}">
    <td>${row.eventType}</td><td><code>${row.conversationId}</code></td><td>${when(row.failedAt)}</td><td>${row.reason}</td>
    <td><form method="post" action="/dashboard/events/replay">${csrfField(csrf)}<input type="hidden" name="id" value="${row.id}"><button type="submit" aria-label="Replay ${row.eventType} ${row.conversationId}">Replay</button></form></td>
  </tr>`,
  )}
  </tbody>
</table></div>`
}`,
  );
}
