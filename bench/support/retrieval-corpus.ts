/**
 * The retrieval benchmark's corpus, generated (deterministic for a seed): callers who call ten times,
 * each call a post-call transcription as the domain reads it (`Conversation`), turned into memories by
 * the real `classifyConversation`, so the store holds exactly what ingestion writes. Facts are planted
 * in the caller's turns and in data collection (and sometimes the summary); some change in a later call
 * (a new value under the same data-collection field id, the caller saying it again). Every question is
 * worded unlike its fact and names the memories that answer it, those that state a superseded value,
 * and the words an answer must carry. Each fact is asked twice: once in wording the embedded ranking's
 * concept lists were written alongside, once in wording written after they were frozen.
 */
import { normaliseCallerId, type CallerId } from "../../domain/caller-id";
import type { Conversation, DataCollectionResult, Turn } from "../../domain/conversation";
import type { MemoryDraft } from "../../domain/memory";
import { classifyConversation } from "../../domain/memory-classification";
import {
  ACKNOWLEDGEMENTS,
  CHANGE_MENTION,
  FACT_KINDS,
  FIRST_MENTION,
  FIRST_NAMES,
  LAST_NAMES,
  PLACEHOLDERS,
  TOPICS,
  type FactKind,
  type FactValue,
} from "./retrieval-facts";
import { random } from "./seed-data";

export interface RetrievalQuestion {
  readonly userId: CallerId;
  readonly query: string;
  /** The fact kind asked about. */
  readonly kind: string;
  /** Whether the fact changed in a later call: the question is about its current value. */
  readonly changed: boolean;
  /** Worded after the embedded ranking's concept lists were frozen (see `FactKind.heldOut`). */
  readonly heldOut: boolean;
  /** {@link memoryRef}s of the memories that state the current value. */
  readonly answers: ReadonlySet<string>;
  /** {@link memoryRef}s of the memories that state a superseded value: wrong answers. */
  readonly stale: ReadonlySet<string>;
  readonly answerWords: readonly string[];
}

export interface RetrievalCorpus {
  /** Each call's memories, as ingestion writes them. */
  readonly calls: readonly (readonly MemoryDraft[])[];
  readonly questions: readonly RetrievalQuestion[];
  readonly callers: number;
  readonly memories: number;
}

export interface CorpusSize {
  readonly callers: number;
  readonly callsPerCaller: number;
  /** Facts each caller states (of the {@link FACT_KINDS}). */
  readonly factsPerCaller: number;
}

/** How a memory is recognised in search results: its call and its text. */
export function memoryRef(memory: { readonly memory: string; readonly metadata: { readonly conversation_id: string } }): string {
  return `${memory.metadata.conversation_id}\u0000${memory.memory}`;
}

const AGENT_ID = "agent_bench_retrieval_concierge";
const DAY_SECS = 86_400;
/** 2025-03-03T00:00:00Z: the first call of every caller falls within a few weeks of it. */
const FIRST_DAY = 1_740_960_000;
/** Chance that data collection picks up a collected fact the caller stated, and that the summary mentions it. */
const COLLECTED_SHARE = 0.85;
const SUMMARISED_SHARE = 0.5;

/** A fact stated in one call: where its words went, to find its memories once classified. */
interface Statement {
  readonly kind: FactKind;
  readonly value: FactValue;
  /** Index of the value's version: 0 first, 1 after a change. */
  readonly version: number;
  readonly call: number;
  turnText: string;
  summaryText: string | null;
  collectedText: string | null;
}

/**
 * @example
 * const corpus = retrievalCorpus({ callers: 200, callsPerCaller: 10, factsPerCaller: 6 }, 7);
 * for (const call of corpus.calls) await store.add(call);
 */
export function retrievalCorpus(size: CorpusSize, seed: number): RetrievalCorpus {
  const calls: MemoryDraft[][] = [];
  const questions: RetrievalQuestion[] = [];
  for (let i = 0; i < size.callers; i += 1) {
    const caller = generateCaller(i, size, seed * 100_003 + i);
    calls.push(...caller.calls);
    questions.push(...caller.questions);
  }
  return { calls, questions, callers: size.callers, memories: calls.reduce((n, call) => n + call.length, 0) };
}

function generateCaller(index: number, size: CorpusSize, seed: number): { calls: MemoryDraft[][]; questions: RetrievalQuestion[] } {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const identity = normaliseCallerId(`+1${401 + Math.floor(index / 100)}55501${String(index % 100).padStart(2, "0")}`);
  if (!identity.known) throw new Error(`the corpus made an unusable caller id for caller ${index}`);
  const userId = identity.callerId;
  const first = pick(FIRST_NAMES);
  const fullName = `${first.name} ${pick(LAST_NAMES)}`;
  const pronouns = first.she ? { they: "she", them: "her", their: "her" } : { they: "he", them: "him", their: "his" };
  const person = (template: string) => fill(template, { ...pronouns, name: first.name });

  // The facts this caller states, when, and which of them change in a later call.
  const kinds = shuffled(FACT_KINDS, rand).slice(0, size.factsPerCaller);
  const statements: Statement[] = [];
  for (const kind of kinds) {
    const firstValue = pick(kind.values);
    const call = Math.floor(rand() * Math.max(1, size.callsPerCaller - 3));
    statements.push(statement(kind, firstValue, 0, call));
    if (kind.changes && rand() < 0.5) {
      const later = call + 1 + Math.floor(rand() * (size.callsPerCaller - call - 1));
      const newValue = pick(kind.values.filter((v) => v !== firstValue));
      statements.push(statement(kind, newValue, 1, later));
    }
  }

  const calls: MemoryDraft[][] = [];
  let day = FIRST_DAY + Math.floor(rand() * 30) * DAY_SECS;
  for (let call = 0; call < size.callsPerCaller; call += 1) {
    day += (3 + Math.floor(rand() * 40)) * DAY_SECS;
    const stated = statements.filter((s) => s.call === call);
    const conversation = generateCall({ rand, pick, person, userId, fullName, first: first.name, call, stated, eventTimestamp: day + 32_400 + Math.floor(rand() * 36_000) });
    calls.push(classifyConversation(conversation));
  }

  // Two questions per fact about its current value: one worded alongside the concept lists, one held out.
  const byRef = (found: (s: Statement) => boolean) => {
    const refs = new Set<string>();
    for (const s of statements.filter(found)) {
      for (const draft of calls[s.call] ?? []) {
        const text = draft.text;
        const mentions = text.includes(s.turnText) || (s.summaryText !== null && draft.metadata.source === "summary" && text.includes(s.summaryText)) || text === s.collectedText;
        if (mentions) refs.add(memoryRef({ memory: text, metadata: draft.metadata }));
      }
    }
    return refs;
  };
  const questions = kinds.flatMap((kind): RetrievalQuestion[] => {
    const versions = statements.filter((s) => s.kind === kind);
    const current = versions.reduce((a, b) => (b.version > a.version ? b : a));
    const answers = byRef((s) => s === current);
    if (answers.size === 0) throw new Error(`the corpus lost the memories of ${kind.id} for caller ${index}`);
    const stale = byRef((s) => s.kind === kind && s !== current);
    const question = (query: string, heldOut: boolean): RetrievalQuestion => ({
      userId,
      query: person(query),
      kind: kind.id,
      changed: versions.length > 1,
      heldOut,
      answers,
      stale,
      answerWords: current.value.answer,
    });
    return [question(pick(kind.questions), false), question(pick(kind.heldOut), true)];
  });
  return { calls, questions };

  function statement(kind: FactKind, value: FactValue, version: number, call: number): Statement {
    const prefix = version === 0 ? pick(FIRST_MENTION) : pick(CHANGE_MENTION);
    const said = pick(value.said);
    const turnText = prefix === "" || prefix.endsWith(". ") || prefix.endsWith(": ") ? `${prefix}${said}` : `${prefix}${lowerFirst(said)}`;
    return { kind, value, version, call, turnText, summaryText: null, collectedText: null };
  }
}

interface CallPlan {
  readonly rand: () => number;
  readonly pick: <T>(items: readonly T[]) => T;
  readonly person: (template: string) => string;
  readonly userId: CallerId;
  readonly fullName: string;
  readonly first: string;
  readonly call: number;
  readonly stated: Statement[];
  readonly eventTimestamp: number;
}

/** One call: greeting, the topic's exchange with the stated facts woven in, a closing; its summary and data collection. */
function generateCall(plan: CallPlan): Conversation {
  const { rand, pick, person, first, fullName, call, stated } = plan;
  const topic = pick(TOPICS);
  const values: Record<string, string> = {};
  for (const [key, options] of Object.entries(PLACEHOLDERS)) values[key] = pick(options);
  if (values.day2 === values.day) values.day2 = values.day === "Friday" ? "Saturday" : "Friday";
  const topicLine = (template: string) => fill(template, values);

  const lines: [Turn["role"], string][] = [];
  lines.push(["agent", call === 0 ? "Thanks for calling Lumen Line, how can I help today?" : `Hi ${first}, welcome back to Lumen Line! What can I do for you?`]);
  lines.push(["user", call === 0 || rand() < 0.3 ? `Hi, it's ${fullName}. ${topicLine(topic.turns[0] ?? "")}` : topicLine(topic.turns[0] ?? "")]);
  const exchange = topic.turns.slice(1).map((t, k): [Turn["role"], string] => [k % 2 === 0 ? "agent" : "user", topicLine(t)]);
  // Each fact goes in after one of the agent's lines of the exchange, the caller speaking next.
  const slots = exchange.map((_, k) => k).filter((k) => exchange[k]?.[0] === "agent");
  const inserts = new Map<number, Statement[]>();
  for (const s of stated) {
    const slot = pick(slots);
    inserts.set(slot, [...(inserts.get(slot) ?? []), s]);
  }
  exchange.forEach((line, k) => {
    lines.push(line);
    for (const s of inserts.get(k) ?? []) {
      lines.push(["user", s.turnText]);
      lines.push(["agent", pick(ACKNOWLEDGEMENTS)]);
    }
  });
  const last = lines.at(-1) as [Turn["role"], string];
  if (last[0] === "agent") last[1] += " Is there anything else I can help with?";
  else lines.push(["agent", "Is there anything else I can help with?"]);
  lines.push(["user", rand() < 0.5 ? "No, that's all, thank you." : "That's everything, thanks so much."]);
  lines.push(["agent", `You're welcome, ${first}. Have a lovely day!`]);
  const turns = lines.map(([role, text], k): Turn => ({ role, text, timeInCallSecs: k * 9 }));

  const mentions: string[] = [];
  for (const s of stated) {
    if (rand() < SUMMARISED_SHARE) {
      s.summaryText = person(s.value.summary);
      mentions.push(` ${capitalise(person("{they}"))} mentioned that ${s.summaryText}.`);
    }
  }
  const summary = `${fullName} called about ${topic.reason}.${mentions.join("")} The agent ${topicLine(topic.outcome)}.`;

  const dataCollection: DataCollectionResult[] = [
    { id: "caller_name", value: call === 0 || rand() < 0.5 ? fullName : null, rationale: null },
    { id: "call_reason", value: topic.reason.replace(/^a /, ""), rationale: "The caller said why they called." },
  ];
  for (const kind of new Set(stated.map((s) => s.kind))) {
    if (!kind.collected) continue;
    const s = stated.find((x) => x.kind === kind) as Statement;
    const collected = rand() < COLLECTED_SHARE;
    if (collected) s.collectedText = `${humanise(kind.id)}: ${s.value.collected}`;
    dataCollection.push({ id: kind.id, value: collected ? s.value.collected : null, rationale: collected ? "The caller stated it." : null });
  }

  return {
    eventType: "post_call_transcription",
    conversationId: `conv_retrieval_${plan.userId.slice(1)}_${call}`,
    agentId: AGENT_ID,
    caller: { known: true, callerId: plan.userId },
    eventTimestamp: plan.eventTimestamp,
    durationSecs: turns.length * 9 + 12,
    turns,
    summary,
    evaluations: [{ criteriaId: "resolved", result: "success", rationale: "The agent resolved the caller's request." }],
    dataCollection,
    audioBase64: null,
    failureReason: null,
  };
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** `dietary_requirements` → `Dietary requirements`, as classification writes a data-collection label. */
function humanise(id: string): string {
  const words = id.replace(/_/g, " ");
  return capitalise(words);
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** After a lead-in ("Oh, and …"), the sentence's first letter is lower case unless it starts with "I" or a name. */
const lowerFirst = (text: string) => (/^(I\b|I'|Kiwi\b|Portuguese\b|WhatsApp\b|PayPal\b)/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1));

function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
