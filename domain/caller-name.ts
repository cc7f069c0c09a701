/**
 * Caller-name extraction, precision first: greeting a caller by the wrong name is worse than not
 * naming them at all, so every rule here answers `null` when in doubt.
 *
 * Sources, most trusted first: the agent's data-collection results, the caller's own words, then
 * memories that state the name in one of the forms this system writes. The caller's words are read
 * with the cues of `caller-name-cues.ts`, in English and in the caller's language.
 */
import { cuesFor, type CueSet } from "./caller-name-cues";
import { spokenNames } from "./caller-name-spoken";
import { formatWords, isNameShaped, letterCount, normaliseText, startsUpper, JUNK_WORDS, PARTICLES } from "./caller-name-words";
import { firstName, isTitle } from "./first-name";
import type { DataCollectionResult, Turn } from "./conversation";

export interface CallerNameSources {
  readonly dataCollection?: readonly DataCollectionResult[];
  readonly turns?: readonly Turn[];
  readonly memories?: readonly string[];
  /**
   * The caller's language from the call's metadata (ISO 639-1 such as "es", or "pt-BR"). Its weak cues
   * ("soy …", "c'est …", "ich bin …") are then understood next to English's; without it only English's
   * weak cues are, and every language's strong ones ("me llamo …", "ich heiße …") always are.
   */
  readonly language?: string;
}

/** Data-collection ids that hold the caller's name, in order of preference. */
const NAME_FIELD_IDS = ["caller_name", "name", "first_name"] as const;

/** Written sources (data collection, memories) may carry a full name such as "Ludwig van Beethoven". */
const MAX_WRITTEN_WORDS = 4;

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
 * extractCallerName({ turns: [{ role: "user", text: "Hola, soy Lucía.", timeInCallSecs: 1 }], language: "es" }); // "Lucía"
 */
export function extractCallerName(input: CallerNameSources): string | null {
  return (
    nameFromDataCollection(input.dataCollection ?? []) ??
    nameFromTurns(input.turns ?? [], input.language) ??
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
function nameFromTurns(turns: readonly Turn[], language: string | undefined): string | null {
  // The cues are compiled for a call's words only: a profile built from memories never needs them.
  if (turns.length === 0) return null;
  const cues: CueSet = cuesFor(language);
  const found: string[] = [];
  const others = new Set<string>();
  for (const turn of turns) {
    const { names, greeted } = spokenNames(turn.text, cues, turn.role === "user" ? "caller" : "agent");
    for (const name of turn.role === "user" ? greeted : names) others.add(firstName(name).toLowerCase());
    if (turn.role === "user") found.push(...names);
  }
  return reconcile(found.filter((name) => !others.has(firstName(name).toLowerCase())));
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
