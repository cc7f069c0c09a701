import type { CallerId } from "./caller-id";

/** Factual memories are stated facts kept verbatim; semantic ones are the conversation itself. */
export const MEMORY_TYPES = ["factual", "semantic"] as const;
export type MemoryType = (typeof MEMORY_TYPES)[number];

/**
 * What a memory was made from; semantic memories are always `conversation`. `remember` is a fact the
 * agent stored during the call (`POST /remember`), `import` one an operator imported
 * (`agentic-memory import`). `evaluation` (an evaluation rationale) is no longer written: rationales
 * judge the agent, not the caller, and stay in the call record. Memories of that source stored by
 * earlier versions are never shown to the agent and are removed by
 * `agentic-memory migrate --drop-evaluation-memories`.
 */
export const MEMORY_SOURCES = ["summary", "evaluation", "data_collection", "caller_name", "conversation", "remember", "import"] as const;
export type MemorySource = (typeof MEMORY_SOURCES)[number];

export interface MemoryMetadata {
  readonly type: MemoryType;
  readonly source: MemorySource;
  readonly agent_id: string;
  /** ISO-8601 time of the call event (never the wall clock of ingestion). */
  readonly timestamp: string;
  readonly call_duration: number | null;
  readonly conversation_id: string;
  /**
   * What the fact is about, when that is known (a data-collection field id, the `category` of a
   * remembered fact, `caller_name`): a newer fact with the same key supersedes an older one.
   */
  readonly fact_key?: string;
  /** Set on an older version of a fact: the id of the memory that superseded it (shown only with the history). */
  readonly superseded_by?: string;
  /**
   * The language the memory was said in (ISO 639-1, e.g. `es`), when known: the call's, for the
   * memories a call becomes. The embedded store searches each memory in it.
   */
  readonly language?: string;
}

/** A memory as the seed contract returns it. `score` (0..1, higher is better) is set by searches. */
export interface Memory {
  readonly id: string;
  readonly memory: string;
  readonly user_id: string;
  readonly metadata: MemoryMetadata;
  readonly score?: number;
}

/** A memory about to be written. `key` is stable per conversation and item, so a re-delivered call writes nothing twice. */
export interface MemoryDraft {
  readonly key: string;
  readonly userId: CallerId;
  readonly text: string;
  readonly metadata: MemoryMetadata;
  /** Semantic drafts carry the turns they were made from (Mem0 infers durable facts from messages). */
  readonly messages?: readonly { readonly role: "user" | "assistant"; readonly content: string }[];
}

/**
 * What a memory says, for telling two memories apart: its words in order, in lower case, without
 * punctuation or spacing differences ("Prefers text messages." and "prefers  text messages" are one).
 */
export function memoryWords(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * `memories` newest first by their timestamp, within `rank` (lowest first) when one is given. A
 * timestamp that does not parse counts as the oldest; memories of the same time keep their order.
 * Each timestamp is parsed once, not per comparison (a long history is sorted on every call).
 *
 * @example
 * newestFirst(memories); // the newest call's memories first
 * newestFirst(memories, (m) => (m.metadata.type === "factual" ? 0 : 1)); // facts first, each kind newest first
 */
export function newestFirst(memories: readonly Memory[], rank: (memory: Memory) => number = () => 0): Memory[] {
  return memories
    .map((memory) => ({ memory, rank: rank(memory), time: timeOf(memory) }))
    .sort((a, b) => a.rank - b.rank || (a.time === b.time ? 0 : b.time > a.time ? 1 : -1))
    .map(({ memory }) => memory);
}

function timeOf(memory: Memory): number {
  const time = Date.parse(memory.metadata.timestamp);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}
