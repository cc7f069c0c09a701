import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import type { UsageReader } from "../../../application/ports/usage-metrics.port";
import type { App } from "../../composition-root";
import { loadDashboardAssets } from "./dashboard-assets";
import { DashboardAuth, SESSION_TTL_MS } from "./dashboard-auth";
import { describeError } from "../../../domain/error-description";
import { toResponse } from "../elevenlabs/client-data-response";
import { isCallerId, maskCallerId, type CallerId } from "../../../domain/caller-id";
import type { CallerDossier } from "../../../application/use-cases/read-caller-dossier.use-case";
import { callerView, confirmView, type CallerPageModel, type NextCallPreview } from "./views/caller.view";
import { callersView } from "./views/callers.view";
import { eventsView, type ReplayReport } from "./views/events.view";
import { loginView } from "./views/login.view";
import { overviewView } from "./views/overview.view";

/** What the dashboard reads and acts on. */
export interface DashboardOptions {
  /** The app over the deployment's backends (the local server's own, or the CLI's for DATA_DIR or AWS). */
  readonly app: App;
  /** `DASHBOARD_TOKEN`, or the token generated for this run. */
  readonly token: string;
  /** Where the overview's numbers come from, and what to call it on the page. */
  readonly usage: UsageReader;
  readonly usageSource: string;
  readonly now?: () => number;
}

const SESSION_COOKIE = "agentic_memory_dashboard";

/** The per-request state the guard leaves for the pages. */
type DashboardEnv = { Variables: { session: string; csrf: string } };

/**
 * The operator dashboard, mounted at `/dashboard` on the local server and served alone by
 * `agentic-memory dashboard`; never routed by API Gateway. Every page and action answers 401 without
 * a session from the dashboard token; actions that change data are same-origin POSTs carrying the
 * session's CSRF token. Pages are server-rendered HTML (no build step) and never cached.
 */
export function createDashboard(options: DashboardOptions): Hono<DashboardEnv> {
  const auth = new DashboardAuth(options.token);
  const now = options.now ?? Date.now;
  const assets = loadDashboardAssets();
  const dashboard = new Hono<DashboardEnv>().basePath("/dashboard");

  dashboard.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        mediaSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: "no-referrer",
    }),
  );
  // Same-origin POSTs only (the Origin header, or Sec-Fetch-Site for browsers that send no Origin).
  dashboard.use(csrf());
  dashboard.use(async (c, next) => {
    await next();
    c.header("cache-control", "no-store");
  });

  // A backend that fails (S3, Mem0, CloudWatch unreachable) is a page saying so, logged without its request.
  dashboard.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse(); // e.g. the cross-origin 403 of csrf()
    options.app.logger.error("dashboard request failed", { path: c.req.routePath, error: describeError(error) });
    return c.text("the dashboard could not read the deployment just now; the error is in the log. Try again.", 502);
  });

  dashboard.get("/assets/:name", (c) => {
    const asset = assets.get(c.req.param("name"));
    if (asset === undefined) return c.text("not found", 404);
    return c.body(asset.body, 200, { "content-type": asset.contentType });
  });

  dashboard.post("/login", async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    if (typeof form.token !== "string" || !auth.tokenMatches(form.token)) return c.html(loginView(next, true), 401);
    setCookie(c, SESSION_COOKIE, auth.newSession(now()), {
      path: "/dashboard",
      httpOnly: true,
      sameSite: "Strict",
      secure: new URL(c.req.url).protocol === "https:",
      maxAge: SESSION_TTL_MS / 1000,
    });
    return c.redirect(next, 303);
  });

  // Everything below needs a session; without one every page and action is a 401 (pages show the sign-in form).
  dashboard.use(async (c, next) => {
    const session = getCookie(c, SESSION_COOKIE);
    if (session === undefined || !auth.sessionValid(session, now())) {
      if (c.req.method === "GET") return c.html(loginView(safeNext(new URL(c.req.url).pathname), false), 401);
      return c.text("sign in to the dashboard first", 401);
    }
    c.set("session", session);
    c.set("csrf", auth.csrfToken(session));
    if (c.req.method === "POST") {
      const form = await c.req.parseBody();
      if (!auth.csrfValid(session, typeof form.csrf === "string" ? form.csrf : undefined)) {
        return c.text("this form has expired or did not come from the dashboard; reload the page and try again", 403);
      }
    }
    await next();
  });

  dashboard.post("/logout", (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: "/dashboard" });
    return c.redirect("/dashboard", 303);
  });

  dashboard.get("/", async (c) => c.html(overviewView(await overview(options, now()), c.get("csrf"))));

  dashboard.get("/callers", async (c) => {
    const query = (c.req.query("q") ?? "").trim().slice(0, 100);
    const rows = await options.app.findCallers.execute(query, { limit: 50 });
    const forgotten = c.req.query("forgotten");
    const notice = forgotten === undefined ? null : `The caller ending ${forgotten.slice(-4)} is forgotten: nothing of theirs is stored any more.`;
    return c.html(callersView(query, rows, c.get("csrf"), notice));
  });

  dashboard.get("/callers/:caller", async (c) => {
    const callerId = callerParam(c.req.param("caller"));
    if (callerId === null) return c.text("not a caller id: open a caller from the list", 404);
    const dossier = await options.app.readCallerDossier.execute(callerId, { calls: CALLS_SHOWN });
    if (dossier.profile === null && dossier.memories.current === 0 && dossier.calls.total === 0) {
      return c.text("nothing is stored about this caller", 404);
    }
    return c.html(callerView(await callerPage(options.app, dossier), c.get("csrf")));
  });

  dashboard.get("/callers/:caller/audio/:conversation", async (c) => {
    const callerId = callerParam(c.req.param("caller"));
    const audio = callerId === null ? null : await options.app.readCallerDossier.audio(callerId, c.req.param("conversation"));
    if (audio === null) return c.text("no recording", 404);
    return c.body(new Uint8Array(audio), 200, { "content-type": "audio/mpeg", "content-length": String(audio.byteLength) });
  });

  for (const action of ["forget", "export"] as const) {
    dashboard.get(`/callers/:caller/${action}`, async (c) => {
      const callerId = callerParam(c.req.param("caller"));
      if (callerId === null) return c.text("not a caller id", 404);
      const dossier = await options.app.readCallerDossier.execute(callerId, { calls: 0 });
      return c.html(confirmView(action, callerId, dossier.profile?.callerName ?? null, c.get("csrf")));
    });
  }

  dashboard.post("/callers/:caller/forget", async (c) => {
    const callerId = callerParam(c.req.param("caller"));
    const form = await c.req.parseBody();
    // The confirmation names the caller; a form for someone else (or none) erases nothing.
    if (callerId === null || form.confirm !== callerId) return c.text("the confirmation does not name this caller; nothing was erased", 400);
    const report = await options.app.forgetCaller.execute(callerId);
    options.app.logger.info("dashboard forgot a caller", { caller: maskCallerId(callerId), memories: report.memories, transcripts: report.transcripts.length });
    return c.redirect(`/dashboard/callers?forgotten=${encodeURIComponent(callerId.slice(-4))}`, 303);
  });

  dashboard.post("/callers/:caller/export", async (c) => {
    const callerId = callerParam(c.req.param("caller"));
    if (callerId === null) return c.text("not a caller id", 404);
    const document = await options.app.exportCaller.execute(callerId);
    options.app.logger.info("dashboard exported a caller", { caller: maskCallerId(callerId) });
    return c.body(`${JSON.stringify(document, null, 2)}\n`, 200, {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="caller-${callerId.slice(1)}.json"`,
    });
  });

  dashboard.get("/events", async (c) => {
    const replayed = c.req.query("replayed");
    const [parked, report] = await Promise.all([options.app.failedEvents.list({ limit: 200 }), replayed === undefined ? null : replayReport(options.app, replayed)]);
    const rows = parked.events.map((e) => ({ ...e, failedAt: Math.floor(Date.parse(e.failedAt) / 1000) }));
    return c.html(eventsView(rows, report, c.get("csrf")));
  });

  dashboard.post("/events/replay", async (c) => {
    const form = await c.req.parseBody();
    const id = typeof form.id === "string" ? form.id : "";
    const outcome = await options.app.replayEvent.execute(id);
    options.app.logger.info("dashboard replayed an event", { status: outcome.status });
    return c.redirect(`/dashboard/events?replayed=${encodeURIComponent(id)}`, 303);
  });

  return dashboard;
}

/** How many of a caller's newest calls their page shows (the export has all of them). */
const CALLS_SHOWN = 20;

/** A caller id from the path: a normalised E.164 number, or null. */
function callerParam(raw: string): CallerId | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return isCallerId(decoded) ? decoded : null;
}

/** What became of a replayed event, read from the inbox now (the replay itself ran before the redirect). */
async function replayReport(app: App, id: string): Promise<ReplayReport> {
  const status = await app.failedEvents.status(id);
  switch (status.state) {
    case "done":
      return { id, status: "ingested", detail: null };
    case "failed":
      return { id, status: "parked", detail: status.reason };
    case "pending":
      return { id, status: "pending", detail: "waiting for the worker" };
    default:
      return { id, status: "not_found", detail: null };
  }
}

/** The page model: the dossier, and the client-data answer the next call would get, built as the handler builds it. */
async function callerPage(app: App, dossier: CallerDossier): Promise<CallerPageModel> {
  const prepared = await app.prepareCallContext.execute({ callerId: dossier.callerId, calledNumber: undefined });
  let nextCall: NextCallPreview = { firstMessage: null, variables: {}, prompt: null, language: null, degraded: "the caller id could not be read" };
  if (prepared.ok) {
    const answer = toResponse(prepared.value, app.settings);
    const agent = answer.conversation_config_override?.agent as { first_message?: string; prompt?: { prompt: string }; language?: string } | undefined;
    nextCall = {
      firstMessage: agent?.first_message ?? null,
      variables: answer.dynamic_variables,
      prompt: agent?.prompt?.prompt ?? (prepared.value.prompt === "" ? null : prepared.value.prompt),
      language: agent?.language ?? null,
      degraded: prepared.value.degraded?.reason ?? null,
    };
  }
  return {
    callerId: dossier.callerId,
    callerName: dossier.profile?.callerName ?? null,
    nextCall,
    memoryCount: dossier.memories.current,
    memoryGroups: dossier.memories.groups.map((group) => ({
      type: group.type,
      source: group.source,
      facts: group.facts.map((fact) => {
        const [current, ...history] = fact.versions.map((m) => ({
          id: m.id,
          text: m.memory,
          at: m.metadata.timestamp === "" ? null : m.metadata.timestamp,
          conversationId: m.metadata.conversation_id === "" ? null : m.metadata.conversation_id,
          supersededBy: m.metadata.superseded_by ?? null,
        }));
        if (current === undefined) throw new Error("a fact without versions");
        return { key: fact.factKey, current, history };
      }),
    })),
    calls: dossier.calls.recent.map((call) => ({
      conversationId: call.conversationId,
      at: call.at,
      durationSeconds: call.durationSecs,
      summary: call.summary,
      language: call.language,
      turns: call.turns.map((turn) => ({ role: turn.role, text: turn.text })),
      hasAudio: call.audioKey !== null,
    })),
    moreCalls: dossier.calls.more,
  };
}

async function overview(options: DashboardOptions, nowMs: number) {
  const [usage, failed, pending] = await Promise.all([
    options.usage.overview(nowMs),
    options.app.inbox.listFailed(),
    options.app.inbox.listPending(),
  ]);
  return { usage, failedEvents: failed.length, pendingEvents: pending.length, source: options.usageSource };
}

/**
 * Where to go after signing in: one of the dashboard's sections, never another site, and never a
 * path with a caller's number in it (the sign-in page is what anyone without the token sees).
 */
function safeNext(value: unknown): string {
  const sections = ["/dashboard/callers", "/dashboard/events"];
  return sections.find((section) => typeof value === "string" && (value === section || value.startsWith(`${section}/`))) ?? "/dashboard";
}

