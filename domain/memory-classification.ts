/**
 * Memory classification: which memories one conversation becomes.
 *
 * - Factual drafts are stated facts about the caller, kept verbatim: the call summary, each data-collection
 *   result (`Caller name: Marisol Quenby`) and the caller's stated name.
 * - Evaluation rationales ("Before closing, the agent repeated the booking…") judge the agent's conduct, not
 *   the caller: they never become memories. They stay in the call record, the archived transcript (the raw
 *   webhook body), where `agentic-memory export` shows them as each transcript's `evaluation`.
 * - Semantic drafts are the conversation itself, in chunks of a few turns stamped with the call date, so a
 *   search hands the agent focused text that fits an in-call answer.
 *
 * Every memory of a call carries the call's language when it is known (`metadata.language`), so a
 * store can search it in that language.
 *
 * Only transcriptions of callers with an identity become memories: audio and failed initiations are archived
 * only, and anonymous callers never read or write memories. Keys are `${conversationId}:${source}:${index}`,
 * so the same conversation always yields the same drafts and a re-delivered webhook writes nothing twice.
 */
import { extractCallerName, formatCallerNameMemory } from "./caller-name";
import type { CallerId } from "./caller-id";
import type { Conversation, Turn } from "./conversation";
import type { Memory, MemoryDraft, MemoryMetadata, MemorySource } from "./memory";
import { callDate as localCallDate, labelsFor } from "./language-labels";

export interface ClassifyConversationOptions {
  /** Turns per semantic chunk (a positive integer); defaults to {@link DEFAULT_TURNS_PER_CHUNK}. */
  readonly turnsPerChunk?: number;
}

/** The key of the caller's name: a newer name supersedes an older one. */
const CALLER_NAME_FACT_KEY = "caller_name";

/** A few turns: enough context for one exchange, short enough to read out in an answer. */
const DEFAULT_TURNS_PER_CHUNK = 4;

/** What factual drafts are made from now; `evaluation` memories are only ever read (written by earlier versions). */
type FactualSource = Exclude<MemorySource, "conversation" | "evaluation">;

/**
 * Turn a parsed conversation into the memories to write for its caller.
 *
 * @example
 * const drafts = classifyConversation(conversation);
 * drafts[0]; // { key: "conv_…:summary:0", userId: "+15550100123", text: "Returning caller …", metadata: { type: "factual", source: "summary", … } }
 * classifyConversation(audioEvent); // []
 */
export function classifyConversation(conversation: Conversation, options: ClassifyConversationOptions = {}): MemoryDraft[] {
  const turnsPerChunk = options.turnsPerChunk ?? DEFAULT_TURNS_PER_CHUNK;
  if (!Number.isSafeInteger(turnsPerChunk) || turnsPerChunk < 1) {
    throw new RangeError(`turnsPerChunk must be a positive integer, got ${turnsPerChunk}`);
  }
  if (conversation.eventType !== "post_call_transcription" || !conversation.caller.known) return [];

  const userId = conversation.caller.callerId;
  const timestamp = new Date(conversation.eventTimestamp * 1000).toISOString();
  const metadataFor = (type: MemoryMetadata["type"], source: MemorySource): MemoryMetadata => ({
    type,
    source,
    agent_id: conversation.agentId,
    timestamp,
    call_duration: conversation.durationSecs,
    conversation_id: conversation.conversationId,
    ...(conversation.language ? { language: conversation.language } : {}),
  });

  return [
    ...factualDrafts(conversation, userId, metadataFor),
    ...semanticDrafts(conversation, userId, turnsPerChunk, timestamp.slice(0, 10), metadataFor),
  ];
}

function factualDrafts(
  conversation: Conversation,
  userId: CallerId,
  metadataFor: (type: "factual", source: FactualSource) => MemoryMetadata,
): MemoryDraft[] {
  // A fact's key says what it is about, so that a newer fact with the same key supersedes it: a
  // data-collection field by its id, the caller's name by `caller_name`; a summary is about one call.
  const candidates: { readonly source: FactualSource; readonly text: string; readonly factKey?: string }[] = [];
  if (conversation.summary !== null) candidates.push({ source: "summary", text: conversation.summary });
  for (const { id, value } of conversation.dataCollection) {
    const shown = showValue(value);
    if (shown !== "") candidates.push({ source: "data_collection", text: `${humaniseId(id)}: ${shown}`, factKey: id });
  }
  const name = extractCallerName({ dataCollection: conversation.dataCollection, turns: conversation.turns, language: conversation.language ?? undefined });
  if (name !== null) candidates.push({ source: "caller_name", text: formatCallerNameMemory(name), factKey: CALLER_NAME_FACT_KEY });

  const seen = new Set<string>();
  const perSource = new Map<FactualSource, number>();
  const drafts: MemoryDraft[] = [];
  for (const { source, text: raw, factKey } of candidates) {
    const text = raw.trim();
    const fingerprint = normaliseForComparison(text);
    if (fingerprint === "" || seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    const index = perSource.get(source) ?? 0;
    perSource.set(source, index + 1);
    const metadata = metadataFor("factual", source);
    drafts.push({ key: draftKey(conversation, source, index), userId, text, metadata: factKey === undefined ? metadata : { ...metadata, fact_key: factKey } });
  }
  return drafts;
}

function semanticDrafts(
  conversation: Conversation,
  userId: CallerId,
  turnsPerChunk: number,
  callDate: string,
  metadataFor: (type: "semantic", source: "conversation") => MemoryMetadata,
): MemoryDraft[] {
  const drafts: MemoryDraft[] = [];
  const labels = labelsFor(conversation.language);
  for (let start = 0; start < conversation.turns.length; start += turnsPerChunk) {
    const chunk = conversation.turns.slice(start, start + turnsPerChunk);
    drafts.push({
      key: draftKey(conversation, "conversation", drafts.length),
      userId,
      // Our labels in the caller's language; what was said is kept as said.
      text: [labels.callOn(localCallDate(callDate, conversation.language)), ...chunk.map((turn) => transcriptLine(turn, labels))].join("\n"),
      metadata: metadataFor("semantic", "conversation"),
      messages: chunk.map((turn) => ({ role: turn.role === "agent" ? "assistant" : "user", content: turn.text })),
    });
  }
  return drafts;
}

/** One line per turn, so line breaks inside what was said become spaces. */
function transcriptLine(turn: Turn, labels: { readonly agent: string; readonly caller: string }): string {
  const speaker = turn.role === "agent" ? labels.agent : labels.caller;
  return `${speaker}: ${turn.text.replace(/\s*\n\s*/g, " ")}`;
}

function draftKey(conversation: Conversation, source: MemorySource, index: number): string {
  return `${conversation.conversationId}:${source}:${index}`;
}

/** Yes/no reads better in a memory than `true`/`false`; empty strings say nothing and are skipped. */
function showValue(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value).trim();
}

/**
 * Whether a memory states the caller's name: a name memory, or the data-collection result of a name
 * field as {@link classifyConversation} writes it (`Caller name: Marisol Quenby`). The agent already
 * gets the name in its own variable, so these only repeat it, or offer an older name that contradicts
 * it. A name field whose value is no name (`Caller name: unknown`) states nothing and is not one.
 *
 * @example
 * statesCallerName({ memory: "Caller name: Marisol Quenby", metadata: { source: "data_collection", … } }); // true
 * statesCallerName({ memory: "Party size: 5", metadata: { source: "data_collection", … } }); // false
 */
export function statesCallerName(memory: Pick<Memory, "memory" | "metadata">): boolean {
  if (memory.metadata.source === "caller_name") return true;
  if (memory.metadata.source !== "data_collection") return false;
  const item = DATA_COLLECTION_ITEM.exec(memory.memory.trim());
  if (item === null) return false;
  const [, label = "", value = ""] = item;
  // The label is the field id humanised (`caller_name` → `Caller name`): read back, it is the id again.
  const id = label.trim().toLowerCase().replace(/\s+/g, "_");
  return extractCallerName({ dataCollection: [{ id, value, rationale: null }] }) !== null;
}

/** A data-collection memory as written: `<humanised id>: <value>`. */
const DATA_COLLECTION_ITEM = /^([^:]+):\s*(.*)$/su;

/**
 * `caller_name` → `Caller name`, `preferredContact` → `Preferred contact`.
 */
function humaniseId(id: string): string {
  const words = id
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_-]+/)
    .filter((word) => word !== "")
    .join(" ")
    .toLowerCase();
  if (words === "") return id;
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Two texts that differ only in case, spacing or compatibility forms are the same memory. */
function normaliseForComparison(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}
