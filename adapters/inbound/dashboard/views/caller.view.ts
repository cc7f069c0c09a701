import { html } from "hono/html";
import { callerHref } from "./callers.view";
import { csrfField, layout, when, type Html } from "./layout";

interface MemoryItem {
  readonly id: string;
  readonly text: string;
  readonly at: string | null;
  readonly conversationId: string | null;
  /** Set on an older version: the memory that replaced it. */
  readonly supersededBy: string | null;
}

/** One fact (its versions, newest first) or one memory without a key. */
interface FactEntry {
  readonly key: string | null;
  readonly current: MemoryItem;
  readonly history: readonly MemoryItem[];
}

interface MemoryGroup {
  readonly type: string;
  readonly source: string;
  readonly facts: readonly FactEntry[];
}

interface CallEntry {
  readonly conversationId: string;
  readonly at: string | null;
  readonly durationSeconds: number | null;
  readonly summary: string | null;
  readonly language: string | null;
  readonly turns: readonly { readonly role: "caller" | "agent"; readonly text: string }[];
  readonly hasAudio: boolean;
}

/** What the agent will be told when this caller next calls: the client-data answer, as it would be sent. */
export interface NextCallPreview {
  readonly firstMessage: string | null;
  readonly variables: Readonly<Record<string, string>>;
  /** The prompt override (base prompt and fenced caller notes), when the deployment sends one. */
  readonly prompt: string | null;
  readonly language: string | null;
  /** Why the answer would be the new-caller fallback, when it would. */
  readonly degraded: string | null;
}

export interface CallerPageModel {
  readonly callerId: string;
  readonly callerName: string | null;
  readonly nextCall: NextCallPreview;
  readonly memoryGroups: readonly MemoryGroup[];
  readonly memoryCount: number;
  readonly calls: readonly CallEntry[];
  /** Calls not shown (only the newest are). */
  readonly moreCalls: number;
}

const SOURCE_LABELS: Readonly<Record<string, string>> = {
  summary: "call summaries",
  data_collection: "collected by the agent's data collection",
  caller_name: "the caller's name",
  conversation: "from the conversation",
  remember: "remembered by the agent during a call",
  import: "imported by an operator",
  evaluation: "evaluation rationales (legacy)",
};

const ROLE_LABELS = { caller: "Caller", agent: "Agent" } as const;

function memoryLine(item: MemoryItem): Html {
  return html`${item.text} <span class="muted">(${when(item.at)}${item.conversationId === null ? "" : html`, <code>${item.conversationId}</code>`})</span>`;
}

function factView(fact: FactEntry): Html {
  return html`<li data-memory="${fact.current.id}">${memoryLine(fact.current)}${
    fact.history.length === 0
      ? ""
      : html`<details><summary>${fact.history.length} earlier ${fact.history.length === 1 ? "version" : "versions"}${fact.key === null ? "" : html` of <code>${fact.key}</code>`}</summary>
<ol class="history">${fact.history.map((old) => html`<li data-memory="${old.id}" data-superseded>${memoryLine(old)}</li>`)}</ol></details>`
  }</li>`;
}

function nextCallView(next: NextCallPreview): Html {
  return html`<section aria-labelledby="next-call"><h2 id="next-call">What the agent will be told on the next call</h2>
${next.degraded === null ? "" : html`<p class="notice warn">Right now this caller would get the new-caller answer: ${next.degraded}.</p>`}
<dl>
  <dt>First message</dt><dd data-next="first-message">${next.firstMessage ?? html`<span class="muted">the agent's own first message (not overridden)</span>`}</dd>
  ${next.language === null ? "" : html`<dt>Language</dt><dd data-next="language">${next.language}</dd>`}
</dl>
<div class="table-wrap"><table aria-label="Dynamic variables">
  <thead><tr><th scope="col">Dynamic variable</th><th scope="col">Value</th></tr></thead>
  <tbody>${Object.entries(next.variables).map(([name, value]) => html`<tr data-variable="${name}"><th scope="row"><code>${name}</code></th><td>${value}</td></tr>`)}</tbody>
</table></div>
${next.prompt === null ? "" : html`<details><summary>Prompt with the caller's notes</summary><pre class="context" data-next="prompt">${next.prompt}</pre></details>`}
</section>`;
}

function callView(call: CallEntry, callerId: string): Html {
  return html`<section class="call" data-call="${call.conversationId}" aria-label="Call ${when(call.at)}">
<h3>${when(call.at)}${call.durationSeconds === null ? "" : ` · ${Math.round(call.durationSeconds)} s`}${call.language === null ? "" : ` · ${call.language}`}</h3>
<p class="muted">Conversation <code>${call.conversationId}</code></p>
${call.summary === null ? "" : html`<p>${call.summary}</p>`}
${
  call.hasAudio
    ? html`<audio controls preload="none" src="${callerHref(callerId)}/audio/${encodeURIComponent(call.conversationId)}" aria-label="Recording of the call ${call.conversationId}">Your browser cannot play the recording.</audio>`
    : html`<p class="muted">No recording archived.</p>`
}
<details><summary>Transcript (${call.turns.length} turns)</summary>
<ol class="turns">${call.turns.map((turn) => html`<li data-role="${turn.role}"><span class="who">${ROLE_LABELS[turn.role]}:</span>${turn.text}</li>`)}</ol>
</details>
</section>`;
}

/** One caller, opened: their whole number, what their next call starts with, memories and calls, and the two actions. */
export function callerView(model: CallerPageModel, csrf: string): Html {
  const who = model.callerName === null ? model.callerId : `${model.callerName} (${model.callerId})`;
  return layout(
    { title: `Caller ${model.callerId.slice(-4)}`, section: "callers", csrf },
    html`<p><a href="/dashboard/callers">← Callers</a></p>
<h1 data-caller="${model.callerId}">${who}</h1>
<p class="row">
  <a class="button secondary" href="${callerHref(model.callerId)}/export">Export…</a>
  <a class="button danger" href="${callerHref(model.callerId)}/forget">Forget…</a>
</p>
${nextCallView(model.nextCall)}
<section aria-labelledby="memories"><h2 id="memories">Memories (${model.memoryCount} current)</h2>
${
  model.memoryGroups.length === 0
    ? html`<p class="muted">No memories.</p>`
    : model.memoryGroups.map(
        (group) => html`<h3>${group.type === "factual" ? "Facts" : "Conversation memories"} · ${SOURCE_LABELS[group.source] ?? group.source}</h3>
<ul data-group="${group.type}/${group.source}">${group.facts.map(factView)}</ul>`,
      )
}
</section>
<section aria-labelledby="calls"><h2 id="calls">Calls</h2>
${model.calls.length === 0 ? html`<p class="muted">No archived calls.</p>` : model.calls.map((call) => callView(call, model.callerId))}
${model.moreCalls > 0 ? html`<p class="muted">${model.moreCalls} older ${model.moreCalls === 1 ? "call is" : "calls are"} not shown; the export has every call.</p>` : ""}
</section>`,
  );
}

/** The confirmation before an action on a caller, naming them. */
export function confirmView(action: "forget" | "export", callerId: string, callerName: string | null, csrf: string): Html {
  const who = callerName === null ? callerId : `${callerName} (${callerId})`;
  const base = callerHref(callerId);
  if (action === "export") {
    return layout(
      { title: "Export caller", section: "callers", csrf },
      html`<h1>Export everything stored about ${who}?</h1>
<p>The download is one JSON file with their profile, every memory (with earlier versions), and every archived call. It holds personal data: keep it safe.</p>
<form method="post" action="${base}/export">${csrfField(csrf)}<p class="row"><button type="submit">Download the export of ${who}</button> <a class="button secondary" href="${base}">Cancel</a></p></form>`,
    );
  }
  return layout(
    { title: "Forget caller", section: "callers", csrf },
    html`<h1>Forget ${who}?</h1>
<p class="notice error">This erases, for good: every memory of ${who}, their profile, every archived transcript and recording, and every stored event of their calls. Their next call starts as a new caller's. It cannot be undone.</p>
<form method="post" action="${base}/forget">${csrfField(csrf)}<input type="hidden" name="confirm" value="${callerId}">
<p class="row"><button class="danger" type="submit">Forget ${who}</button> <a class="button secondary" href="${base}">Cancel</a></p></form>`,
  );
}
