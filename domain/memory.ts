import type { CallerId } from "./caller-id";

/** Factual memories are stated facts kept verbatim; semantic ones are the conversation itself. */
export type MemoryType = "factual" | "semantic";

/**
 * What a factual memory was made from; semantic memories are always `conversation`. `evaluation`
 * (an evaluation rationale) is no longer written: rationales judge the agent, not the caller, and stay
 * in the call record. Memories of that source stored by earlier versions are never shown to the agent
 * and are removed by `agentic-memory migrate --drop-evaluation-memories`.
 */
export type MemorySource = "summary" | "evaluation" | "data_collection" | "caller_name" | "conversation";

export interface MemoryMetadata {
  readonly type: MemoryType;
  readonly source: MemorySource;
  readonly agent_id: string;
  /** ISO-8601 time of the call event (never the wall clock of ingestion). */
  readonly timestamp: string;
  readonly call_duration: number | null;
  readonly conversation_id: string;
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
