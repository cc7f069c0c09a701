/**
 * Caller-name extraction, precision first: greeting a caller by the wrong name is worse than not
 * naming them at all, so every rule here answers `null` when in doubt.
 *
 * Sources, most trusted first: the agent's data-collection results, the caller's own words, then
 * memories that state the name in one of the forms this system writes.
 */
import {
  formatWords, isAllUpper, isNameShaped, isPossessive, isTitle, letterCount, startsUpper,
  JUNK_WORDS, NOT_A_PERSON, ORG_WORDS, PARTICLES, STOP_WORDS,
} from "./caller-name-words";
import type { DataCollectionResult, Turn } from "./conversation";

export interface CallerNameSources {
  readonly dataCollection?: readonly DataCollectionResult[];
  readonly turns?: readonly Turn[];
  readonly memories?: readonly string[];
}

/** Data-collection ids that hold the caller's name, in order of preference. */
const NAME_FIELD_IDS = ["caller_name", "name", "first_name"] as const;

/** Written sources (data collection, memories) may carry a full name such as "Ludwig van Beethoven". */
const MAX_WRITTEN_WORDS = 4;

/**
 * How much a spoken cue proves on its own, from most to least:
 * - `name`: "my name is" states a name outright; a lower-case word is accepted, only stop words refused.
 * - `call`: "call me" also takes times and places ("call me Friday"), so {@link NOT_A_PERSON} is refused too.
 * - `weak`: "this is", "I'm", "<Name> speaking" mostly introduce something else: the name must also be
 *   capitalised in properly cased text, and the sentence must not be a question.
 * - `opening`: "it's" is weaker still ("It's Paris", "It's Monday"): a weak cue that counts only in the
 *   turn's opening words, after the caller spoke of their name, or before "here", "speaking", "calling"….
 */
type CueKind = "name" | "call" | "weak" | "opening";

interface Cue {
  readonly pattern: RegExp;
  readonly kind: CueKind;
}

/** Cues recognised only at the start of a sentence, after greetings and fillers. */
const SENTENCE_START_CUES: readonly Cue[] = [
  { pattern: /^(?:the\s+)?name(?:'s|\s+is)[\s,]+/iu, kind: "name" },
  { pattern: /^(?:(?:you|u)\s+can\s+|please\s+|just\s+)*call\s+me[\s,]+/iu, kind: "call" },
  { pattern: /^this\s+is[\s,]+/iu, kind: "weak" },
  { pattern: /^i(?:'m|\s+am)[\s,]+/iu, kind: "weak" },
  { pattern: /^it(?:'s|\s+is)[\s,]+/iu, kind: "opening" },
  // "Dana here", "Priya Raman speaking": the cue follows the name, so nothing is consumed.
  { pattern: /^(?=(?:[^\s,]+\s+){1,2}(?:speaking|here)\s*(?:,|$))/iu, kind: "weak" },
];
/** How the agent introduces itself; "it's Marisol" from the agent confirms the caller's name instead. */
const AGENT_CUES = SENTENCE_START_CUES.filter((cue) => cue.kind !== "opening");
/** Words after an "it's" name that make it an introduction anywhere in the turn. */
const SELF_MARKERS = new Set(["here", "speaking", "calling", "ringing", "phoning", "returning", "again"]);

/** "my name is" is first-person wherever it appears in a sentence. */
const MY_NAME_IS = /\bmy\s+name(?:'s|\s+is)[\s,]+(?:actually\s+)?/giu;
/** Words before "my name is" that make it hypothetical ("what if my name is…"). */
const HYPOTHETICAL = /\b(?:if|whether|unless|suppose|supposing|imagine|pretend)\b/iu;

/** Sentences keep their end mark, so a question can be told from a statement. */
const SENTENCE_SPLIT = /(?<=[.!?;\n\u2026])/u;
const SENTENCE_END = /[\s.!?;\u2026]+$/u;
const LEADING_FILLER =
  /^(?:(?:hi|hello|hey|hiya|yes|yeah|yep|yup|oh|ah|um+|uh+|erm?|hmm+|well|so|ok|okay|right|sure|and|but|no|sorry|actually|anyway|there|good\s+(?:morning|afternoon|evening|day)|morning|afternoon|evening)(?![\p{L}\p{M}'-])[\s,]*)+/iu;
/** "Hi Ava, this is Dana", "Hey Ava! It's Dana": a capitalised word right after a greeting is whom the caller greets. */
const GREETING_END = /\b(?:hi|hello|hey|hiya)[\s,]*$/iu;
const VOCATIVE = /^([\p{L}\p{M}'-]+)(?:\s*,\s*|\s*$)/u;
/** Hesitations between a cue and the name: "it's, um, Tomasz". */
const INNER_FILLER = /^(?:(?:um+|uh+|erm?|ah|hmm+)(?![\p{L}\p{M}'-])[\s,]*)+/iu;
const CLAUSE_END = /[,()":\u2013\u2014]/u;

/** The memory forms that state the caller's name: ours, the data-collection one, and Mem0's "Name is X". */
const MEMORY_CUE = /^\s*(?:(?:the\s+)?(?:caller|user|customer)(?:'s)?[\s_]+name\s*(?::|\s+is\b)|name\s+is\b)\s*/iu;
const MEMORY_NAME_END = /[.,;:!?()]/u;

/**
 * The caller's name from the most trusted source that states it, properly capitalised, or `null`.
 *
 * Data collection beats the caller's own words, which beat stored memories. The agent's turns never
 * name the caller; they only tell whose name the agent has. When one source names two different
 * people, it yields nothing.
 *
 * @example
 * extractCallerName({ turns: [{ role: "user", text: "Hi! Yes, it's Marisol Quenby.", timeInCallSecs: 3 }] }); // "Marisol Quenby"
 * extractCallerName({ turns: [{ role: "user", text: "my name is sarah", timeInCallSecs: 1 }] });             // "Sarah"
 * extractCallerName({ memories: ["User prefers email updates"] });                                             // null
 */
export function extractCallerName(input: CallerNameSources): string | null {
  return (
    nameFromDataCollection(input.dataCollection ?? []) ??
    nameFromTurns(input.turns ?? []) ??
    nameFromMemories(input.memories ?? [])
  );
}

/**
 * The memory text that records a caller's name; {@link extractCallerName} reads it back.
 *
 * @example
 * formatCallerNameMemory("Marisol Quenby"); // "The caller's name is Marisol Quenby."
 */
export function formatCallerNameMemory(name: string): string {
  return `The caller's name is ${name}.`;
}

/**
 * The first word of a name, hyphenated parts included, after any title. A title with a surname alone
 * stays whole, since that is how such a caller is addressed.
 *
 * @example
 * firstName("Mary-Jane O'Brien"); // "Mary-Jane"
 * firstName("Dr. Amara Okafor");  // "Amara"
 * firstName("Mrs Okafor");        // "Mrs Okafor"
 */
export function firstName(name: string): string {
  const words = name.trim().split(/\s+/u);
  if (!isTitle(words[0] ?? "")) return words[0] ?? "";
  return words.length > 2 ? (words[1] ?? "") : words.join(" ");
}

function nameFromDataCollection(results: readonly DataCollectionResult[]): string | null {
  for (const id of NAME_FIELD_IDS) {
    for (const result of results) {
      if (result.id.trim().toLowerCase() !== id || typeof result.value !== "string") continue;
      const name = writtenName(result.value);
      if (name !== null) return name;
    }
  }
  return null;
}

/** A whole data-collection value that is nothing but a name; anything else ("N/A", "the caller", "Caller 3") is junk. */
function writtenName(value: string): string | null {
  const text = normaliseText(value).trim().replace(/\.+$/u, "").replace(/\s+/gu, " ");
  const titled = isTitle(text.split(" ")[0] ?? "");
  const words = text.split(" ").slice(titled ? 1 : 0);
  if (words.length > MAX_WRITTEN_WORDS || (titled && words.length < 2)) return null;
  const [first] = words;
  if (first === undefined || letterCount(first) < 2) return null;
  if (!words.every((word) => isNameShaped(word) && !JUNK_WORDS.has(word.toLowerCase()))) {
    return null;
  }
  return formatWords(words);
}

/**
 * The caller's name from the caller's turns. A name the agent gives itself ("this is Ava"), or one the
 * caller greets ("Oh, it's Ava! Hi Ava."), belongs to someone else and is dropped.
 */
function nameFromTurns(turns: readonly Turn[]): string | null {
  const found: string[] = [];
  const others = new Set<string>();
  for (const turn of turns) {
    const { names, greeted } = spokenNames(turn.text, turn.role === "user" ? SENTENCE_START_CUES : AGENT_CUES);
    for (const name of turn.role === "user" ? greeted : names) others.add(firstName(name).toLowerCase());
    if (turn.role === "user") found.push(...names);
  }
  return reconcile(found.filter((name) => !others.has(firstName(name).toLowerCase())));
}

function spokenNames(rawText: string, cues: readonly Cue[]): { names: string[]; greeted: string[] } {
  const text = normaliseText(rawText);
  // Speech-to-text without casing tells nothing about which words are names.
  const caseless = text === text.toLowerCase() || text === text.toUpperCase();
  const names: string[] = [];
  const greeted: string[] = [];
  let opening = true; // nothing but greetings and fillers so far
  let nameSpoken = false; // "My name isn't Sarah. It's Sara."
  for (const piece of text.split(SENTENCE_SPLIT)) {
    const question = piece.trimEnd().endsWith("?");
    const sentence = piece.replace(SENTENCE_END, "");
    for (const match of sentence.matchAll(MY_NAME_IS)) {
      if (HYPOTHETICAL.test(sentence.slice(0, match.index))) continue;
      const name = readSpokenName(sentence.slice(match.index + match[0].length), "name", caseless, true);
      if (name !== null) names.push(name);
    }
    const { clause, vocative } = clauseStart(sentence);
    if (vocative !== null) greeted.push(vocative);
    for (const cue of cues) {
      const match = cue.pattern.exec(clause);
      if (match === null || (question && (cue.kind === "weak" || cue.kind === "opening"))) continue;
      const name = readSpokenName(clause.slice(match[0].length), cue.kind, caseless, opening || nameSpoken);
      if (name !== null) names.push(name);
    }
    if (clause !== "") opening = false;
    if (/\bname\b/iu.test(sentence)) nameSpoken = true;
  }
  return { names, greeted };
}

/** The sentence without its leading greetings, fillers and "Hi Ava," vocative. */
function clauseStart(sentence: string): { clause: string; vocative: string | null } {
  const trimmed = sentence.trim();
  const clause = trimmed.replace(LEADING_FILLER, "");
  const match = VOCATIVE.exec(clause);
  const vocative = match?.[1] ?? "";
  if (match === null || !startsUpper(vocative) || !GREETING_END.test(trimmed.slice(0, trimmed.length - clause.length))) {
    return { clause, vocative: null };
  }
  return { clause: clause.slice(match[0].length), vocative };
}

/**
 * The name right after a cue: one word, plus a capitalised surname when the text is properly cased,
 * or in caseless text a second word that ends the clause. Never more: a third capitalised word is more
 * often the sentence going on than a middle name. After a title both are needed: "Mrs Okafor" gives
 * no first name to greet with.
 */
function readSpokenName(rest: string, kind: CueKind, caseless: boolean, inContext: boolean): string | null {
  const clause = rest.replace(INNER_FILLER, "").split(CLAUSE_END)[0] ?? "";
  const words = clause.trim().split(/\s+/u);
  const titled = isTitle(words[0] ?? "");
  if (titled) words.shift();
  const [first = "", second] = words;
  const strong = kind === "name" || kind === "call";
  const capitalised = startsUpper(first) && !caseless;
  if (isPossessive(first) || !isSpokenNameWord(first, kind) || (!strong && !capitalised)) return null;
  if (!caseless && isAllUpper(first)) return null; // "this is HR"
  if (!capitalised && /ing$/iu.test(first) && first.length >= 5) return null; // "call me asking…"

  const name = [first];
  // "It's Room 12", "I'm Type 2 diabetic", "This is Apple Support", "it's Walgreens pharmacy"
  if (second !== undefined && (/^\d/u.test(second) || ORG_WORDS.has(second.toLowerCase()))) return null;
  if (second !== undefined && capitalised && startsUpper(second)) {
    if (isPossessive(second)) return null; // "I'm Mary Smith's daughter"
    if (isSpokenNameWord(second, "name") && !isAllUpper(second)) name.push(second);
  } else if (second !== undefined && caseless && strong && words.length === 2 && isSpokenNameWord(second, "name")) {
    name.push(second);
  }
  if (titled && name.length < 2) return null;
  if (kind === "opening" && !inContext && !SELF_MARKERS.has(words[name.length]?.toLowerCase() ?? "")) return null;
  return formatWords(name);
}

function nameFromMemories(memories: readonly string[]): string | null {
  const found: string[] = [];
  for (const memory of memories) {
    const text = normaliseText(memory);
    const cue = MEMORY_CUE.exec(text);
    if (cue === null) continue;
    const name = leadingWrittenName(text.slice(cue[0].length), text === text.toLowerCase());
    if (name !== null) found.push(name);
  }
  return reconcile(found);
}

/** The name at the start of a memory's remainder: a capitalised word, then further capitalised words or particles. */
function leadingWrittenName(rest: string, caseless: boolean): string | null {
  const candidate = rest.split(MEMORY_NAME_END)[0] ?? "";
  const words: string[] = [];
  for (const word of candidate.trim().split(/\s+/u)) {
    if (words.length === MAX_WRITTEN_WORDS) break;
    const usable = isNameShaped(word) && !JUNK_WORDS.has(word.toLowerCase());
    const isFirst = words.length === 0;
    if (isFirst && (!usable || letterCount(word) < 2 || (!caseless && !startsUpper(word)))) return null;
    if (!isFirst && (!usable || caseless || !(startsUpper(word) || PARTICLES.has(word)))) break;
    words.push(word);
  }
  while (words.length > 1 && PARTICLES.has(words[words.length - 1] ?? "")) words.pop();
  return words.length === 0 ? null : formatWords(words);
}

/**
 * One name from several mentions. Mentions of two different first names mean we cannot tell who
 * the caller is; mentions that disagree only on the surname keep the first name alone.
 */
function reconcile(names: readonly string[]): string | null {
  const [first] = names;
  if (first === undefined) return null;
  const key = (name: string): string => name.toLowerCase();
  if (new Set(names.map((name) => key(firstName(name)))).size > 1) return null;
  const full = names.filter((name) => name.includes(" "));
  const distinctFull = new Set(full.map(key));
  if (distinctFull.size === 0) return first;
  if (distinctFull.size === 1) return full[0] ?? first;
  return firstName(first);
}

/** A name-shaped word; after any cue but "my name is", no part of it may be a place, brand, role… ("Texas-based"). */
function isSpokenNameWord(word: string, kind: CueKind): boolean {
  if (!isNameShaped(word) || letterCount(word) < 2) return false;
  const lower = word.toLowerCase();
  if (STOP_WORDS.has(lower)) return false;
  return kind === "name" || ![lower, ...lower.split("-")].some((part) => NOT_A_PERSON.has(part) || STOP_WORDS.has(part));
}

/** Typographic apostrophes and hyphens as ASCII, accents composed, so one rule reads every spelling. */
function normaliseText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[\u2018\u2019\u02BC\u00B4`]/gu, "'")
    .replace(/[\u2010\u2011]/gu, "-")
    .replace(/\b(dr|mrs?|ms|mx|prof)\./giu, "$1"); // "Dr. Amara" is one sentence
}
