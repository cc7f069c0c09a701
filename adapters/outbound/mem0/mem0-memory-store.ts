import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddMemoryOptions, DeleteAllMemoryOptions, GetAllMemoryOptions, MemoryClient, SearchMemoryOptions } from "mem0ai";
import { DeadlineExceededError, withDeadline } from "../../../application/deadline";
import { clampLimit, type MemoryListOptions, type MemorySearchQuery, type MemoryStore } from "../../../application/ports/memory-store.port";
import { isCallerId, type CallerId } from "../../../domain/caller-id";
import type { Memory, MemoryDraft } from "../../../domain/memory";
import { eventIdsOf, waitForEvents } from "./mem0-events";
import { mem0PageSchema, mem0SearchResponseSchema, mem0UsersPageSchema, newestFirst, toMem0Record, type Mem0Record } from "./mem0-records";

export interface Mem0MemoryStoreOptions {
  readonly apiKey: string;
  /** Defaults to Mem0 Cloud (`https://api.mem0.ai`); tests point it at the stand-in. */
  readonly host?: string;
  /** Sent as `org_id` / `project_id` with every request when set (the 3.x client has no option for them). */
  readonly orgId?: string;
  readonly projectId?: string;
  /** Deadline of one operation (a search, a listing with all its pages, one add, one delete). Default 2500. */
  readonly deadlineMs?: number;
  /** Minimum relevance (0..1) of a search result. Default 0.1, Mem0's own default. */
  readonly searchThreshold?: number;
  /** How long `add` waits for Mem0 to finish processing queued adds. Default 15000. */
  readonly eventWaitMs?: number;
}

/** The part of the `mem0ai` client this store uses. */
export type Mem0Api = Pick<MemoryClient, "add" | "search" | "getAll" | "deleteAll" | "delete" | "users" | "deleteUsers">;

const DEFAULT_HOST = "https://api.mem0.ai";
const PAGE_SIZE = 100;
/** 100 pages of 100: far beyond what one phone caller accumulates; a listing stops there rather than loop. */
const MAX_PAGES = 100;

/**
 * Build the Mem0 store and its `mem0ai` client, once per process (cold start).
 *
 * Telemetry is switched off and the client's state directory moved under the temp dir *before* the
 * module is loaded, because `mem0ai` reads `MEM0_TELEMETRY` once, at import. The client pings
 * `/v1/ping/` in the background on construction; nothing here waits for it.
 *
 * @example
 * const store = await createMem0MemoryStore({ apiKey: secrets.MEM0_API_KEY, deadlineMs: 2500 });
 */
export async function createMem0MemoryStore(options: Mem0MemoryStoreOptions): Promise<Mem0MemoryStore> {
  process.env.MEM0_TELEMETRY = "false";
  // The client falls back to ~/.mem0 for an empty value too; on Lambda only /tmp is writable.
  if (!process.env.MEM0_DIR) process.env.MEM0_DIR = join(tmpdir(), ".mem0");
  const { MemoryClient } = await import("mem0ai");
  const host = options.host ?? DEFAULT_HOST;
  return new Mem0MemoryStore(new MemoryClient({ apiKey: options.apiKey, host }), { ...options, host });
}

/**
 * The {@link MemoryStore} on Mem0 Cloud. Factual drafts are stored verbatim (`infer: false`); semantic
 * drafts are sent as their conversation turns (`infer: true`) so Mem0 extracts durable facts. Every
 * read is scoped with `filters: { user_id }` and re-checked item by item; erasure names the caller.
 *
 * Idempotency: each memory carries its draft's key in `metadata.draft_key`, and `add` skips drafts
 * whose key the caller's memories already show. Limit: an inferred add from which Mem0 extracted
 * nothing leaves no key behind, so a re-delivery sends it again (Mem0 then dedupes by meaning).
 */
export class Mem0MemoryStore implements MemoryStore {
  private readonly deadlineMs: number;
  private readonly threshold: number;
  private readonly eventWaitMs: number;
  private readonly host: string;
  private readonly listings = new Map<CallerId, Promise<readonly Mem0Record[]>>();
  /** `org_id` / `project_id`, spread into every request when configured. */
  private readonly scope: Readonly<Record<string, string>>;

  constructor(
    private readonly api: Mem0Api,
    private readonly options: Mem0MemoryStoreOptions,
  ) {
    this.deadlineMs = options.deadlineMs ?? 2500;
    this.threshold = options.searchThreshold ?? 0.1;
    this.eventWaitMs = options.eventWaitMs ?? 15_000;
    this.host = (options.host ?? DEFAULT_HOST).replace(/\/+$/, "");
    this.scope = {
      ...(options.orgId ? { org_id: options.orgId } : {}),
      ...(options.projectId ? { project_id: options.projectId } : {}),
    };
  }

  async add(drafts: readonly MemoryDraft[]): Promise<{ added: number; skipped: number }> {
    const knownKeys = new Map<CallerId, Set<string>>();
    const events: string[] = [];
    let added = 0;
    for (const draft of drafts) {
      const callerId = requireCallerId(draft.userId);
      let keys = knownKeys.get(callerId);
      if (keys === undefined) {
        const existing = await this.within(this.allOf(callerId));
        keys = new Set(existing.flatMap((r) => (r.draftKey === undefined ? [] : [r.draftKey])));
        knownKeys.set(callerId, keys);
      }
      if (keys.has(draft.key)) continue;

      const response = await this.within(this.api.add(messagesOf(draft), this.addOptions(callerId, draft)));
      keys.add(draft.key);
      added += 1;
      events.push(...eventIdsOf(response));
    }
    await waitForEvents(events, { host: this.host, apiKey: this.options.apiKey, requestDeadlineMs: this.deadlineMs, budgetMs: this.eventWaitMs });
    return { added, skipped: drafts.length - added };
  }

  async search({ userId, query, limit }: MemorySearchQuery): Promise<Memory[]> {
    const callerId = requireCallerId(userId);
    const text = query.trim();
    if (text === "") return [];
    const topK = clampLimit(limit);
    const options: SearchMemoryOptions = { filters: { user_id: callerId }, topK, threshold: this.threshold, ...this.scope };
    const response = mem0SearchResponseSchema.parse(await this.within(this.api.search(text, options)));
    return response.results
      .flatMap((item) => toMem0Record(item, callerId) ?? [])
      .map((r) => ({ ...r.memory, score: r.memory.score ?? 0 }))
      .sort((a, b) => b.score - a.score)
      .slice(0, topK);
  }

  async list(userId: CallerId, options: MemoryListOptions = {}): Promise<Memory[]> {
    const records = await this.within(this.sharedListing(requireCallerId(userId)));
    const newest = [...records]
      .sort(newestFirst)
      .map((r) => r.memory)
      .filter((m) => options.source === undefined || m.metadata.source === options.source);
    return options.limit === undefined ? newest : newest.slice(0, Math.max(0, Math.trunc(options.limit)));
  }

  async count(userId: CallerId): Promise<number> {
    return (await this.within(this.sharedListing(requireCallerId(userId)))).length;
  }

  /**
   * Client-data asks for recent memories, name statements and a count at once; concurrent
   * requests for one caller share a single listing sweep instead of paging through Mem0 three times.
   */
  private sharedListing(callerId: CallerId): Promise<readonly Mem0Record[]> {
    const running = this.listings.get(callerId);
    if (running) return running;
    const listing = this.allOf(callerId).finally(() => this.listings.delete(callerId));
    this.listings.set(callerId, listing);
    return listing;
  }

  /**
   * Delete the caller's memories, then the caller's Mem0 user entity (named by the phone number), which
   * outlives `deleteAll` and would keep the number in Mem0's user list.
   */
  async forget(userId: CallerId): Promise<number> {
    const callerId = requireCallerId(userId);
    const before = await this.within(this.allOf(callerId));
    // Always delete, even when nothing is listed yet: an erasure must also catch adds still queued.
    const options: DeleteAllMemoryOptions = { userId: callerId, ...this.scope };
    await this.within(this.api.deleteAll(options));
    await this.deleteUserEntity(callerId);
    return before.length;
  }

  /**
   * A caller without an entity (never stored, or erased before) is answered 404. The client rethrows
   * every failure as a plain `APIError` without its status, so a failure counts as done only when
   * Mem0's user list, read to the end, shows no entity of that name.
   */
  private async deleteUserEntity(callerId: CallerId): Promise<void> {
    try {
      // `this.scope` cannot apply: the client's deleteUsers has no parameter for org_id / project_id and sends neither.
      await this.within(this.api.deleteUsers({ userId: callerId }));
    } catch (error) {
      if (error instanceof DeadlineExceededError) throw error;
      const users = await this.userEntities().catch(() => null);
      if (users === null || !users.complete || users.names.has(callerId)) throw error;
    }
  }

  async remove(userId: CallerId, ids: readonly string[]): Promise<number> {
    const callerId = requireCallerId(userId);
    // Mem0 deletes by id whoever owns it: only ids the caller's own listing shows are ever sent.
    const owned = new Set((await this.within(this.allOf(callerId))).map((r) => r.memory.id));
    let removed = 0;
    for (const id of new Set(ids)) {
      if (!owned.has(id)) continue;
      await this.within(this.api.delete(id));
      removed += 1;
    }
    return removed;
  }

  /** Mem0 has no query by date across users: every user entity that is a caller id, then that caller's memories. */
  async listOlderThan(cutoff: string): Promise<Memory[]> {
    const limit = Date.parse(cutoff);
    if (!Number.isFinite(limit)) throw new RangeError(`cutoff is not an ISO-8601 time: ${JSON.stringify(cutoff)}`);
    const old: Memory[] = [];
    for (const callerId of await this.callers()) {
      const records = await this.within(this.allOf(callerId));
      // A memory with neither our timestamp nor Mem0's creation time has no known age: it is kept.
      const dated = records.filter((r) => r.createdAt > 0 || Date.parse(r.memory.metadata.timestamp) > 0);
      old.push(...dated.filter((r) => Date.parse(r.memory.metadata.timestamp) < limit).map((r) => r.memory));
    }
    return old;
  }

  /** The user entities Mem0 knows that are normalised caller ids (other entities are not ours). */
  private async callers(): Promise<CallerId[]> {
    return [...(await this.userEntities()).names].filter(isCallerId);
  }

  /** Names of Mem0's user entities; `complete` is false when the listing stopped at {@link MAX_PAGES}. */
  private async userEntities(): Promise<{ names: Set<string>; complete: boolean }> {
    const names = new Set<string>();
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const answer = mem0UsersPageSchema.parse(await this.within(this.api.users({ page, pageSize: PAGE_SIZE })));
      const items = Array.isArray(answer) ? answer : answer.results;
      for (const user of items) if ((user.type ?? "user") === "user") names.add(user.name);
      const more = !Array.isArray(answer) && answer.next !== null && answer.next !== undefined && items.length > 0;
      if (!more) return { names, complete: true };
    }
    return { names, complete: false };
  }

  private addOptions(callerId: CallerId, draft: MemoryDraft): AddMemoryOptions {
    const seconds = Math.floor(Date.parse(draft.metadata.timestamp) / 1000);
    return {
      userId: callerId,
      infer: draft.metadata.type === "semantic",
      metadata: { ...draft.metadata, draft_key: draft.key },
      // Mem0's created_at becomes the call's time, so its own recency and temporal reasoning see the call date.
      ...(Number.isFinite(seconds) ? { timestamp: seconds } : {}),
      ...this.scope,
    };
  }

  /** Every memory of one caller, all pages. */
  private async allOf(callerId: CallerId): Promise<Mem0Record[]> {
    const records: Mem0Record[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const options: GetAllMemoryOptions = { filters: { user_id: callerId }, page, pageSize: PAGE_SIZE, ...this.scope };
      const answer = mem0PageSchema.parse(await this.api.getAll(options));
      const items = Array.isArray(answer) ? answer : answer.results;
      records.push(...items.flatMap((item) => toMem0Record(item, callerId) ?? []));
      const more = !Array.isArray(answer) && answer.next !== null && answer.next !== undefined && items.length > 0;
      if (!more) break;
    }
    return records;
  }

  private within<T>(work: Promise<T>): Promise<T> {
    return withDeadline(work, this.deadlineMs);
  }
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
