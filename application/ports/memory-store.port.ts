import type { CallerId } from "../../domain/caller-id";
import type { Memory, MemoryDraft, MemorySource } from "../../domain/memory";

/** DI token for {@link MemoryStore}. */
export const MEMORY_STORE = Symbol("MemoryStore");

export interface MemoryListOptions {
  readonly limit?: number;
  readonly source?: MemorySource;
  /**
   * Also list memories the store keeps only as history (on Mem0: facts Dream marked superseded and
   * duplicates it merged). Default `false`: current facts only, what the agent may be told.
   * An export asks for the history too.
   */
  readonly history?: boolean;
}

export interface MemorySearchQuery {
  readonly userId: CallerId;
  readonly query: string;
  /** 1..50; adapters clamp to that range. */
  readonly limit: number;
}

/**
 * Long-term memories of callers. Every method works on exactly one caller: an adapter must make it
 * impossible for one caller's memories to come back for another.
 */
export interface MemoryStore {
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
}

/** A cutoff after every call: {@link MemoryStore.listOlderThan} with it lists every dated memory of every caller. */
export const EVERY_DATED_MEMORY = "9999-12-31T23:59:59.999Z";

/** Search limits shared by every adapter and the HTTP contract. */
const SEARCH_LIMIT = { min: 1, max: 50, default: 10 } as const;

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return SEARCH_LIMIT.default;
  return Math.min(SEARCH_LIMIT.max, Math.max(SEARCH_LIMIT.min, Math.trunc(limit)));
}
