import type { CallerId } from "../../domain/caller-id";
import type { Memory, MemoryDraft, MemorySource, MemoryType } from "../../domain/memory";

/** DI token for {@link MemoryStore}. */
export const MEMORY_STORE = Symbol("MemoryStore");

export interface MemoryListOptions {
  readonly limit?: number;
  readonly source?: MemorySource;
  /** Only the memories of this call (`metadata.conversation_id`). */
  readonly conversationId?: string;
  /** Only the versions of one fact (`metadata.fact_key`). */
  readonly factKey?: string;
  /**
   * Also list memories the store keeps only as history: older versions of a fact (see
   * {@link MemoryStore}), and on Mem0 facts Dream marked superseded and duplicates it merged. Default
   * `false`: current facts only, what the agent may be told. An export asks for the history too.
   */
  readonly history?: boolean;
}

export interface MemorySearchQuery {
  readonly userId: CallerId;
  readonly query: string;
  /** 1..50; adapters clamp to that range. */
  readonly limit: number;
  /** Only memories matching every filter given are ranked; the store applies them before the limit. */
  readonly filters?: MemorySearchFilters;
  /** Also rank older versions of facts (each marked with `metadata.superseded_by`); default current facts only. */
  readonly includeHistory?: boolean;
}

/** Narrowings of a search, each optional; a memory must match all that are given. */
export interface MemorySearchFilters {
  readonly type?: MemoryType;
  readonly source?: MemorySource;
  /** Inclusive bounds on the call's `metadata.timestamp`, as ISO-8601 instants (`Date#toISOString` form). */
  readonly since?: string;
  readonly until?: string;
  /** Only memories of this call (`metadata.conversation_id`). */
  readonly conversationId?: string;
}

/**
 * Long-term memories of callers. Every method works on exactly one caller: an adapter must make it
 * impossible for one caller's memories to come back for another.
 *
 * Versions: a fact with a `metadata.fact_key` is current until the caller has a newer fact with the
 * same key (newer by `metadata.timestamp`; at the same time, the one stored later). An older version is
 * kept as history, marked `metadata.superseded_by` (the newer one's id): list, search and count show
 * current memories only unless asked for the history; erasure and export cover every version.
 */
export interface MemoryStore {
  /**
   * A hint that memory calls follow shortly: a store that is set up on its first use (a client,
   * its key, a connection) may start now, while the caller does other work. Returns at once and
   * never throws; a set-up that fails is tried again, and reported, by the first real call.
   */
  prepare?(): void;
  /** Write drafts; a draft whose `key` was already written for that caller is skipped (idempotent ingestion). */
  add(drafts: readonly MemoryDraft[]): Promise<{ readonly added: number; readonly skipped: number }>;
  /** The caller's memories most relevant to `query`, best first, each with a `score` in 0..1 (higher is better). */
  search(query: MemorySearchQuery): Promise<Memory[]>;
  /**
   * The caller's most recent memories, newest first; only those made from `source` when given.
   * Without a limit this is every memory of the caller (with `history`, what an export needs).
   */
  list(userId: CallerId, options?: MemoryListOptions): Promise<Memory[]>;
  /** How many current memories the caller has (the `memory_count` the agent sees). */
  count(userId: CallerId): Promise<number>;
  /** Erase every memory of this caller (and of nobody else); returns how many were removed. */
  forget(userId: CallerId): Promise<number>;
  /**
   * Erase the given memories of this caller; ids that are not this caller's are left alone (and not
   * counted). Returns how many were removed.
   */
  remove(userId: CallerId, ids: readonly string[]): Promise<number>;
  /**
   * The one read across callers, for the operator's sweeps: every memory whose call
   * `metadata.timestamp` is before `cutoff` (ISO-8601), of any caller. Memories of unknown date are
   * never included, so a retention sweep can only ever remove what is known to be old. A migration
   * reads every dated memory with {@link EVERY_DATED_MEMORY} as the cutoff.
   */
  listOlderThan(cutoff: string): Promise<Memory[]>;
  /**
   * Every caller the store holds memories for, each once, fetched a page at a time as the loop goes
   * (never all at once): what an export of everyone walks. Only normalised caller ids; a caller whose
   * memories were all removed may still be listed (on Mem0, the user entity outlives its memories).
   */
  callers(): AsyncIterable<CallerId>;
}

/** A cutoff after every call: {@link MemoryStore.listOlderThan} with it lists every dated memory of every caller. */
export const EVERY_DATED_MEMORY = "9999-12-31T23:59:59.999Z";

/** Search limits shared by every adapter and the HTTP contract. */
const SEARCH_LIMIT = { min: 1, max: 50, default: 10 } as const;

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return SEARCH_LIMIT.default;
  return Math.min(SEARCH_LIMIT.max, Math.max(SEARCH_LIMIT.min, Math.trunc(limit)));
}
