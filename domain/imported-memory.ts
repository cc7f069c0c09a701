/**
 * Memories an operator imports (`agentic-memory import`, e.g. from a CRM): stored as written, never
 * inferred from, each with a key derived from its content so that importing the same file again
 * writes nothing twice.
 */
import { createHash } from "node:crypto";
import type { CallerId } from "./caller-id";
import { cleanText } from "./conversation";
import type { MemoryDraft, MemoryType } from "./memory";

/**
 * The `conversation_id` of every imported memory: one fixed value, so a store that checks for
 * duplicates call by call (Mem0: the memories of one conversation) finds earlier imports of the caller.
 */
const IMPORT_CONVERSATION_ID = "import";

/** One memory to import, already validated. */
export interface ImportedMemory {
  readonly callerId: CallerId;
  readonly memory: string;
  readonly type: MemoryType;
  /** What the fact is about (`metadata.fact_key`); `null` when the line names nothing. */
  readonly factKey: string | null;
  /** The ISO-8601 instant the line gives (`Date#toISOString` form); `null`: the time of the import. */
  readonly timestamp: string | null;
}

/**
 * The draft to write for an imported memory. Its key hashes what the line says (caller, type, fact
 * key, text, and its timestamp or the lack of one), never the time of the import: the same line
 * always makes the same draft key, and the store skips it the second time.
 *
 * @example
 * importedMemoryDraft({ callerId, memory: "Prefers text messages.", type: "factual", factKey: "contact", timestamp: null }, now).key; // "import:3f…"
 */
export function importedMemoryDraft(item: ImportedMemory, importedAt: string): MemoryDraft {
  const text = cleanText(item.memory);
  const content = JSON.stringify([item.callerId, item.type, item.factKey, text, item.timestamp]);
  return {
    key: `import:${createHash("sha256").update(content).digest("hex").slice(0, 32)}`,
    userId: item.callerId,
    text,
    metadata: {
      type: item.type,
      source: "import",
      agent_id: "",
      timestamp: item.timestamp ?? importedAt,
      call_duration: null,
      conversation_id: IMPORT_CONVERSATION_ID,
      ...(item.factKey === null ? {} : { fact_key: item.factKey }),
    },
  };
}
