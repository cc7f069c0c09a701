import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Mem0 Cloud that speaks the REST subset the `mem0ai` 3.x `MemoryClient` and
 * our adapter use, so the real client is exercised over HTTP:
 *
 * | call                    | request                                   |
 * |-------------------------|-------------------------------------------|
 * | constructor ping        | `GET /v1/ping/`                           |
 * | `add`                   | `POST /v3/memories/add/` (queued: answers an event id) |
 * | event status (adapter)  | `GET /v1/event/{event_id}/`               |
 * | `search`                | `POST /v3/memories/search/`               |
 * | `getAll`                | `POST /v3/memories/?page=&page_size=`     |
 * | `deleteAll`             | `DELETE /v1/memories/?user_id=`           |
 * | `delete`                | `DELETE /v1/memories/{memory_id}/`        |
 * | `users`                 | `GET /v1/entities/?page=&page_size=`      |
 * | `deleteUsers({ userId })` | `DELETE /v2/entities/user/{name}/`      |
 *
 * User entities are kept apart from memories, as Mem0 keeps them: an entity appears once an add for
 * that user is processed and stays after `deleteAll` until its own delete removes it. That delete
 * answers 400 for an unknown entity type and 404 for a name with no entity (Mem0's reference lists no
 * 404; this is the assumption the store is tested against), and, unlike Mem0, is not queued.
 *
 * Like Mem0 it refuses requests without `Authorization: Token <key>` (401), refuses top-level entity
 * ids on search and listing (400), needs an entity on add and delete (400), and treats `*` as "every
 * value". Relevance is word overlap (share of the query's words a memory contains, 0..1).
 * `infer: false` stores each message verbatim; `infer: true` stands in for extraction by storing each
 * user message, skipping text the user already has (Mem0 dedupes by meaning).
 */
export interface Mem0StandIn {
  readonly host: string;
  readonly apiKey: string;
  readonly orgId: string;
  readonly projectId: string;
  /** Every request received, in order, with its parsed JSON body. */
  readonly requests: readonly RecordedRequest[];
  /** Answer the next `times` requests with this status: of any path, or only of `path` when given. */
  failNext(status: 500 | 429, times?: number, path?: string): void;
  /** Hold every response this long (0 to stop). */
  setDelay(ms: number): void;
  /** Process adds this long after accepting them (their events stay `PENDING` meanwhile). */
  setProcessingMs(ms: number): void;
  /** Let the next `times` adds end as `FAILED` events that store nothing. */
  failNextEvents(times?: number): void;
  /** Simulate a server-side filter bug: searches and listings return every user's memories. */
  ignoreUserFilter(ignore: boolean): void;
  /** Put a memory in directly, as if made outside this app (Mem0 dashboard, another integration). */
  seed(memory: { userId: string; text: string; metadata?: Record<string, unknown> | null; createdAt?: string }): void;
  /** The stored memories, optionally of one user. */
  memories(userId?: string): readonly StoredMemory[];
  /** Names of the user entities Mem0 would list, sorted. */
  users(): readonly string[];
  /** Forget memories, user entities, requests and injected faults. */
  reset(): void;
  close(): Promise<void>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface StoredMemory {
  readonly id: string;
  readonly memory: string;
  readonly user_id: string;
  readonly metadata: Record<string, unknown> | null;
  readonly created_at: string;
  readonly updated_at: string;
}

interface UserEntity {
  readonly id: string;
  readonly created_at: string;
}

interface AddEvent {
  status: "PENDING" | "SUCCEEDED" | "FAILED";
  added: StoredMemory[];
}

type Json = Record<string, unknown>;
type Reply = { status: number; body: unknown; headers?: Record<string, string> };

const ENTITY_KEYS = ["user_id", "agent_id", "app_id", "run_id"] as const;
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
  let stored: StoredMemory[] = [];
  let entities = new Map<string, UserEntity>();
  let entitiesCreated = 0;
  let events = new Map<string, AddEvent>();
  let requests: RecordedRequest[] = [];
  let failures: { status: number; times: number; path?: string } = { status: 500, times: 0 };
  let failedEvents = 0;
  let delayMs = 0;
  let processingMs = 0;
  let leakAcrossUsers = false;
  const timers = new Set<NodeJS.Timeout>();

  const ensureUser = (name: string, createdAt: string): void => {
    if (entities.has(name)) return;
    entitiesCreated += 1;
    entities.set(name, { id: String(entitiesCreated), created_at: createdAt });
  };

  const later = (ms: number, run: () => void): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        run();
        resolve();
      }, ms);
      timers.add(timer);
    });

  function handle(method: string, path: string, query: Record<string, string>, body: unknown): Reply {
    if (method === "GET" && path === "/v1/ping/") {
      return ok({ status: "ok", org_id: orgId, project_id: projectId, user_email: "stand-in@example.invalid" });
    }
    const scope = { ...query, ...(isJson(body) ? body : {}) };
    if ((scope.org_id !== undefined && scope.org_id !== orgId) || (scope.project_id !== undefined && scope.project_id !== projectId)) {
      return { status: 403, body: { detail: "You do not have access to this organization or project." } };
    }
    if (method === "POST" && path === "/v3/memories/add/") return add(body);
    const event = /^\/v1\/event\/([^/]+)\/$/.exec(path);
    if (method === "GET" && event?.[1]) return eventStatus(decodeURIComponent(event[1]));
    if (method === "POST" && path === "/v3/memories/search/") return search(body);
    if (method === "POST" && path === "/v3/memories/") return getAll(query, body);
    if (method === "DELETE" && path === "/v1/memories/") return deleteAll(query);
    const one = /^\/v1\/memories\/([^/]+)\/$/.exec(path);
    if (method === "DELETE" && one?.[1]) return deleteOne(decodeURIComponent(one[1]));
    if (method === "GET" && path === "/v1/entities/") return users(query);
    const entity = /^\/v2\/entities\/([^/]+)\/([^/]+)\/$/.exec(path);
    if (method === "DELETE" && entity?.[1] && entity[2]) return deleteEntity(decodeURIComponent(entity[1]), decodeURIComponent(entity[2]));
    return { status: 404, body: { detail: "Not found." } };
  }

  function add(body: unknown): Reply {
    if (!isJson(body) || !Array.isArray(body.messages) || body.messages.length === 0) return invalid("messages are required");
    const messages = body.messages.filter(
      (m): m is { role: string; content: string } => isJson(m) && typeof m.role === "string" && typeof m.content === "string",
    );
    if (messages.length !== body.messages.length) return invalid("each message needs a role and text content");
    if (!ENTITY_KEYS.some((k) => typeof body[k] === "string" && body[k] !== "")) return invalid("one of user_id, agent_id, app_id, run_id is required");
    if (body.metadata !== undefined && body.metadata !== null && !isJson(body.metadata)) return invalid("metadata must be an object");
    if (typeof body.user_id !== "string") return invalid("this stand-in stores user memories only");

    const userId = body.user_id;
    const infer = body.infer !== false;
    const metadata = isJson(body.metadata) ? body.metadata : null;
    const createdAt = typeof body.timestamp === "number" ? new Date(body.timestamp * 1000).toISOString() : new Date().toISOString();
    const eventId = randomUUID();
    const event: AddEvent = { status: "PENDING", added: [] };
    events.set(eventId, event);

    const extract = () => {
      if (failedEvents > 0) {
        failedEvents -= 1;
        event.status = "FAILED";
        return;
      }
      ensureUser(userId, new Date().toISOString());
      const texts = infer ? messages.filter((m) => m.role === "user").map((m) => m.content.trim()) : messages.map((m) => m.content);
      for (const text of texts) {
        if (text === "") continue;
        if (infer && stored.some((m) => m.user_id === userId && m.memory === text)) continue;
        const memory: StoredMemory = { id: randomUUID(), memory: text, user_id: userId, metadata, created_at: createdAt, updated_at: createdAt };
        stored.push(memory);
        event.added.push(memory);
      }
      event.status = "SUCCEEDED";
    };
    if (processingMs > 0) void later(processingMs, extract);
    else extract();

    return ok({ results: [{ message: "Memory processing has been queued for background execution", status: "PENDING", event_id: eventId }] });
  }

  function eventStatus(eventId: string): Reply {
    const event = events.get(eventId);
    if (event === undefined) return { status: 404, body: { detail: "Event not found." } };
    return ok({
      id: eventId,
      event_type: "ADD",
      status: event.status,
      results: event.added.map((m) => ({ id: m.id, event: "ADD", user_id: m.user_id, data: { memory: m.memory } })),
    });
  }

  function search(body: unknown): Reply {
    if (!isJson(body) || typeof body.query !== "string") return invalid("query is required");
    const topLevel = entityKeysIn(body);
    if (topLevel.length > 0) return invalid(`Top-level entity parameters ${topLevel.join(", ")} are not supported; use filters.`);
    const matches = filterMatcher(body.filters);
    if (typeof matches === "string") return invalid(matches);
    const topK = typeof body.top_k === "number" ? body.top_k : 10;
    if (!Number.isInteger(topK) || topK < 1 || topK > 1000) return invalid("top_k must be between 1 and 1000");
    const threshold = typeof body.threshold === "number" ? body.threshold : 0.1;

    const wanted = queryWords(body.query);
    const results = stored
      .filter((m) => leakAcrossUsers || matches(m))
      .map((m) => ({ m, score: overlap(wanted, m.memory) }))
      .filter(({ score }) => score > 0 && score >= threshold)
      .sort((a, b) => b.score - a.score || b.m.created_at.localeCompare(a.m.created_at))
      .slice(0, topK)
      .map(({ m, score }) => ({ ...m, score, categories: [] }));
    return ok({ results });
  }

  function getAll(query: Record<string, string>, body: unknown): Reply {
    if (!isJson(body)) return invalid("a JSON body is required");
    const topLevel = entityKeysIn(body);
    if (topLevel.length > 0) return invalid(`Top-level entity parameters ${topLevel.join(", ")} are not supported; use filters.`);
    const matches = filterMatcher(body.filters);
    if (typeof matches === "string") return invalid(matches);
    const mine = stored
      .map((m, index) => ({ m, index }))
      .filter(({ m }) => leakAcrossUsers || matches(m))
      .sort((a, b) => b.m.created_at.localeCompare(a.m.created_at) || b.index - a.index)
      .map(({ m }) => ({ ...m, categories: [] }));
    return paged(mine, query, "/v3/memories/");
  }

  function deleteAll(query: Record<string, string>): Reply {
    const given = ENTITY_KEYS.filter((k) => query[k] !== undefined && query[k] !== "");
    if (given.length === 0) return invalid("At least one filter is required to delete all memories.");
    const doomed = (m: StoredMemory) => query.user_id !== undefined && (query.user_id === "*" || query.user_id === m.user_id);
    stored = stored.filter((m) => !doomed(m));
    return ok({ message: "Memories deleted successfully!" });
  }

  function deleteOne(memoryId: string): Reply {
    if (!stored.some((m) => m.id === memoryId)) return { status: 404, body: { detail: "Memory not found." } };
    stored = stored.filter((m) => m.id !== memoryId);
    return ok({ message: "Memory deleted successfully!" });
  }

  /** Every user entity, named by its user id, with how many memories it holds now; paged like Mem0 when asked for a page. */
  function users(query: Record<string, string>): Reply {
    const listed = [...entities.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, entity]) => ({
        id: entity.id,
        name,
        type: "user",
        total_memories: stored.filter((m) => m.user_id === name).length,
        owner: "stand-in",
        organization: orgId,
        metadata: {},
        created_at: entity.created_at,
        updated_at: entity.created_at,
      }));
    return paged(listed, query, "/v1/entities/");
  }

  /** Removes the entity only; its memories go with `deleteAll` (this stand-in stores user entities only). */
  function deleteEntity(type: string, name: string): Reply {
    if (!["user", "agent", "app", "run"].includes(type)) return { status: 400, body: { message: "Invalid entity type" } };
    if (type !== "user" || !entities.delete(name)) return { status: 404, body: { detail: "Not found." } };
    return ok({ message: "Delete in progress. This may take some time.", event_id: randomUUID() });
  }

  const server = createServer((req, res) => {
    void serve(req, res);
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
    requests.push({ method, path: url.pathname, query, body });

    if (hold > 0) await later(hold, () => undefined);
    let reply: Reply;
    if (req.headers.authorization !== `Token ${apiKey}`) reply = { status: 401, body: { detail: "Invalid API key" } };
    else if (fault !== undefined) reply = { status: fault, body: { detail: fault === 429 ? "Rate limit exceeded" : "Internal server error" }, headers: fault === 429 ? { "Retry-After": "1" } : {} };
    else if (malformed) reply = invalid("malformed JSON");
    else reply = handle(method, url.pathname, query, body);

    if (res.destroyed) return;
    res.writeHead(reply.status, { "Content-Type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: `http://127.0.0.1:${port}`,
    apiKey,
    orgId,
    projectId,
    get requests() {
      return requests;
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
    failNextEvents: (times = 1) => {
      failedEvents = times;
    },
    ignoreUserFilter: (ignore) => {
      leakAcrossUsers = ignore;
    },
    seed: ({ userId, text, metadata = null, createdAt = new Date().toISOString() }) => {
      ensureUser(userId, createdAt);
      stored.push({ id: randomUUID(), memory: text, user_id: userId, metadata, created_at: createdAt, updated_at: createdAt });
    },
    memories: (userId) => (userId === undefined ? [...stored] : stored.filter((m) => m.user_id === userId)),
    users: () => [...entities.keys()].sort(),
    reset: () => {
      stored = [];
      entities = new Map();
      entitiesCreated = 0;
      events = new Map();
      requests = [];
      failures = { status: 500, times: 0 };
      failedEvents = 0;
      delayMs = 0;
      processingMs = 0;
      leakAcrossUsers = false;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `filters` as Mem0 reads them: `{ user_id }` or `{ AND: [{ user_id }, ...] }`, at least one entity id. */
function filterMatcher(filters: unknown): ((m: StoredMemory) => boolean) | string {
  if (!isJson(filters)) return "filters are required and must name at least one of user_id, agent_id, app_id, run_id";
  const clauses = Array.isArray(filters.AND) ? filters.AND : [filters];
  const conditions: [string, string][] = [];
  for (const clause of clauses) {
    if (!isJson(clause)) return "each filter must be an object";
    for (const [key, value] of Object.entries(clause)) {
      if (typeof value !== "string") return `this stand-in supports equality filters only (${key})`;
      conditions.push([key, value]);
    }
  }
  if (!conditions.some(([key]) => (ENTITY_KEYS as readonly string[]).includes(key))) {
    return "filters must name at least one of user_id, agent_id, app_id, run_id";
  }
  return (m) => conditions.every(([key, value]) => value === "*" || (key === "user_id" ? m.user_id === value : false));
}

function entityKeysIn(body: Json): string[] {
  return ENTITY_KEYS.filter((k) => body[k] !== undefined);
}

function words(text: string): string[] {
  return text.toLowerCase().normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? [];
}

function queryWords(query: string): Set<string> {
  const all = [...new Set(words(query))];
  const meaningful = all.filter((w) => !STOP_WORDS.has(w));
  return new Set(meaningful.length > 0 ? meaningful : all);
}

/** Share of the query's words the memory contains, rounded to 4 places. */
function overlap(wanted: ReadonlySet<string>, memory: string): number {
  if (wanted.size === 0) return 0;
  const have = new Set(words(memory));
  const hits = [...wanted].filter((w) => have.has(w)).length;
  return Math.round((hits / wanted.size) * 10_000) / 10_000;
}

/** A bare array when no page is asked for, else one page with `next` / `previous` links, as Mem0 lists. */
function paged(items: readonly unknown[], query: Record<string, string>, path: string): Reply {
  if (query.page === undefined && query.page_size === undefined) return ok(items);
  const page = Number(query.page ?? "1");
  const size = Number(query.page_size ?? "100");
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1 || size > 1000) return invalid("bad page or page_size");
  const link = (n: number) => `${path}?page=${n}&page_size=${size}`;
  return ok({
    count: items.length,
    next: page * size < items.length ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items.slice((page - 1) * size, page * size),
  });
}

function isJson(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function invalid(message: string): Reply {
  return { status: 400, body: { error: "400 Bad Request", details: { message } } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
