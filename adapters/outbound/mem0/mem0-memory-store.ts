import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddMemoryOptions, GetAllMemoryOptions, MemoryClient, SearchMemoryOptions } from "mem0ai";
import { withDeadline } from "../../../application/deadline";
import { clampLimit, type MemoryListOptions, type MemorySearchFilters, type MemorySearchQuery, type MemoryStore } from "../../../application/ports/memory-store.port";
import { isCallerId, type CallerId } from "../../../domain/caller-id";
import type { Memory, MemoryDraft } from "../../../domain/memory";
import type { HttpExchange } from "../http/http-exchange";
import { deleteUserEntity, eventIdsOf, waitForEvents } from "./mem0-events";
import { createMem0Client, mem0Http } from "./mem0-http-client";
import { mem0PageSchema, mem0SearchResponseSchema, mem0UsersPageSchema, newestFirst, toMem0Record, type Mem0Record } from "./mem0-records";

export interface Mem0MemoryStoreOptions {
  readonly apiKey: string;
  /** Defaults to Mem0 Cloud (`https://api.mem0.ai`); tests point it at the stand-in. */
  readonly host?: string;
  /** Deadline of one request to Mem0 (a search, one page of a listing, one add, one delete). Default 2500. */
  readonly deadlineMs?: number;
  /** Minimum relevance (0..1) of a search result. Default 0.1, Mem0's own default. */
  readonly searchThreshold?: number;
  /** How long `add` waits for Mem0 to finish processing queued adds. Default 15000. */
  readonly eventWaitMs?: number;
  /** How long `forget` waits for Mem0 to finish the queued deletes before it reports failure. Default 60000. */
  readonly deleteWaitMs?: number;
}

/** The part of the `mem0ai` client this store uses. */
export type Mem0Api = Pick<MemoryClient, "add" | "search" | "getAll" | "deleteAll" | "delete" | "users" | "update">;

const DEFAULT_HOST = "https://api.mem0.ai";
const DEFAULT_DEADLINE_MS = 2500;
/** The largest page `POST /v3/memories/` serves (`page_size` maximum in Mem0's OpenAPI document). */
const MAX_PAGE_SIZE = 200;
/** 200 pages of 200: far beyond what one phone caller accumulates; a listing stops there rather than loop. */
const MAX_PAGES = 200;

/** What Mem0 holds about one caller, as `agentic-memory smoke` checks it against a real project. */
export interface Mem0CallerState {
  /** Current facts (`latest_only`), the count the agent is told. */
  readonly current: number;
  /** Every memory, superseded and merged ones included. */
  readonly withHistory: number;
  /** Whether Mem0 lists a user entity named by the caller's number. */
  readonly entity: boolean;
}

/** Mem0 filters: the caller, and optionally more conditions (v2-memory-filters.mdx). */
type Filters = Record<string, unknown>;

/** What a read asks Mem0 to include: current facts only, or the history Dream keeps too. */
interface ReadScope {
  /** `latest_only: true` (dream.mdx): no superseded or merged memories. */
  readonly current: boolean;
}

/**
 * Build the Mem0 store and its `mem0ai` client, once per process (cold start).
 *
 * Telemetry is switched off and the client's state directory moved under the temp dir *before* the
 * module is loaded, because `mem0ai` reads `MEM0_TELEMETRY` once, at import. The client pings
 * `/v1/ping/` in the background on construction; nothing here waits for it ({@link Mem0MemoryStore.connected}
 * tells when it was answered). Every request, the
 * client's and the store's own, goes over node's `http`/`https` (mem0-http-client.ts), never fetch.
 * The key may still be on its way (a promise, as when it is read from SSM on a cold start): `mem0ai`
 * loads meanwhile instead of after it.
 *
 * @example
 * const store = await createMem0MemoryStore({ apiKey: secrets.MEM0_API_KEY, deadlineMs: 2500 });
 * const store = await createMem0MemoryStore({ apiKey: secrets.get("MEM0_API_KEY") });
 */
export async function createMem0MemoryStore(
  options: Omit<Mem0MemoryStoreOptions, "apiKey"> & { readonly apiKey: string | Promise<string> },
): Promise<Mem0MemoryStore> {
  process.env.MEM0_TELEMETRY = "false";
  // The client falls back to ~/.mem0 for an empty value too; on Lambda only /tmp is writable.
  if (!process.env.MEM0_DIR) process.env.MEM0_DIR = join(tmpdir(), ".mem0");
  const [mem0, apiKey] = await Promise.all([import("mem0ai"), options.apiKey]);
  const host = options.host ?? DEFAULT_HOST;
  const http = mem0Http(options.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const client = createMem0Client(mem0, { apiKey, host }, http);
  return new Mem0MemoryStore(client, { ...options, apiKey, host }, http, client.pinged);
}

/**
 * The {@link MemoryStore} on Mem0 Cloud's v3 API. Factual drafts are stored verbatim (`infer: false`);
 * semantic drafts are sent as their conversation turns (`infer: true`) so Mem0 extracts durable facts,
 * except imported ones (`source: "import"`), which are stored verbatim like facts.
 *
 * Every read names the caller inside `filters` and asks for no more than it needs: what the agent sees
 * is current facts only (`latest_only`), a count is one page of one (`count` of the envelope), a
 * caller's name or one call's memories are metadata filters, and retention is a `created_at` filter.
 * The number of requests never grows with the caller's history, except for an export or an erasure.
 *
 * Idempotency: each memory carries its draft's key in `metadata.draft_key`, and `add` skips drafts
 * whose key the call's memories (filtered on `metadata.conversation_id`) already show. Limit: an
 * inferred add from which Mem0 extracted nothing leaves no key behind, so a re-delivery sends it
 * again (Mem0 then dedupes by meaning).
 */
export class Mem0MemoryStore implements MemoryStore {
  private readonly deadlineMs: number;
  private readonly threshold: number;
  private readonly eventWaitMs: number;
  private readonly deleteWaitMs: number;
  private readonly host: string;

  constructor(
    private readonly api: Mem0Api,
    private readonly options: Mem0MemoryStoreOptions,
    /** For the requests the client has no method for (entity delete, event status); the client's own connection. */
    private readonly http: HttpExchange,
    /** Settles once Mem0 answered the client's ping (its connection then open): {@link connected}. */
    private readonly pinged: Promise<void> = Promise.resolve(),
  ) {
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.threshold = options.searchThreshold ?? 0.1;
    this.eventWaitMs = options.eventWaitMs ?? 15_000;
    this.deleteWaitMs = options.deleteWaitMs ?? 60_000;
    this.host = (options.host ?? DEFAULT_HOST).replace(/\/+$/, "");
  }

  /**
   * Settles (never rejects) once Mem0 has answered the ping the client sent when it was built, so
   * that a request made after it finds the connection open instead of opening a second one. A
   * Lambda's Init waits for it (composition-root's `prime`): the TLS handshake with Mem0 then runs on
   * Init's full vCPU rather than in the first event, at the function's share of one.
   */
  connected(): Promise<void> {
    return this.pinged;
  }

  async add(drafts: readonly MemoryDraft[]): Promise<{ added: number; skipped: number }> {
    const knownKeys = new Map<string, Set<string>>();
    const keyed = new Set<string>();
    const events: string[] = [];
    let added = 0;
    for (const draft of drafts) {
      const callerId = requireCallerId(draft.userId);
      const call = `${callerId}\u0000${draft.metadata.conversation_id}`;
      let keys = knownKeys.get(call);
      if (keys === undefined) {
        keys = await this.writtenKeys(callerId, draft.metadata.conversation_id);
        knownKeys.set(call, keys);
      }
      if (keys.has(draft.key)) continue;

      const response = await this.within(this.api.add(messagesOf(draft), addOptions(callerId, draft)));
      keys.add(draft.key);
      added += 1;
      events.push(...eventIdsOf(response));
      if (draft.metadata.fact_key !== undefined) keyed.add(`${callerId}\u0000${draft.metadata.fact_key}`);
    }
    await waitForEvents(events, { ...this.eventOptions(), budgetMs: this.eventWaitMs, mustFinish: false });
    for (const entry of keyed) {
      const [callerId = "", factKey = ""] = entry.split("\u0000");
      await this.settleVersions(requireCallerId(callerId), factKey);
    }
    return { added, skipped: drafts.length - added };
  }

  /**
   * The newest version of a caller's fact is current, every older one is history: marked
   * `superseded_by` (the newest's id) and given an `expiration_date` of yesterday, so that Mem0's own
   * list and search leave it out (memory-expiration.mdx: expired memories are skipped before `top_k`,
   * and `show_expired` brings them back for the history). A version that is newest again (the newer
   * one was erased) has both cleared. Runs after the add's events were waited for: a version Mem0 has
   * not stored yet is settled by the next add of that fact.
   */
  private async settleVersions(callerId: CallerId, factKey: string): Promise<void> {
    const versions = (await this.listAll(callerId, [{ metadata: { fact_key: factKey } }], { current: false })).sort(newestFirst);
    const [newest, ...older] = versions;
    if (newest === undefined) return;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const { superseded_by: _was, ...current } = newest.storedMetadata;
    if (newest.memory.metadata.superseded_by !== undefined) {
      await this.within(this.api.update(newest.memory.id, { metadata: current, expirationDate: null }));
    }
    for (const version of older) {
      if (version.memory.metadata.superseded_by === newest.memory.id && version.expirationDate !== null) continue;
      await this.within(this.api.update(version.memory.id, { metadata: { ...version.storedMetadata, superseded_by: newest.memory.id }, expirationDate: yesterday }));
    }
  }

  /**
   * Draft keys already written for one call of the caller: one filtered listing of that call's
   * memories (history included, since a superseded or merged memory was still written), whatever
   * the caller's history. A draft without a conversation id falls back to filtering on its key.
   */
  private async writtenKeys(callerId: CallerId, conversationId: string): Promise<Set<string>> {
    if (conversationId === "") return new Set();
    const records = await this.listAll(callerId, { metadata: { conversation_id: conversationId } }, { current: false });
    return new Set(records.flatMap((r) => (r.draftKey === undefined ? [] : [r.draftKey])));
  }

  /**
   * The filters go to Mem0 with the caller's (`metadata` eq, `created_at` gte / lte), so it ranks only
   * what matches and `top_k` counts matches. `created_at` is the call's time in whole seconds (see
   * `addOptions`): `since` is sent rounded down, and a memory of the boundary second outside the
   * bounds by its exact `metadata.timestamp` is dropped from the answer.
   */
  async search({ userId, query, limit, filters = {}, includeHistory = false }: MemorySearchQuery): Promise<Memory[]> {
    const callerId = requireCallerId(userId);
    const text = query.trim();
    if (text === "") return [];
    const topK = clampLimit(limit);
    const options: SearchMemoryOptions & { latestOnly?: boolean; includeMerged?: boolean; showExpired?: boolean } = {
      filters: scopedTo(callerId, searchConditions(filters)),
      topK,
      threshold: this.threshold,
      ...(includeHistory ? { includeMerged: true, showExpired: true } : { latestOnly: true }),
    };
    const response = mem0SearchResponseSchema.parse(await this.within(this.api.search(text, options)));
    return response.results
      .flatMap((item) => toMem0Record(item, callerId) ?? [])
      .filter((r) => (includeHistory || !r.superseded) && withinDates(r.memory, filters))
      .map((r) => ({ ...r.memory, score: r.memory.score ?? 0 }))
      .sort((a, b) => b.score - a.score)
      .slice(0, topK);
  }

  async list(userId: CallerId, options: MemoryListOptions = {}): Promise<Memory[]> {
    const callerId = requireCallerId(userId);
    // One condition per metadata field, ANDed (v2-memory-filters.mdx shows `metadata` with one key).
    const extra: Filters[] = [
      ...(options.source === undefined ? [] : [{ metadata: { source: options.source } }]),
      ...(options.conversationId === undefined ? [] : [{ metadata: { conversation_id: options.conversationId } }]),
      ...(options.factKey === undefined ? [] : [{ metadata: { fact_key: options.factKey } }]),
    ];
    const scope: ReadScope = { current: options.history !== true };
    const limit = options.limit === undefined ? undefined : Math.max(0, Math.trunc(options.limit));
    if (limit === 0) return [];
    const records = await this.listAll(callerId, extra, scope, limit);
    return records.sort(newestFirst).map((r) => r.memory);
  }

  /** One page of one: the envelope's `count` is the total, whatever the caller's history. */
  async count(userId: CallerId): Promise<number> {
    return this.countOf(requireCallerId(userId), { current: true });
  }

  private async countOf(callerId: CallerId, scope: ReadScope, extra: Filters = {}): Promise<number> {
    const page = await this.page(callerId, extra, scope, 1, 1);
    return page.count;
  }

  /**
   * Erase the caller: Mem0 queues the delete of the memories and of the user entity (named by the
   * phone number, which outlives a delete of the memories), so this waits until both events are done
   * and Mem0 lists nothing left; until then it throws rather than report an erasure that has not happened.
   * Returns how many memories there were, history included.
   */
  async forget(userId: CallerId): Promise<number> {
    const callerId = requireCallerId(userId);
    const before = await this.countOf(callerId, { current: false });
    // Always delete, even when nothing is listed yet: an erasure must also catch adds still queued.
    const events = eventIdsOf(await this.within(this.api.deleteAll({ userId: callerId })));
    events.push(...(await deleteUserEntity(callerId, this.eventOptions())));
    await waitForEvents(events, { ...this.eventOptions(), budgetMs: this.deleteWaitMs, mustFinish: true });
    const left = await this.countOf(callerId, { current: false });
    if (left > 0) throw new Error(`Mem0 still lists ${left} memories of the caller after the delete finished; run forget again`);
    return before;
  }

  async remove(userId: CallerId, ids: readonly string[]): Promise<number> {
    const callerId = requireCallerId(userId);
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return 0;
    // Mem0 deletes by id whoever owns it: only ids a listing scoped to the caller shows are ever sent.
    const owned = new Set<string>();
    for (let i = 0; i < wanted.length; i += MAX_PAGE_SIZE) {
      const chunk = wanted.slice(i, i + MAX_PAGE_SIZE);
      for (const r of await this.listAll(callerId, { memory_ids: chunk }, { current: false })) owned.add(r.memory.id);
    }
    let removed = 0;
    for (const id of wanted) {
      if (!owned.has(id)) continue;
      await this.within(this.api.delete(id));
      removed += 1;
    }
    return removed;
  }

  /**
   * Mem0 has no query by date across users: every user entity that is a caller id, then that caller's
   * memories created before the cutoff (a `created_at` filter; adds set `created_at` to the call's time).
   */
  async listOlderThan(cutoff: string): Promise<Memory[]> {
    const limit = Date.parse(cutoff);
    if (!Number.isFinite(limit)) throw new RangeError(`cutoff is not an ISO-8601 time: ${JSON.stringify(cutoff)}`);
    const iso = new Date(limit).toISOString();
    const old: Memory[] = [];
    for await (const callerId of this.callers()) {
      const records = await this.listAll(callerId, { created_at: { lt: iso } }, { current: false });
      old.push(...records.filter((r) => Date.parse(r.memory.metadata.timestamp) < limit).map((r) => r.memory));
    }
    return old;
  }

  /**
   * The caller as Mem0 holds them: a current-facts count (a `latest_only` read Mem0 must accept), a
   * count with history, and whether their user entity exists. Reads only; for the smoke check.
   */
  async inspect(userId: CallerId): Promise<Mem0CallerState> {
    const callerId = requireCallerId(userId);
    const [current, withHistory, users] = await Promise.all([
      this.countOf(callerId, { current: true }),
      this.countOf(callerId, { current: false }),
      this.userNames(),
    ]);
    return { current, withHistory, entity: users.has(callerId) };
  }

  /**
   * The user entities Mem0 lists (`GET /v1/entities/`) that are normalised caller ids (other entities
   * are not ours), one page of entities at a time as the loop goes. An entity outlives the memories
   * removed by id, so a caller listed here may have none left.
   */
  async *callers(): AsyncIterable<CallerId> {
    for await (const name of this.userEntities()) if (isCallerId(name)) yield name;
  }

  private async userNames(): Promise<Set<string>> {
    const names = new Set<string>();
    for await (const name of this.userEntities()) names.add(name);
    return names;
  }

  /** Every page of the entity listing, to its end (a project may hold more callers than a memory listing's page cap). */
  private async *userEntities(): AsyncIterable<string> {
    for (let page = 1; ; page += 1) {
      const answer = mem0UsersPageSchema.parse(await this.within(this.api.users({ page, pageSize: MAX_PAGE_SIZE })));
      for (const user of answer.results) if ((user.type ?? "user") === "user") yield user.name;
      if (answer.next === null || answer.next === undefined || answer.results.length === 0) return;
    }
  }

  /** The caller's memories matching `extra`, every page (or the first `limit`), newest first as Mem0 lists them. */
  private async listAll(callerId: CallerId, extra: Filters | readonly Filters[], scope: ReadScope, limit?: number): Promise<Mem0Record[]> {
    const records: Mem0Record[] = [];
    const pageSize = Math.min(MAX_PAGE_SIZE, limit ?? MAX_PAGE_SIZE);
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const answer = await this.page(callerId, extra, scope, page, pageSize);
      const items = answer.results.flatMap((item) => toMem0Record(item, callerId) ?? []);
      records.push(...(scope.current ? items.filter((r) => !r.superseded) : items));
      if (limit !== undefined && records.length >= limit) return records.slice(0, limit);
      if (answer.next === null || answer.next === undefined || answer.results.length === 0) break;
    }
    return records;
  }

  private async page(callerId: CallerId, extra: Filters | readonly Filters[], scope: ReadScope, page: number, pageSize: number) {
    const conditions = isConditionList(extra) ? extra : Object.entries(extra).map(([key, value]) => ({ [key]: value }));
    const filters = scopedTo(callerId, conditions);
    const options: GetAllMemoryOptions & { latestOnly?: boolean; includeMerged?: boolean; showExpired?: boolean } = {
      filters,
      page,
      pageSize,
      // History: superseded and merged memories, and older versions of our facts (expired on supersession).
      ...(scope.current ? { latestOnly: true } : { includeMerged: true, showExpired: true }),
    };
    return mem0PageSchema.parse(await this.within(this.api.getAll(options)));
  }

  private eventOptions() {
    return { http: this.http, host: this.host, apiKey: this.options.apiKey, requestDeadlineMs: this.deadlineMs };
  }

  private within<T>(work: Promise<T>): Promise<T> {
    return withDeadline(work, this.deadlineMs);
  }
}

/**
 * How a draft is added: to the caller (`user_id` only, never an `agent_id`, so Mem0 attributes every
 * fact it extracts from the call to the caller: entity-scoped-memory.mdx), with our metadata and key,
 * dated by the call: `timestamp` sets `created_at` to the call's time, and `observation_datetime`
 * tells Mem0's extraction when the conversation happened, so "move it to Saturday" is read against
 * the call's date rather than the day Mem0 processes it.
 */
function addOptions(callerId: CallerId, draft: MemoryDraft): AddMemoryOptions & { observationDatetime?: string; timezone?: string } {
  const ms = Date.parse(draft.metadata.timestamp);
  const dated = Number.isFinite(ms)
    ? { timestamp: Math.floor(ms / 1000), observationDatetime: new Date(ms).toISOString(), timezone: "UTC" }
    : {};
  return {
    userId: callerId,
    // Only a call's conversation is for Mem0 to learn from; an imported memory is kept as written.
    infer: draft.metadata.type === "semantic" && draft.metadata.source !== "import",
    metadata: { ...draft.metadata, draft_key: draft.key },
    ...dated,
  };
}

function isConditionList(extra: Filters | readonly Filters[]): extra is readonly Filters[] {
  return Array.isArray(extra);
}

/** Mem0 filters naming the caller, and every further condition ANDed with it (v2-memory-filters.mdx). */
function scopedTo(callerId: CallerId, conditions: readonly Filters[]): Filters {
  return conditions.length === 0 ? { user_id: callerId } : { AND: [{ user_id: callerId }, ...conditions] };
}

/** A search's filters as Mem0 conditions: one `metadata` equality per field, `created_at` bounds. */
function searchConditions(filters: MemorySearchFilters): Filters[] {
  const conditions: Filters[] = [];
  if (filters.type !== undefined) conditions.push({ metadata: { type: filters.type } });
  if (filters.source !== undefined) conditions.push({ metadata: { source: filters.source } });
  if (filters.conversationId !== undefined) conditions.push({ metadata: { conversation_id: filters.conversationId } });
  if (filters.since !== undefined) conditions.push({ created_at: { gte: new Date(Math.floor(Date.parse(filters.since) / 1000) * 1000).toISOString() } });
  if (filters.until !== undefined) conditions.push({ created_at: { lte: new Date(Date.parse(filters.until)).toISOString() } });
  return conditions;
}

/** Whether the memory's call time is within the search's date bounds (inclusive). */
function withinDates(memory: Memory, { since, until }: MemorySearchFilters): boolean {
  const at = Date.parse(memory.metadata.timestamp);
  return (since === undefined || at >= Date.parse(since)) && (until === undefined || at <= Date.parse(until));
}

/** Factual drafts are one statement; semantic drafts are the turns Mem0 should learn from. */
function messagesOf(draft: MemoryDraft): { role: "user" | "assistant"; content: string }[] {
  if (draft.metadata.type === "semantic" && draft.messages !== undefined && draft.messages.length > 0) {
    return draft.messages.map((m) => ({ role: m.role, content: m.content }));
  }
  return [{ role: "user", content: draft.text }];
}

/**
 * Every Mem0 call names exactly one caller. An empty or wildcard id would widen a read, or turn
 * "delete this caller" into "delete everyone", so anything but a normalised E.164 id is refused here.
 */
function requireCallerId(userId: string): CallerId {
  if (!isCallerId(userId)) throw new TypeError("Mem0 store: user id is not a normalised caller id");
  return userId;
}
