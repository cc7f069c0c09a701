/**
 * Facts the agent remembers during a call (`POST /remember`): what one may say, how it is keyed so the
 * same fact in the same conversation is stored once, and how ingestion after the call leaves out what
 * was already remembered.
 */
import { createHash } from "node:crypto";
import { DomainError } from "./domain-error";
import { memoryWords, type Memory, type MemoryDraft, type MemoryMetadata } from "./memory";
import { neutralise } from "./prompt-text";
import { err, ok, type Result } from "./result";

/** At most this many facts per conversation: a model stuck in a loop cannot flood a caller's memories. */
export const MAX_FACTS_PER_CONVERSATION = 20;
const MAX_FACT_CHARS = 500;
const MAX_CATEGORY_CHARS = 40;

/** A fact as it will be stored: one neutralised line, and its key (the category) when one was given. */
export interface RememberedFact {
  readonly text: string;
  readonly factKey: string | null;
}

/**
 * The fact and category the agent sent → what is stored, or a DomainError naming the field. The fact
 * is made one line (it reaches the agent's prompt in later calls: no template variables, no fence
 * markers, no control characters) and must then be 1..500 characters. A category becomes the fact's
 * key in lower snake case (`Contact preference` → `contact_preference`): letters, digits, `_`, at
 * most 40 characters.
 *
 * @example
 * readRememberedFact({ fact: "Prefers text\nmessages", category: "Contact preference" });
 * // ok({ text: "Prefers text messages", factKey: "contact_preference" })
 */
export function readRememberedFact(input: { readonly fact: string; readonly category?: string | undefined }): Result<RememberedFact> {
  const text = neutralise(input.fact);
  if (text === "") return err(new DomainError("INVALID_PAYLOAD", "fact must not be empty", { field: "fact" }));
  if (Array.from(text).length > MAX_FACT_CHARS) {
    return err(new DomainError("INVALID_PAYLOAD", `fact must be at most ${MAX_FACT_CHARS} characters`, { field: "fact" }));
  }
  if (input.category === undefined || input.category.trim() === "") return ok({ text, factKey: null });
  const factKey = input.category
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  if (!/^[\p{L}\p{N}_]+$/u.test(factKey) || Array.from(factKey).length > MAX_CATEGORY_CHARS) {
    return err(
      new DomainError("INVALID_PAYLOAD", `category must be a short label of letters, digits and spaces (at most ${MAX_CATEGORY_CHARS} characters)`, {
        field: "category",
      }),
    );
  }
  return ok({ text, factKey });
}

/**
 * The draft of a remembered fact. Its key is the conversation and the fact's words, so the same fact
 * sent twice in one conversation (however it is spaced or punctuated) is one memory in every store.
 */
export function rememberedFactDraft(
  fact: RememberedFact,
  context: Pick<MemoryDraft, "userId"> & Pick<MemoryMetadata, "agent_id" | "timestamp" | "conversation_id">,
): MemoryDraft {
  const words = createHash("sha256").update(memoryWords(fact.text)).digest("hex").slice(0, 32);
  return {
    key: `${context.conversation_id}:remember:${words}`,
    userId: context.userId,
    text: fact.text,
    metadata: {
      type: "factual",
      source: "remember",
      agent_id: context.agent_id,
      timestamp: context.timestamp,
      call_duration: null,
      conversation_id: context.conversation_id,
      ...(fact.factKey === null ? {} : { fact_key: fact.factKey }),
    },
  };
}

/** Whether `memories` (of one conversation) already hold this fact, in the same words. */
export function alreadyRemembered(fact: RememberedFact, memories: readonly Memory[]): boolean {
  const words = memoryWords(fact.text);
  return memories.some((memory) => memory.metadata.source === "remember" && memoryWords(memory.memory) === words);
}

/**
 * The conversation a fact without a conversation id belongs to: the caller's remembered facts of one
 * UTC day share it, so the once-only rule and the limit still hold (`remembered-2026-12-01`).
 */
export function dayConversationId(nowIso: string): string {
  return `remembered-${nowIso.slice(0, 10)}`;
}

/**
 * The factual drafts of an ingested call, minus those saying what the agent already remembered in that
 * call: a data-collection value or summary in the same words as a remembered fact is not stored twice.
 * Semantic drafts (the conversation itself) are kept: they are the record of what was said.
 */
export function withoutRemembered(drafts: readonly MemoryDraft[], remembered: readonly Memory[]): MemoryDraft[] {
  const said = new Set(remembered.filter((m) => m.metadata.source === "remember").map((m) => memoryWords(m.memory)));
  if (said.size === 0) return [...drafts];
  return drafts.filter((draft) => draft.metadata.type !== "factual" || !statements(draft.text).some((words) => said.has(words)));
}

/** A factual draft's whole text, and for a data-collection item (`Label: value`) its value alone. */
function statements(text: string): string[] {
  const colon = text.indexOf(":");
  const whole = memoryWords(text);
  return colon < 0 ? [whole] : [whole, memoryWords(text.slice(colon + 1))];
}
