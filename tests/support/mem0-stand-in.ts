import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Mem0 Cloud's v3 Platform API, so the real `mem0ai` 3.x `MemoryClient` and our
 * adapter are exercised over HTTP. It follows Mem0's published OpenAPI document and Platform pages
 * (`shared/reference/`); `tests/contract/mem0-stand-in.contract.test.ts` checks every exchange it has
 * with the real client against that document (`tests/support/mem0-openapi.ts`).
 *
 * | call                      | request                                   | what the stand-in answers |
 * |---------------------------|-------------------------------------------|---------------------------|
 * | constructor ping          | `GET /v1/ping/`                           | `{ status: "ok", org_id, project_id, user_email }` |
 * | `add` (`infer` true)      | `POST /v3/memories/add/`                  | queued: `{ event_id, status: "PENDING" }`; the ADD event goes PENDING → RUNNING → SUCCEEDED (or FAILED) |
 * | `add` (`infer: false`)    | `POST /v3/memories/add/`                  | Direct Import, synchronous: `{ message, status: "SUCCEEDED", event_id, results: [{ id, data: { memory }, event: "ADD" }] }` |
 * | event status (adapter)    | `GET /v1/event/{event_id}/`               | `{ id, event_type: "ADD" \| "DELETE", status, payload, results, created_at, updated_at, … }`; 404 unknown |
 * | `getAll`                  | `POST /v3/memories/?page=&page_size=`     | always `{ count, next, previous, results }`, newest `created_at` first |
 * | `search`                  | `POST /v3/memories/search/`               | `{ results: [...] }` with `score` in [0, 1] |
 * | `deleteAll`               | `DELETE /v1/memories/?user_id=`           | queued: `{ message, event_id }`; the memories go when the DELETE event completes |
 * | `delete`                  | `DELETE /v1/memories/{memory_id}/`        | immediate; 404 unknown, 400 not a uuid |
 * | `users`                   | `GET /v1/entities/?page=&page_size=`      | always `{ count, next, previous, results, total_users, … }` |
 * | `deleteUsers({ userId })` | `DELETE /v2/entities/user/{name}/`        | queued like `deleteAll`; 400 bad type; 404 no such entity |
 *
 * What it checks, as Mem0 does: `Authorization: Token <key>` (else 401); on add, `messages` (role user |
 * assistant | system, text content) and at least one entity id, and no `org_id` / `project_id` (not part
 * of the v3 body: 400 "unknown parameter", on search and listing too); on search and listing, `filters`
 * that positively scope an entity id and no top-level entity ids (400); the filter grammar of
 * v2-memory-filters.mdx (bare / flat-ANDed / `AND` `OR` `NOT`, entity `eq` `ne` `in` `*`, time `gt` `gte`
 * `lt` `lte` `ne` `in` with explicit `eq` refused, metadata `eq` `ne` `contains`, `memory_ids`,
 * `keywords`, `categories`; an unknown key answers Mem0's exact 400 message); `page_size` 1..200;
 * `top_k` 1..1000 (default 10); `threshold` 0..1 (default 0.1); a non-empty search `query`.
 *
 * Where it behaves like Mem0 by construction:
 * - Entities are kept apart from memories: a user entity appears once an add for that user is
 *   processed and outlives `deleteAll`, until its own (queued) delete removes it and any memories
 *   still scoped to it. Agents, apps and runs an add names become entities too.
 * - Attribution (entity-scoped-memory.mdx): on extraction a fact from a user message gets `user_id`
 *   (or the `agent_id` when no `user_id` was sent); a fact from an assistant message gets `agent_id`
 *   and `user_id: null` only when the add sent an `agent_id`, else it is the user's. Direct Import
 *   writes every entity id given on every record. `app_id` / `run_id` are carried on every record.
 * - Reads (dream.mdx, memory-expiration.mdx): active + superseded by default, merged hidden;
 *   `latest_only: true` → active only; `include_merged: true` → all; memories whose `expiration_date`
 *   is before today (UTC) are hidden unless `show_expired: true`.
 * - `user_id` in list and search items is nullable in the document and real answers differ, so
 *   {@link Mem0StandIn.setUserIdShape} decides: by default ("mixed") a user's memories show it
 *   present / null / absent in turn (by insertion index mod 3). The stored memory always knows it.
 * - The list endpoint names the run `session_id`, search names it `run_id` (as the document says).
 * - Two bugs the pages document are reproduced: a `keywords` filter on search answers 500
 *   (MEM-5746), and an object with both `AND` and `OR` keys drops the `OR` branch.
 *
 * Where it simplifies:
 * - Relevance is word overlap: the share of the query's words (stop words aside) a memory contains,
 *   rounded to 4 places; no semantics, no entity boost, no rerank.
 * - Extraction stores each user / assistant message's text as one memory (system messages are
 *   dropped) and skips text the same scope already has, exactly (Mem0's Merge dedupes by meaning).
 *   Direct Import dedupes exact repeats of a text in the same scope (user, agent, app, run).
 * - Dream's decisions are declared by tests ({@link Mem0StandIn.supersede}, {@link Mem0StandIn.merge},
 *   `seed({ replacedBy })`); nothing is superseded or synthesized on its own. A merged memory shows
 *   its canonical memory's id in `replaced_by` (the only link field the document has).
 * - Processing time is a knob ({@link Mem0StandIn.setProcessingMs}); `failNextEvents` makes events FAIL.
 * - `text` / `keywords_search` filters are case-insensitive substring matches; `categories` are only
 *   what a seed gives (extraction assigns none); `fields` is ignored; an out-of-range page is an
 *   empty page. Entity pages default to 100 and allow up to 1000 (the document gives no numbers).
 * - `org_id` / `project_id` query parameters (deleteAll, entities) act as filters: a foreign one
 *   matches nothing.
 */
export interface Mem0StandIn {
  readonly host: string;
  readonly apiKey: string;
  readonly orgId: string;
  readonly projectId: string;
  /** Every exchange, in order of arrival, with its parsed JSON body and (once answered) the response. */
  readonly requests: readonly RecordedRequest[];
  /** TCP connections accepted so far: a client that keeps its connection open opens one for many requests. */
  readonly connections: number;
  /** Answer the next `times` requests with this status: of any path, or only of `path` when given. */
  failNext(status: 500 | 429, times?: number, path?: string): void;
  /** Hold every response this long (0 to stop). */
  setDelay(ms: number): void;
  /**
   * Process queued events (adds with `infer` true, `deleteAll`, entity deletes) this long after
   * accepting them: `PENDING` for the first half, `RUNNING` for the second, then done. 0 (the default)
   * processes them right after answering (the answer still says `PENDING`).
   */
  setProcessingMs(ms: number): void;
  /** Let the next `times` queued events of `kind` (default: adds) end as `FAILED`, changing nothing. */
  failNextEvents(times?: number, kind?: EventType | "any"): void;
  /** Simulate a server-side filter bug: searches and listings ignore `user_id` filters (every user's memories). */
  ignoreUserFilter(ignore: boolean): void;
  /** How `user_id` shows in list and search items of user-scoped memories (default "mixed"). */
  setUserIdShape(shape: UserIdShape): void;
  /** Put a memory in directly, as if made outside this app (Mem0 dashboard, another integration). */
  seed(memory: SeedMemory): StoredMemory;
  /**
   * Put `count` memories of one user in at once (fast enough for thousands). `make(i)` gives the
   * i-th text / metadata / creation time; by default `Memory i of <user>.`, no metadata, one second
   * apart ending now (so memory `count - 1` is the newest).
   */
  seedMany(userId: string, count: number, make?: (i: number) => SeedManyItem): readonly StoredMemory[];
  /** Dream's Supersede: mark `olderId` outdated, replaced by `newerId`. */
  supersede(olderId: string, newerId: string): void;
  /** Dream's Merge: fold `duplicateId` into `canonicalId` (hidden from reads unless `include_merged`). */
  merge(duplicateId: string, canonicalId: string): void;
  /** Resolve once no queued event is `PENDING` or `RUNNING` (at once when nothing is scheduled, e.g. after `close`). */
  settle(): Promise<void>;
  /** The stored memories in insertion order (every state, expired too), optionally of one owner `user_id`. */
  memories(userId?: string): readonly StoredMemory[];
  /** Names of the user entities Mem0 would list, sorted. */
  users(): readonly string[];
  /** Forget memories, entities, events, requests, injected faults and knobs; drop queued work. */
  reset(): void;
  close(): Promise<void>;
}

type EventType = "ADD" | "DELETE";
type EventStatus = "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED";
type UserIdShape = "present" | "null" | "absent" | "mixed";

export interface RecordedRequest {
  readonly method: string;
  /** The URL path as sent (still percent-encoded). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** What the stand-in answered; absent while the answer is held (`setDelay`). */
  readonly response?: RecordedResponse;
}

interface RecordedResponse {
  readonly status: number;
  readonly body: unknown;
}

interface StoredMemory {
  readonly id: string;
  readonly memory: string;
  /** The owner (never shaped by `setUserIdShape`); null for memories scoped to an agent, app or run only. */
  readonly user_id: string | null;
  readonly agent_id: string | null;
  readonly app_id: string | null;
  readonly run_id: string | null;
  readonly metadata: Record<string, unknown> | null;
  readonly categories: readonly string[];
  readonly created_at: string;
  readonly updated_at: string;
  readonly expiration_date: string | null;
  /** Set by Supersede (the newer memory) or Merge (the canonical memory). */
  readonly replaced_by: string | null;
  /** Set by Merge only. */
  readonly merged_into: string | null;
  readonly state: "active" | "superseded" | "merged";
  /** `observation_datetime` of the add, if sent. */
  readonly observedAt: string | null;
  /** `observation_date` of the add, if sent. */
  readonly observationDate: string | null;
  /** `timezone` of the add, if sent. */
  readonly timezone: string | null;
  readonly origin: "extraction" | "direct-import" | "seed";
}

interface SeedMemory {
  /** The owner; null with an `agentId` (or app / run) for a memory no user owns. */
  userId: string | null;
  text: string;
  metadata?: Record<string, unknown> | null;
  /** ISO date-time (or anything `Date.parse` reads); default now. */
  createdAt?: string;
  agentId?: string | null;
  appId?: string | null;
  runId?: string | null;
  categories?: readonly string[];
  /** `YYYY-MM-DD`. */
  expirationDate?: string | null;
  /** Seed it as superseded by this memory id. */
  replacedBy?: string | null;
  /** Seed it as merged into this memory id. */
  mergedInto?: string | null;
}

interface SeedManyItem {
  text: string;
  metadata?: Record<string, unknown> | null;
  createdAt?: string;
}

type Json = Record<string, unknown>;
type Reply = { status: number; body: unknown; headers?: Record<string, string> };
type EntityType = "user" | "agent" | "app" | "run";

interface MemoryRecord {
  id: string;
  seq: number;
  memory: string;
  user_id: string | null;
  agent_id: string | null;
  app_id: string | null;
  run_id: string | null;
  metadata: Json | null;
  categories: string[];
  created_at: string;
  createdMs: number;
  updated_at: string;
  updatedMs: number;
  expiration_date: string | null;
  replaced_by: string | null;
  merged_into: string | null;
  observedAt: string | null;
  observationDate: string | null;
  timezone: string | null;
  origin: StoredMemory["origin"];
  words?: ReadonlySet<string>;
}

interface EntityRecord {
  id: string;
  type: EntityType;
  name: string;
  created_at: string;
}

interface EventRecord {
  id: string;
  event_type: EventType;
  status: EventStatus;
  payload: Json;
  results: Json[];
  createdMs: number;
  created_at: string;
  updated_at: string;
  started_at?: string;
  completed_at?: string;
  latency?: number;
  error: string | null;
}

interface ReadMode {
  latestOnly: boolean;
  includeMerged: boolean;
  showExpired: boolean;
}

class BadRequest extends Error {}

const ENTITY_KEYS = ["user_id", "agent_id", "app_id", "run_id"] as const;
type EntityKey = (typeof ENTITY_KEYS)[number];
const ENTITY_TYPES: Record<EntityType, EntityKey> = { user: "user_id", agent: "agent_id", app: "app_id", run: "run_id" };
const ALLOWED_FILTER_KEYS = [
  "AND",
  "OR",
  "NOT",
  "user_id",
  "agent_id",
  "app_id",
  "run_id",
  "created_at",
  "updated_at",
  "timestamp",
  "expiration_date",
  "text",
  "categories",
  "metadata",
  "keywords_search",
  "memory_ids",
  "keywords",
] as const;
const UNKNOWN_FILTER_KEY = `Top-level key must be a logical operator or an allowed field: [${ALLOWED_FILTER_KEYS.map((k) => `'${k}'`).join(", ")}]`;
const SCOPE_REQUIRED = "filters must positively scope at least one of user_id, agent_id, app_id, run_id";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const STOP_WORDS = new Set(
  "a an and are as at be but by did do does for from had has have he her his i if in is it its me my of on or our she so that the their them they this to was we were what when where which who with you your".split(
    " ",
  ),
);

/**
 * Start a stand-in on a free port of 127.0.0.1.
 *
 * @example
 * const mem0 = await startMem0StandIn();
 * const store = await createMem0MemoryStore({ apiKey: mem0.apiKey, host: mem0.host });
 */
export async function startMem0StandIn(): Promise<Mem0StandIn> {
  const apiKey = `m0-stand-in-${randomUUID()}`;
  const orgId = "org_stand_in";
  const projectId = "proj_stand_in";
  let host = "";
  let stored: MemoryRecord[] = [];
  let byId = new Map<string, MemoryRecord>();
  let seq = 0;
  let entities = new Map<string, EntityRecord>();
  let events = new Map<string, EventRecord>();
  let requests: { method: string; path: string; query: Record<string, string>; body: unknown; response?: RecordedResponse }[] = [];
  let failures: { status: number; times: number; path?: string } = { status: 500, times: 0 };
  let failedEvents: { times: number; kind: EventType | "any" } = { times: 0, kind: "ADD" };
  let delayMs = 0;
  let processingMs = 0;
  let leakAcrossUsers = false;
  let userIdShape: UserIdShape = "mixed";
  const processingTimers = new Set<NodeJS.Timeout>();
  const holdTimers = new Set<NodeJS.Timeout>();

  // ---- storage -------------------------------------------------------------------------------

  const entityKey = (type: EntityType, name: string) => `${type}\u0000${name}`;
  const ensureEntity = (type: EntityType, name: string | null, createdAt: string): void => {
    if (name === null || entities.has(entityKey(type, name))) return;
    entities.set(entityKey(type, name), { id: randomUUID(), type, name, created_at: createdAt });
  };

  function store(fields: Omit<MemoryRecord, "id" | "seq" | "createdMs" | "updated_at" | "updatedMs"> & { id?: string }): MemoryRecord {
    const createdMs = Date.parse(fields.created_at);
    const record: MemoryRecord = { ...fields, id: fields.id ?? randomUUID(), seq: seq++, createdMs, updated_at: fields.created_at, updatedMs: createdMs };
    stored.push(record);
    byId.set(record.id, record);
    changed();
    return record;
  }

  /**
   * Reads (list, search) answered since the store last changed, by their exact request. The bench sends
   * the same read many times: answering a repeat as Mem0 answers from its indexes keeps the Mem0 rows
   * about the client and the adapter, not about this stand-in scanning a caller's 5,000 memories in the
   * bench's own process. Every change to what a read can see clears it.
   */
  const readCache = new Map<string, Reply>();
  const changed = (): void => readCache.clear();
  function cachedRead(key: string, read: () => Reply): Reply {
    const full = `${todayUtc()}|${key}`;
    const hit = readCache.get(full);
    if (hit !== undefined) return hit;
    const reply = read();
    if (readCache.size >= 1_000) readCache.clear();
    readCache.set(full, reply);
    return reply;
  }

  function removeWhere(doomed: (m: MemoryRecord) => boolean): MemoryRecord[] {
    changed();
    const removed: MemoryRecord[] = [];
    stored = stored.filter((m) => {
      if (!doomed(m)) return true;
      removed.push(m);
      byId.delete(m.id);
      return false;
    });
    return removed;
  }

  // ---- queued events -------------------------------------------------------------------------

  const schedule = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      processingTimers.delete(timer);
      run();
    }, ms);
    processingTimers.add(timer);
  };

  function newEvent(type: EventType, payload: Json): EventRecord {
    const now = new Date();
    const event: EventRecord = {
      id: randomUUID(),
      event_type: type,
      status: "PENDING",
      payload,
      results: [],
      createdMs: now.getTime(),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      error: null,
    };
    events.set(event.id, event);
    return event;
  }

  /** Run `work` as the event's processing, now (processingMs 0) or after processingMs. */
  function enqueue(event: EventRecord, work: () => Json[]): void {
    const start = () => {
      if (events.get(event.id) !== event) return;
      event.status = "RUNNING";
      event.started_at = event.updated_at = new Date().toISOString();
    };
    const finish = () => {
      if (events.get(event.id) !== event) return;
      if (failedEvents.times > 0 && (failedEvents.kind === "any" || failedEvents.kind === event.event_type)) {
        failedEvents = { ...failedEvents, times: failedEvents.times - 1 };
        event.status = "FAILED";
        event.error = "Event processing failed (injected by the stand-in).";
      } else {
        event.results = work();
        event.status = "SUCCEEDED";
      }
      const now = new Date();
      event.completed_at = event.updated_at = now.toISOString();
      event.latency = now.getTime() - event.createdMs;
    };
    if (processingMs <= 0) {
      start();
      finish();
      return;
    }
    schedule(processingMs / 2, start);
    schedule(processingMs, finish);
  }

  // ---- routing -------------------------------------------------------------------------------

  function handle(method: string, path: string, query: Record<string, string>, body: unknown): Reply {
    if (method === "GET" && path === "/v1/ping/") {
      return ok({ status: "ok", org_id: orgId, project_id: projectId, user_email: "stand-in@example.com" });
    }
    if (method === "POST" && path === "/v3/memories/add/") return add(body);
    const event = /^\/v1\/event\/([^/]+)\/$/.exec(path);
    if (method === "GET" && event?.[1]) return eventStatus(decode(event[1]));
    if (method === "POST" && path === "/v3/memories/search/") return cachedRead(`search|${JSON.stringify(body)}`, () => search(body));
    if (method === "POST" && path === "/v3/memories/") return cachedRead(`list|${JSON.stringify(query)}|${JSON.stringify(body)}`, () => list(query, body));
    if (method === "DELETE" && path === "/v1/memories/") return deleteAll(query);
    const one = /^\/v1\/memories\/([^/]+)\/$/.exec(path);
    if (method === "DELETE" && one?.[1]) return deleteOne(decode(one[1]));
    if (method === "PUT" && one?.[1]) return updateOne(decode(one[1]), body);
    if (method === "GET" && path === "/v1/entities/") return listEntities(query);
    const entity = /^\/v2\/entities\/([^/]+)\/([^/]+)\/$/.exec(path);
    if (method === "DELETE" && entity?.[1] && entity[2]) return deleteEntity(decode(entity[1]), decode(entity[2]));
    return { status: 404, body: { detail: "Not found." } };
  }

  // ---- add -----------------------------------------------------------------------------------

  function add(body: unknown): Reply {
    if (!isJson(body)) throw new BadRequest("a JSON object body is required");
    refuseOrgAndProject(body);
    if (!Array.isArray(body.messages) || body.messages.length === 0) throw new BadRequest("messages are required");
    const messages = body.messages.map((m) => {
      if (!isJson(m) || typeof m.content !== "string" || !["user", "assistant", "system"].includes(String(m.role))) {
        throw new BadRequest("each message needs a role (user, assistant or system) and text content");
      }
      return { role: m.role as "user" | "assistant" | "system", content: m.content };
    });
    const scope = entityScope(body);
    if (ENTITY_KEYS.every((k) => scope[k] === null)) throw new BadRequest("At least one of user_id, agent_id, app_id, run_id is required.");
    if (body.metadata !== undefined && body.metadata !== null && !isJson(body.metadata)) throw new BadRequest("metadata must be an object");
    if (body.infer !== undefined && typeof body.infer !== "boolean") throw new BadRequest("infer must be a boolean");
    if (body.timestamp !== undefined && (typeof body.timestamp !== "number" || !Number.isFinite(body.timestamp))) {
      throw new BadRequest("timestamp must be Unix epoch seconds");
    }
    const expiration = body.expiration_date ?? null;
    if (expiration !== null && (typeof expiration !== "string" || !DATE_ONLY.test(expiration))) throw new BadRequest("expiration_date must be YYYY-MM-DD");
    for (const k of ["observation_datetime", "observation_date", "timezone"] as const) {
      if (body[k] !== undefined && typeof body[k] !== "string") throw new BadRequest(`${k} must be a string`);
    }

    const infer = body.infer !== false;
    const metadata = isJson(body.metadata) ? body.metadata : null;
    const createdAt = typeof body.timestamp === "number" ? new Date(Math.floor(body.timestamp) * 1000).toISOString() : undefined;
    const common = {
      metadata,
      categories: [] as string[],
      expiration_date: expiration as string | null,
      replaced_by: null,
      merged_into: null,
      observedAt: typeof body.observation_datetime === "string" ? body.observation_datetime : null,
      observationDate: typeof body.observation_date === "string" ? body.observation_date : null,
      timezone: typeof body.timezone === "string" ? body.timezone : null,
    };
    const noteEntities = (at: string) => {
      for (const [type, key] of Object.entries(ENTITY_TYPES) as [EntityType, EntityKey][]) ensureEntity(type, scope[key], at);
    };

    if (!infer) {
      // Direct Import: synchronous, verbatim, every entity id on every record, exact repeats in the same scope skipped.
      const event = newEvent("ADD", body);
      const at = createdAt ?? new Date().toISOString();
      const results: Json[] = [];
      for (const { role, content } of messages) {
        if (role === "system" || content === "") continue;
        const repeat = stored.some((m) => m.memory === content && ENTITY_KEYS.every((k) => m[k] === scope[k]));
        if (repeat) continue;
        const record = store({ ...common, memory: content, ...scope, created_at: at, origin: "direct-import" });
        results.push({ id: record.id, data: { memory: record.memory }, event: "ADD" });
      }
      noteEntities(at);
      event.status = "SUCCEEDED";
      event.results = results;
      event.started_at = event.completed_at = event.updated_at = new Date().toISOString();
      event.latency = 0;
      return ok({ message: "Memories stored successfully", status: "SUCCEEDED", event_id: event.id, results });
    }

    const event = newEvent("ADD", body);
    enqueue(event, () => {
      const at = createdAt ?? new Date().toISOString();
      const results: Json[] = [];
      for (const { role, content } of messages) {
        const text = content.trim();
        if (role === "system" || text === "") continue;
        const owner =
          role === "user"
            ? scope.user_id !== null
              ? { user_id: scope.user_id, agent_id: null }
              : { user_id: null, agent_id: scope.agent_id }
            : scope.agent_id !== null
              ? { user_id: null, agent_id: scope.agent_id }
              : { user_id: scope.user_id, agent_id: null };
        // Merge stand-in: the same owner (or, for a memory no user or agent owns, the same app and run) has this text already.
        const ownerless = owner.user_id === null && owner.agent_id === null;
        const same = (m: MemoryRecord) =>
          m.memory === text && m.user_id === owner.user_id && m.agent_id === owner.agent_id && (!ownerless || (m.app_id === scope.app_id && m.run_id === scope.run_id));
        if (stored.some(same)) continue;
        const record = store({ ...common, memory: text, ...owner, app_id: scope.app_id, run_id: scope.run_id, created_at: at, origin: "extraction" });
        results.push({ id: record.id, data: { memory: record.memory }, event: "ADD" });
      }
      noteEntities(new Date().toISOString());
      return results;
    });
    return ok({ event_id: event.id, status: "PENDING" });
  }

  function eventStatus(eventId: string): Reply {
    const event = events.get(eventId);
    if (event === undefined) return { status: 404, body: { error: "Event not found or you don't have permission to access it." } };
    const { createdMs: _createdMs, ...shown } = event;
    return ok({ ...shown, metadata: null, graph_status: null });
  }

  // ---- reads ---------------------------------------------------------------------------------

  function readMode(body: Json): ReadMode {
    for (const k of ["latest_only", "include_merged", "show_expired"] as const) {
      if (body[k] !== undefined && typeof body[k] !== "boolean") throw new BadRequest(`${k} must be a boolean`);
    }
    return { latestOnly: body.latest_only === true, includeMerged: body.include_merged === true, showExpired: body.show_expired === true };
  }

  function readable(body: unknown): { body: Json; filter: CompiledFilter; mode: ReadMode } {
    if (!isJson(body)) throw new BadRequest("a JSON object body with filters is required");
    refuseOrgAndProject(body);
    const topLevel = ENTITY_KEYS.filter((k) => body[k] !== undefined);
    if (topLevel.length > 0) throw new BadRequest(`Top-level entity parameters [${topLevel.join(", ")}] are not supported; pass them inside filters.`);
    if (body.filters === undefined || body.filters === null) throw new BadRequest("filters are required");
    const filter = compileFilter(body.filters, { ignoreUser: leakAcrossUsers });
    if (!filter.scoped) throw new BadRequest(SCOPE_REQUIRED);
    return { body, filter, mode: readMode(body) };
  }

  /**
   * The memories a read may match, newest first: those of the user its filters name (top-level or in
   * the top-level AND), from an index rebuilt whenever the store changed, else all of them. Only narrows
   * what the filter would test anyway, as Mem0's own per-user index does, so the bench's Mem0 rows
   * measure the client and the adapter rather than the stand-in scanning and sorting the whole store.
   */
  let index: { array: MemoryRecord[]; length: number; byUser: Map<string, MemoryRecord[]> } | undefined;
  function candidates(filters: unknown): readonly MemoryRecord[] {
    const user = leakAcrossUsers ? undefined : scopedUser(filters);
    if (user === undefined) return [...stored].sort(newestFirst);
    if (index === undefined || index.array !== stored || index.length !== stored.length) {
      const byUser = new Map<string, MemoryRecord[]>();
      for (const m of stored) {
        if (m.user_id === null) continue;
        const own = byUser.get(m.user_id);
        if (own === undefined) byUser.set(m.user_id, [m]);
        else own.push(m);
      }
      for (const own of byUser.values()) own.sort(newestFirst);
      index = { array: stored, length: stored.length, byUser };
    }
    return index.byUser.get(user) ?? [];
  }

  function list(query: Record<string, string>, raw: unknown): Reply {
    const { body, filter, mode } = readable(raw);
    const { page, size } = pageOf(query, body, 200);
    const today = todayUtc();
    const extra = listBodyFilter(body);
    // Candidates come newest first; filtering keeps that order.
    const matching = candidates(body.filters).filter((m) => visible(m, mode, today) && filter.test(m) && extra(m));
    const start = (page - 1) * size;
    return ok(envelope(matching.length, page, size, "/v3/memories/", matching.slice(start, start + size).map(listItem)));
  }

  function search(raw: unknown): Reply {
    if (isJson(raw) && (typeof raw.query !== "string" || raw.query.trim() === "")) throw new BadRequest("query is required and must not be empty");
    const { body, filter, mode } = readable(raw);
    if (filter.usesKeywords) {
      // Mem0's documented MEM-5746: a keywords filter on search answers 500 (v2-memory-filters.mdx).
      return { status: 500, body: { detail: "Internal server error" } };
    }
    const topK = body.top_k ?? 10;
    if (typeof topK !== "number" || !Number.isInteger(topK) || topK < 1 || topK > 1000) throw new BadRequest("top_k must be an integer between 1 and 1000");
    const threshold = body.threshold ?? 0.1;
    if (typeof threshold !== "number" || !(threshold >= 0 && threshold <= 1)) throw new BadRequest("threshold must be a number between 0 and 1");
    const extra = searchBodyFilter(body);
    const today = todayUtc();
    const wanted = queryWords(body.query as string);
    const results = candidates(body.filters)
      .filter((m) => visible(m, mode, today) && filter.test(m) && extra(m))
      .map((m) => ({ m, score: overlap(wanted, wordsOf(m)) }))
      .filter(({ score }) => score >= threshold)
      .sort((a, b) => b.score - a.score || b.m.createdMs - a.m.createdMs || b.m.seq - a.m.seq)
      .slice(0, topK)
      .map(({ m, score }) => searchItem(m, score));
    return ok({ results });
  }

  function userIdOf(m: MemoryRecord): Json {
    if (m.user_id === null) return userIdShape === "absent" ? {} : { user_id: null };
    const shape = userIdShape === "mixed" ? (["present", "null", "absent"] as const)[m.seq % 3] : userIdShape;
    return shape === "present" ? { user_id: m.user_id } : shape === "null" ? { user_id: null } : {};
  }

  function listItem(m: MemoryRecord): Json {
    return {
      id: m.id,
      memory: m.memory,
      ...userIdOf(m),
      agent_id: m.agent_id,
      app_id: m.app_id,
      session_id: m.run_id,
      metadata: m.metadata,
      categories: [...m.categories],
      replaced_by: m.replaced_by,
      synthesized: false,
      expiration_date: m.expiration_date,
      created_at: m.created_at,
      updated_at: m.updated_at,
    };
  }

  function searchItem(m: MemoryRecord, score: number): Json {
    return {
      id: m.id,
      memory: m.memory,
      ...userIdOf(m),
      agent_id: m.agent_id,
      app_id: m.app_id,
      run_id: m.run_id,
      metadata: m.metadata,
      categories: [...m.categories],
      expiration_date: m.expiration_date,
      score,
      created_at: m.created_at,
      updated_at: m.updated_at,
    };
  }

  function envelope(count: number, page: number, size: number, path: string, results: unknown[]): Json {
    const link = (n: number) => `${host}${path}?page=${n}&page_size=${size}`;
    return { count, next: page * size < count ? link(page + 1) : null, previous: page > 1 ? link(page - 1) : null, results };
  }

  // ---- deletes -------------------------------------------------------------------------------

  function deleteAll(query: Record<string, string>): Reply {
    const given = ENTITY_KEYS.filter((k) => query[k] !== undefined && query[k] !== "");
    if (given.length === 0) throw new BadRequest("At least one filter (user_id, agent_id, app_id or run_id) is required to delete memories.");
    const foreign = foreignScope(query);
    const event = newEvent("DELETE", { ...query });
    enqueue(event, () => {
      if (foreign) return [];
      const doomed = (m: MemoryRecord) => given.every((k) => (query[k] === "*" ? m[k] !== null : m[k] === query[k]));
      return removeWhere(doomed).map((m) => ({ id: m.id, data: { memory: m.memory }, event: "DELETE" }));
    });
    return ok({ message: "Memories deletion has been queued for background execution.", event_id: event.id });
  }

  function deleteOne(memoryId: string): Reply {
    if (!UUID.test(memoryId)) return { status: 400, body: { error: "memory_id should be a valid UUID" } };
    if (!byId.has(memoryId)) return { status: 404, body: { error: "Memory not found!" } };
    removeWhere((m) => m.id === memoryId);
    return ok({ message: "Memory deleted successfully!" });
  }

  /**
   * `PUT /v1/memories/{memory_id}/` (memories_update): a new text, metadata (replacing the old) or
   * expiration date (`null` clears it; memory-expiration.mdx), answered with the memory as it now is.
   */
  function updateOne(memoryId: string, body: unknown): Reply {
    if (!UUID.test(memoryId)) return { status: 400, body: { error: "memory_id should be a valid UUID" } };
    const memory = byId.get(memoryId);
    if (memory === undefined) return { status: 404, body: { error: "Memory not found!" } };
    if (!isJson(body)) throw new BadRequest("a JSON object body is required");
    const unknown = Object.keys(body).filter((k) => !["text", "metadata", "expiration_date", "timestamp"].includes(k));
    if (unknown.length > 0) throw new BadRequest(`unknown fields: ${unknown.join(", ")}`);
    if (body.text === undefined && body.metadata === undefined && body.expiration_date === undefined && body.timestamp === undefined) {
      throw new BadRequest("At least one of text, metadata, timestamp, or expiration_date must be provided.");
    }
    if (body.text !== undefined && (typeof body.text !== "string" || body.text.trim() === "")) throw new BadRequest("text must be a non-empty string");
    if (body.metadata !== undefined && body.metadata !== null && !isJson(body.metadata)) throw new BadRequest("metadata must be an object");
    const expiration = body.expiration_date;
    if (expiration !== undefined && expiration !== null && (typeof expiration !== "string" || !DATE_ONLY.test(expiration))) {
      throw new BadRequest("expiration_date must be YYYY-MM-DD or null");
    }
    changed();
    if (typeof body.text === "string") {
      memory.memory = body.text;
      delete memory.words;
    }
    if (body.metadata !== undefined) memory.metadata = isJson(body.metadata) ? body.metadata : null;
    if (expiration !== undefined) memory.expiration_date = expiration as string | null;
    const now = new Date();
    memory.updated_at = now.toISOString();
    memory.updatedMs = now.getTime();
    return ok({ ...listItem(memory), structured_attributes: null, lifecycle_state: memory.replaced_by === null ? "active" : "superseded" });
  }

  function listEntities(query: Record<string, string>): Reply {
    const { page, size } = pageOf(query, {}, 1000);
    const counts = new Map<string, number>();
    for (const m of stored) {
      for (const [type, key] of Object.entries(ENTITY_TYPES) as [EntityType, EntityKey][]) {
        const name = m[key];
        if (name !== null) counts.set(entityKey(type, name), (counts.get(entityKey(type, name)) ?? 0) + 1);
      }
    }
    const order: EntityType[] = ["user", "agent", "app", "run"];
    const all = foreignScope(query)
      ? []
      : [...entities.values()].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const start = (page - 1) * size;
    const results = all.slice(start, start + size).map((e) => ({
      id: e.id,
      name: e.name,
      type: e.type,
      owner: "stand-in",
      organization: orgId,
      metadata: null,
      total_memories: counts.get(entityKey(e.type, e.name)) ?? 0,
      created_at: e.created_at,
      updated_at: e.created_at,
    }));
    const total = (type: EntityType) => all.filter((e) => e.type === type).length;
    return ok({
      ...envelope(all.length, page, size, "/v1/entities/", results),
      total_users: total("user"),
      total_agents: total("agent"),
      total_apps: total("app"),
      total_runs: total("run"),
    });
  }

  function deleteEntity(type: string, name: string): Reply {
    if (!(type in ENTITY_TYPES)) return { status: 400, body: { message: "Invalid entity type" } };
    const entityType = type as EntityType;
    if (!entities.has(entityKey(entityType, name))) return { status: 404, body: { detail: "Not found." } };
    const event = newEvent("DELETE", { entity_type: type, entity_id: name });
    enqueue(event, () => {
      entities.delete(entityKey(entityType, name));
      const key = ENTITY_TYPES[entityType];
      return removeWhere((m) => m[key] === name).map((m) => ({ id: m.id, data: { memory: m.memory }, event: "DELETE" }));
    });
    return ok({ message: "Delete in progress. This may take some time.", event_id: event.id });
  }

  // ---- helpers that need the stand-in's state ------------------------------------------------

  function foreignScope(query: Record<string, string>): boolean {
    return (query.org_id !== undefined && query.org_id !== orgId) || (query.project_id !== undefined && query.project_id !== projectId);
  }

  function seedOne(memory: SeedMemory): MemoryRecord {
    const createdAt = normalizeDateTime(memory.createdAt ?? new Date().toISOString());
    const expiration = memory.expirationDate ?? null;
    if (expiration !== null && !DATE_ONLY.test(expiration)) throw new TypeError(`seed: expirationDate ${expiration} is not YYYY-MM-DD`);
    const scope = { user_id: memory.userId ?? null, agent_id: memory.agentId ?? null, app_id: memory.appId ?? null, run_id: memory.runId ?? null };
    if (ENTITY_KEYS.every((k) => scope[k] === null)) throw new TypeError("seed: a memory needs at least one of userId, agentId, appId, runId");
    for (const [type, key] of Object.entries(ENTITY_TYPES) as [EntityType, EntityKey][]) ensureEntity(type, scope[key], createdAt);
    return store({
      memory: memory.text,
      ...scope,
      metadata: memory.metadata ?? null,
      categories: [...(memory.categories ?? [])],
      created_at: createdAt,
      expiration_date: expiration,
      replaced_by: memory.replacedBy ?? memory.mergedInto ?? null,
      merged_into: memory.mergedInto ?? null,
      observedAt: null,
      observationDate: null,
      timezone: null,
      origin: "seed",
    });
  }

  function existing(id: string, role: string): MemoryRecord {
    const record = byId.get(id);
    if (record === undefined) throw new Error(`Mem0 stand-in: no memory ${id} (${role})`);
    return record;
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  const server = createServer((req, res) => {
    void serve(req, res);
  });
  let connections = 0;
  server.on("connection", () => {
    connections += 1;
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    // Faults are decided on arrival, so a test that saw a request recorded knows its fate is sealed.
    const fault = failures.times > 0 && (failures.path === undefined || failures.path === url.pathname) ? failures.status : undefined;
    if (fault !== undefined) failures = { ...failures, times: failures.times - 1 };
    const hold = delayMs;

    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    let body: unknown = undefined;
    let malformed = false;
    if (raw !== "") {
      try {
        body = JSON.parse(raw);
      } catch {
        malformed = true;
      }
    }
    const method = req.method ?? "GET";
    const record: (typeof requests)[number] = { method, path: url.pathname, query, body };
    requests.push(record);

    if (hold > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          holdTimers.delete(timer);
          resolve();
        }, hold);
        holdTimers.add(timer);
      });
    }
    let reply: Reply;
    if (req.headers.authorization !== `Token ${apiKey}`) reply = { status: 401, body: { detail: "Invalid API key" } };
    else if (fault !== undefined) {
      reply = { status: fault, body: { detail: fault === 429 ? "Rate limit exceeded" : "Internal server error" }, headers: fault === 429 ? { "Retry-After": "1" } : {} };
    } else if (malformed) reply = invalid("malformed JSON");
    else {
      try {
        reply = handle(method, url.pathname, query, body);
      } catch (error) {
        if (!(error instanceof BadRequest)) throw error;
        reply = invalid(error.message);
      }
    }
    record.response = { status: reply.status, body: reply.body };

    if (res.destroyed) return;
    res.writeHead(reply.status, { "Content-Type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  host = `http://127.0.0.1:${port}`;

  return {
    host,
    apiKey,
    orgId,
    projectId,
    get requests() {
      return requests;
    },
    get connections() {
      return connections;
    },
    failNext: (status, times = 1, path) => {
      failures = { status, times, ...(path === undefined ? {} : { path }) };
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    setProcessingMs: (ms) => {
      processingMs = ms;
    },
    failNextEvents: (times = 1, kind = "ADD") => {
      failedEvents = { times, kind };
    },
    ignoreUserFilter: (ignore) => {
      leakAcrossUsers = ignore;
      changed();
    },
    setUserIdShape: (shape) => {
      userIdShape = shape;
      changed();
    },
    seed: (memory) => toStored(seedOne(memory)),
    seedMany: (userId, count, make) => {
      const now = Date.now();
      const made: StoredMemory[] = [];
      for (let i = 0; i < count; i += 1) {
        const item = make?.(i) ?? { text: `Memory ${i} of ${userId}.` };
        const createdAt = item.createdAt ?? new Date(now - (count - 1 - i) * 1000).toISOString();
        made.push(toStored(seedOne({ userId, text: item.text, metadata: item.metadata ?? null, createdAt })));
      }
      return made;
    },
    supersede: (olderId, newerId) => {
      const older = existing(olderId, "the older memory");
      existing(newerId, "the newer memory");
      older.replaced_by = newerId;
      older.merged_into = null;
      changed();
    },
    merge: (duplicateId, canonicalId) => {
      const duplicate = existing(duplicateId, "the duplicate");
      existing(canonicalId, "the canonical memory");
      duplicate.replaced_by = canonicalId;
      duplicate.merged_into = canonicalId;
      changed();
    },
    settle: async () => {
      // Queued work only happens on its timers: none left (closed, reset) means nothing will change.
      while (processingTimers.size > 0 && [...events.values()].some((e) => e.status === "PENDING" || e.status === "RUNNING")) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    memories: (userId) => (userId === undefined ? stored : stored.filter((m) => m.user_id === userId)).map(toStored),
    users: () =>
      [...entities.values()]
        .filter((e) => e.type === "user")
        .map((e) => e.name)
        .sort(),
    reset: () => {
      for (const timer of processingTimers) clearTimeout(timer);
      processingTimers.clear();
      stored = [];
      byId = new Map();
      seq = 0;
      entities = new Map();
      events = new Map();
      requests = [];
      connections = 0;
      failures = { status: 500, times: 0 };
      failedEvents = { times: 0, kind: "ADD" };
      delayMs = 0;
      processingMs = 0;
      leakAcrossUsers = false;
      userIdShape = "mixed";
      changed();
    },
    close: async () => {
      for (const timer of [...processingTimers, ...holdTimers]) clearTimeout(timer);
      processingTimers.clear();
      holdTimers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---- filters (v2-memory-filters.mdx) -------------------------------------------------------------

/** Mem0's listing order: newest `created_at` first, the later stored first among equals. */
function newestFirst(a: MemoryRecord, b: MemoryRecord): number {
  return b.createdMs - a.createdMs || b.seq - a.seq;
}

/** The user a filter positively names at its top level (bare value, not `*`), if any. */
function scopedUser(filters: unknown): string | undefined {
  if (!isJson(filters)) return undefined;
  const named = (clause: unknown) => (isJson(clause) && typeof clause.user_id === "string" && clause.user_id !== "*" ? clause.user_id : undefined);
  return named(filters) ?? (Array.isArray(filters.AND) ? filters.AND.map(named).find((u) => u !== undefined) : undefined);
}

interface CompiledFilter {
  test: (m: MemoryRecord) => boolean;
  /** Whether every match is positively scoped to an entity id (`eq`, bare value, `in` or `*`). */
  scoped: boolean;
  usesKeywords: boolean;
}

/** Compile Mem0 filters into a predicate, or throw {@link BadRequest} as Mem0 answers 400. */
function compileFilter(filters: unknown, options: { ignoreUser: boolean }): CompiledFilter {
  if (!isJson(filters)) throw new BadRequest("filters must be an object");
  return compileNode(filters, options);
}

function compileNode(node: unknown, options: { ignoreUser: boolean }): CompiledFilter {
  if (!isJson(node)) throw new BadRequest("each filter condition must be an object");
  const parts: CompiledFilter[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (!(ALLOWED_FILTER_KEYS as readonly string[]).includes(key)) throw new BadRequest(UNKNOWN_FILTER_KEY);
    // Mem0 today drops an OR that sits beside an AND in the same object (v2-memory-filters.mdx).
    if (key === "OR" && "AND" in node) continue;
    parts.push(compileKey(key, value, options));
  }
  return allOf(parts);
}

function allOf(parts: CompiledFilter[]): CompiledFilter {
  return { test: (m) => parts.every((p) => p.test(m)), scoped: parts.some((p) => p.scoped), usesKeywords: parts.some((p) => p.usesKeywords) };
}

function compileKey(key: string, value: unknown, options: { ignoreUser: boolean }): CompiledFilter {
  const plain = (test: (m: MemoryRecord) => boolean, extra: Partial<CompiledFilter> = {}): CompiledFilter => ({ test, scoped: false, usesKeywords: false, ...extra });
  switch (key) {
    case "AND": {
      if (!Array.isArray(value)) throw new BadRequest("AND takes a list of conditions");
      return allOf(value.map((v) => compileNode(v, options)));
    }
    case "OR": {
      if (!Array.isArray(value) || value.length === 0) throw new BadRequest("OR takes a non-empty list of conditions");
      const parts = value.map((v) => compileNode(v, options));
      return { test: (m) => parts.some((p) => p.test(m)), scoped: parts.every((p) => p.scoped), usesKeywords: parts.some((p) => p.usesKeywords) };
    }
    case "NOT": {
      const inner = Array.isArray(value) ? allOf(value.map((v) => compileNode(v, options))) : compileNode(value, options);
      return plain((m) => !inner.test(m), { usesKeywords: inner.usesKeywords });
    }
    case "user_id":
    case "agent_id":
    case "app_id":
    case "run_id": {
      const compiled = entityCondition(key, value);
      return key === "user_id" && options.ignoreUser ? { ...compiled, test: () => true } : compiled;
    }
    case "created_at":
    case "updated_at":
    case "timestamp":
    case "expiration_date":
      return plain(timeCondition(key, value));
    case "metadata":
      return plain(metadataCondition(value));
    case "memory_ids": {
      const ids = isJson(value) && Object.keys(value).length === 1 && Array.isArray(value.in) ? value.in : value;
      if (!Array.isArray(ids) || !ids.every((i) => typeof i === "string")) throw new BadRequest("memory_ids takes a list of memory ids");
      const wanted = new Set(ids);
      return plain((m) => wanted.has(m.id));
    }
    case "keywords":
      return plain(textCondition(key, value, false), { usesKeywords: true });
    case "text":
    case "keywords_search":
      return plain(textCondition(key, value, true));
    case "categories": {
      if (!isJson(value)) throw new BadRequest("categories takes {in: [...]} or {contains: ...}");
      const tests = Object.entries(value).map(([op, operand]): ((m: MemoryRecord) => boolean) => {
        if (op === "in" && Array.isArray(operand)) return (m) => m.categories.some((c) => operand.includes(c));
        if (op === "contains" && typeof operand === "string") return (m) => m.categories.some((c) => c.toLowerCase().includes(operand.toLowerCase()));
        throw new BadRequest(`categories supports only 'in' and 'contains', not '${op}'`);
      });
      return plain((m) => tests.every((t) => t(m)));
    }
    default:
      throw new BadRequest(UNKNOWN_FILTER_KEY);
  }
}

function entityCondition(key: EntityKey, value: unknown): CompiledFilter {
  const equals = (wanted: string) => (m: MemoryRecord) => (wanted === "*" ? m[key] !== null : m[key] === wanted);
  if (typeof value === "string" && value !== "") return { test: equals(value), scoped: true, usesKeywords: false };
  if (!isJson(value) || Object.keys(value).length === 0) throw new BadRequest(`${key} takes a value, "*", or {eq | ne | in}`);
  const tests: ((m: MemoryRecord) => boolean)[] = [];
  let scoped = false;
  for (const [op, operand] of Object.entries(value)) {
    if (op === "eq" && typeof operand === "string" && operand !== "") {
      tests.push(equals(operand));
      scoped = true;
    } else if (op === "ne" && typeof operand === "string") {
      tests.push((m) => m[key] !== operand);
    } else if (op === "in" && Array.isArray(operand) && operand.length > 0 && operand.every((v) => typeof v === "string")) {
      tests.push((m) => m[key] !== null && operand.includes(m[key]));
      scoped = true;
    } else {
      throw new BadRequest(`${key} supports only 'eq', 'ne', 'in' and '*' (got '${op}')`);
    }
  }
  return { test: (m) => tests.every((t) => t(m)), scoped, usesKeywords: false };
}

function timeCondition(key: "created_at" | "updated_at" | "timestamp" | "expiration_date", value: unknown): (m: MemoryRecord) => boolean {
  const valueOf = (m: MemoryRecord): number | null => {
    if (key === "updated_at") return m.updatedMs;
    if (key === "expiration_date") {
      const ms = m.expiration_date === null ? NaN : Date.parse(m.expiration_date);
      return Number.isNaN(ms) ? null : ms;
    }
    return m.createdMs;
  };
  const equalTo = (operand: unknown) => {
    const ms = instant(operand, key);
    const day = typeof operand === "string" && DATE_ONLY.test(operand);
    return (v: number) => (day ? v >= ms && v < ms + 86_400_000 : v === ms);
  };
  if (!isJson(value)) {
    const eq = equalTo(value);
    return (m) => {
      const v = valueOf(m);
      return v !== null && eq(v);
    };
  }
  const tests = Object.entries(value).map(([op, operand]): ((m: MemoryRecord) => boolean) => {
    if (op === "eq") throw new BadRequest(`Explicit 'eq' is not supported for ${key}; pass a bare value instead`);
    if (op === "ne") {
      const eq = equalTo(operand);
      return (m) => {
        const v = valueOf(m);
        return v === null || !eq(v);
      };
    }
    if (op === "in") {
      if (!Array.isArray(operand) || operand.length === 0) throw new BadRequest(`${key} 'in' takes a non-empty list`);
      const eqs = operand.map(equalTo);
      return (m) => {
        const v = valueOf(m);
        return v !== null && eqs.some((eq) => eq(v));
      };
    }
    const bound = instant(operand, key);
    const compare: Record<string, (v: number) => boolean> = { gt: (v) => v > bound, gte: (v) => v >= bound, lt: (v) => v < bound, lte: (v) => v <= bound };
    const cmp = compare[op];
    if (cmp === undefined) throw new BadRequest(`${key} supports only gt, gte, lt, lte, ne and in (got '${op}')`);
    return (m) => {
      const v = valueOf(m);
      return v !== null && cmp(v);
    };
  });
  return (m) => tests.every((t) => t(m));
}

function metadataCondition(value: unknown): (m: MemoryRecord) => boolean {
  if (!isJson(value) || Object.keys(value).length === 0) throw new BadRequest("metadata takes {key: value} of top-level metadata keys");
  const tests = Object.entries(value).map(([field, condition]): ((m: MemoryRecord) => boolean) => {
    const get = (m: MemoryRecord) => m.metadata?.[field];
    if (!isJson(condition)) return (m) => sameValue(get(m), condition);
    const ops = Object.entries(condition).map(([op, operand]): ((m: MemoryRecord) => boolean) => {
      if (op === "eq") return (m) => sameValue(get(m), operand);
      if (op === "ne") return (m) => !sameValue(get(m), operand);
      if (op === "contains") {
        return (m) => {
          const v = get(m);
          return typeof v === "string" ? v.includes(String(operand)) : Array.isArray(v) ? v.some((x) => sameValue(x, operand)) : false;
        };
      }
      throw new BadRequest(`FilterValidationError: metadata supports only eq, ne and contains (got '${op}')`);
    });
    return (m) => ops.every((t) => t(m));
  });
  return (m) => tests.every((t) => t(m));
}

function textCondition(key: string, value: unknown, bareAllowed: boolean): (m: MemoryRecord) => boolean {
  if (bareAllowed && typeof value === "string") return (m) => m.memory.toLowerCase().includes(value.toLowerCase());
  if (!isJson(value) || Object.keys(value).length === 0) throw new BadRequest(`${key} takes {contains: ...} or {icontains: ...}`);
  const tests = Object.entries(value).map(([op, operand]): ((m: MemoryRecord) => boolean) => {
    if (typeof operand !== "string") throw new BadRequest(`${key} ${op} takes text`);
    if (op === "contains") return (m) => m.memory.includes(operand);
    if (op === "icontains") return (m) => m.memory.toLowerCase().includes(operand.toLowerCase());
    throw new BadRequest(`${key} supports only contains and icontains (got '${op}')`);
  });
  return (m) => tests.every((t) => t(m));
}

/** The list body's own narrowing fields (start_date, end_date, categories, keywords), as documented. */
function listBodyFilter(body: Json): (m: MemoryRecord) => boolean {
  const tests: ((m: MemoryRecord) => boolean)[] = [];
  if (body.start_date !== undefined) {
    const from = instant(body.start_date, "start_date");
    tests.push((m) => m.createdMs >= from);
  }
  if (body.end_date !== undefined) {
    const to = instant(body.end_date, "end_date") + (typeof body.end_date === "string" && DATE_ONLY.test(body.end_date) ? 86_400_000 : 1);
    tests.push((m) => m.createdMs < to);
  }
  tests.push(...categoriesOf(body));
  if (body.keywords !== undefined) {
    if (typeof body.keywords !== "string") throw new BadRequest("keywords must be text");
    const wanted = body.keywords.toLowerCase();
    tests.push((m) => m.memory.toLowerCase().includes(wanted));
  }
  return (m) => tests.every((t) => t(m));
}

/** The search body's own narrowing fields (categories, metadata), as documented. */
function searchBodyFilter(body: Json): (m: MemoryRecord) => boolean {
  const tests = categoriesOf(body);
  if (body.metadata !== undefined && body.metadata !== null) {
    if (!isJson(body.metadata)) throw new BadRequest("metadata must be an object");
    const wanted = Object.entries(body.metadata);
    tests.push((m) => wanted.every(([k, v]) => sameValue(m.metadata?.[k], v)));
  }
  return (m) => tests.every((t) => t(m));
}

function categoriesOf(body: Json): ((m: MemoryRecord) => boolean)[] {
  if (body.categories === undefined) return [];
  const wanted = body.categories;
  if (!Array.isArray(wanted) || !wanted.every((c) => typeof c === "string")) throw new BadRequest("categories must be a list of names");
  return [(m) => m.categories.some((c) => wanted.includes(c))];
}

// ---- small helpers -------------------------------------------------------------------------------

/** Dream and expiration: which memories a read returns (dream.mdx, memory-expiration.mdx). */
function visible(m: MemoryRecord, mode: ReadMode, today: string): boolean {
  if (m.merged_into !== null) {
    if (mode.latestOnly || !mode.includeMerged) return false;
  } else if (m.replaced_by !== null && mode.latestOnly) {
    return false;
  }
  // Inclusive of the date itself, evaluated in UTC; a malformed date fails open.
  if (!mode.showExpired && m.expiration_date !== null && DATE_ONLY.test(m.expiration_date) && m.expiration_date < today) return false;
  return true;
}

function pageOf(query: Record<string, string>, body: Json, maxSize: number): { page: number; size: number } {
  const raw = (name: string): unknown => query[name] ?? body[name];
  const read = (name: string, fallback: number, max: number): number => {
    const value = raw(name);
    if (value === undefined || value === null) return fallback;
    const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > max) throw new BadRequest(`${name} must be an integer between 1 and ${max}`);
    return n;
  };
  return { page: read("page", 1, Number.MAX_SAFE_INTEGER), size: read("page_size", 100, maxSize) };
}

function entityScope(body: Json): Record<EntityKey, string | null> {
  const scope = {} as Record<EntityKey, string | null>;
  for (const k of ENTITY_KEYS) {
    const v = body[k];
    if (v !== undefined && v !== null && typeof v !== "string") throw new BadRequest(`${k} must be a string`);
    scope[k] = typeof v === "string" && v !== "" ? v : null;
  }
  return scope;
}

function refuseOrgAndProject(body: Json): void {
  const unknown = ["org_id", "project_id"].filter((k) => k in body);
  if (unknown.length > 0) throw new BadRequest(`unknown parameter(s): ${unknown.join(", ")} (not part of the v3 API; the API key decides the project)`);
}

function instant(value: unknown, field: string): number {
  if (typeof value === "number" && Number.isFinite(value)) return value * 1000;
  if (typeof value === "string" && (DATE_ONLY.test(value) || DATE_TIME.test(value))) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new BadRequest(`${field}: ${JSON.stringify(value)} is not an ISO date or date-time`);
}

function normalizeDateTime(value: string): string {
  if (DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new TypeError(`Mem0 stand-in: ${value} is not a date`);
  return new Date(ms).toISOString();
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && a !== null && JSON.stringify(a) === JSON.stringify(b));
}

function toStored(m: MemoryRecord): StoredMemory {
  return {
    id: m.id,
    memory: m.memory,
    user_id: m.user_id,
    agent_id: m.agent_id,
    app_id: m.app_id,
    run_id: m.run_id,
    metadata: m.metadata,
    categories: [...m.categories],
    created_at: m.created_at,
    updated_at: m.updated_at,
    expiration_date: m.expiration_date,
    replaced_by: m.replaced_by,
    merged_into: m.merged_into,
    state: m.merged_into !== null ? "merged" : m.replaced_by !== null ? "superseded" : "active",
    observedAt: m.observedAt,
    observationDate: m.observationDate,
    timezone: m.timezone,
    origin: m.origin,
  };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function words(text: string): string[] {
  return text.toLowerCase().normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? [];
}

function wordsOf(m: MemoryRecord): ReadonlySet<string> {
  m.words ??= new Set(words(m.memory));
  return m.words;
}

function queryWords(query: string): Set<string> {
  const all = [...new Set(words(query))];
  const meaningful = all.filter((w) => !STOP_WORDS.has(w));
  return new Set(meaningful.length > 0 ? meaningful : all);
}

/** Share of the query's words the memory contains, rounded to 4 places. */
function overlap(wanted: ReadonlySet<string>, have: ReadonlySet<string>): number {
  if (wanted.size === 0) return 0;
  let hits = 0;
  for (const w of wanted) if (have.has(w)) hits += 1;
  return Math.round((hits / wanted.size) * 10_000) / 10_000;
}

function isJson(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function invalid(message: string): Reply {
  return { status: 400, body: { error: message } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
