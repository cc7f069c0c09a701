/**
 * Caller-name extraction, precision first: greeting a caller by the wrong name is worse than not
 * naming them at all, so every rule here answers `null` when in doubt.
 *
 * Sources, most trusted first: the agent's data-collection results, the caller's own words, then
 * memories that state the name in one of the forms this system writes.
 */
import type { DataCollectionResult, Turn } from "./conversation";

export interface CallerNameSources {
  readonly dataCollection?: readonly DataCollectionResult[];
  readonly turns?: readonly Turn[];
  readonly memories?: readonly string[];
}

/** Data-collection ids that hold the caller's name, in order of preference. */
const NAME_FIELD_IDS = ["caller_name", "name", "first_name"] as const;

/** One word of a name: letters (any script, with combining marks), joined by inner hyphens or apostrophes. */
const NAME_WORD = /^\p{L}[\p{L}\p{M}]*(?:['-]\p{L}[\p{L}\p{M}]*)*$/u;
const MAX_WORD_LENGTH = 30;
/** Written sources (data collection, memories) may carry a full name such as "Ludwig van Beethoven". */
const MAX_WRITTEN_WORDS = 4;

/** Lower-case surname particles that stay lower-case inside a written name. */
const PARTICLES = new Set(["van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "bin", "ibn", "al"]);

/**
 * Values that mean "no name" in a written source. Kept apart from {@link STOP_WORDS} because written
 * sources were already judged to be names, and words like "June" or "Hope" are names there.
 */
const JUNK_WORDS = new Set([
  "unknown", "none", "null", "undefined", "nil", "na", "anonymous", "unnamed", "unspecified", "unstated",
  "redacted", "withheld", "provided", "given", "stated", "known", "mentioned", "available", "applicable",
  "unclear", "unsure", "not", "no", "yes", "the", "a", "an", "caller", "customer", "client", "user", "person",
  "someone", "somebody", "nobody", "name", "test", "me", "him", "her", "them", "it", "this", "that", "tbd",
  "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "madam", "maam", "ma'am",
]);

/**
 * Words that follow "I'm", "this is", "it's", "call me"… without being a name. Only applied to
 * spoken turns, where such phrases mostly are not introductions.
 */
const STOP_WORDS = new Set([
  ...JUNK_WORDS,
  // pronouns and function words
  "i", "i'm", "im", "i've", "ive", "my", "mine", "myself", "you", "your", "yours", "he", "his", "she", "hers",
  "we", "us", "our", "they", "their", "its", "it's", "who", "whom", "whose", "what", "which", "where", "when",
  "why", "how", "these", "those", "there", "here", "and", "or", "but", "so", "if", "then", "than", "as", "like",
  "because", "since", "while", "until", "unless", "though", "although", "whether", "in", "on", "at", "to",
  "from", "with", "without", "for", "of", "by", "about", "into", "onto", "over", "under", "after", "before",
  "around", "near", "off", "out", "up", "down", "back", "again", "also", "too", "just", "only", "still", "even",
  "already", "really", "actually", "very", "quite", "pretty", "such", "all", "any", "some", "nothing",
  "anyone", "anybody", "everyone", "everybody", "one", "both", "each", "every", "other", "another", "same",
  "nope", "yeah", "yep", "yup", "ok", "okay", "sure", "right", "well", "oh", "um", "uh", "hmm", "er", "ah",
  // verbs and auxiliaries
  "am", "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "done", "doing", "have", "has",
  "had", "having", "get", "got", "getting", "go", "going", "gone", "gonna", "wanna", "gotta", "can", "could",
  "would", "shall", "should", "might", "must", "calling", "ringing", "phoning", "looking", "trying",
  "wondering", "hoping", "checking", "returning", "following", "asking", "wanting", "needing", "waiting",
  "coming", "making", "booking", "reaching", "contacting", "speaking", "talking", "enquiring", "inquiring",
  "writing", "texting", "thinking", "planning", "moving", "leaving", "running", "working", "living",
  "staying", "driving", "feeling", "regarding", "concerning", "re", "need", "want", "wanted", "called",
  "interested",
  // adjectives and states
  "fine", "good", "great", "sorry", "afraid", "glad", "happy", "sad", "ready", "new", "old", "late", "early",
  "busy", "free", "certain", "confused", "lost", "stuck", "tired", "sick", "ill", "worried", "upset", "angry",
  "annoyed", "frustrated", "disappointed", "pleased", "excited", "curious", "aware", "unable",
  "able", "home", "away", "alone", "single", "married", "divorced", "retired", "pregnant", "vegetarian",
  "vegan", "allergic", "diabetic", "deaf", "blind", "disabled", "urgent", "important", "serious",
  "ridiculous", "crazy", "correct", "wrong", "true", "false", "real", "nice", "cool", "cold", "hot", "warm",
  "bad", "better", "best", "worse", "worst", "terrible", "awful", "perfect", "open", "closed", "broken",
  "outside", "inside", "literally", "basically", "honestly", "probably", "definitely",
  "currently", "recently", "finally", "directly", "quickly", "immediately", "personally", "usually",
  "obviously", "exactly", "totally", "simply", "maybe", "later", "soon", "now", "today", "tonight",
  "tomorrow", "yesterday", "sometime", "anytime", "whenever", "asap", "please", "thanks", "thank", "bye",
  "goodbye", "hi", "hello", "hey", "hiya", "welcome",
  // roles and relations
  "guest", "member", "patient", "owner", "manager", "mom", "mum", "mother", "dad", "father", "wife",
  "husband", "son", "daughter", "sister", "brother", "friend",
  // days, months, holidays
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend", "january",
  "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
  "december", "christmas", "easter", "thanksgiving", "halloween",
  // nationalities, languages, faiths ("I'm Dutch", "It's English")
  "american", "british", "english", "irish", "scottish", "welsh", "canadian", "australian", "mexican",
  "spanish", "french", "german", "italian", "dutch", "portuguese", "brazilian", "chinese", "japanese",
  "korean", "indian", "russian", "polish", "greek", "turkish", "arabic", "swedish", "norwegian", "danish",
  "finnish", "african", "asian", "european", "latino", "latina", "hispanic", "jewish", "muslim",
  "christian", "catholic", "hindu", "buddhist", "atheist",
]);

/** What the caller said: a cue and how much it proves on its own. */
interface Cue {
  readonly pattern: RegExp;
  /**
   * Strong cues ("my name is", "call me") state a name outright, so a lower-case word after them is
   * accepted. Weak cues ("I'm", "this is", "it's") mostly introduce something else, so the word after
   * them must be capitalised in properly cased text.
   */
  readonly strong: boolean;
}

/** Cues recognised only at the start of a sentence, after greetings and fillers. */
const SENTENCE_START_CUES: readonly Cue[] = [
  { pattern: /^(?:the\s+)?name(?:'s|\s+is)\s+/iu, strong: true },
  { pattern: /^(?:(?:you|u)\s+can\s+|please\s+|just\s+)*call\s+me\s+/iu, strong: true },
  { pattern: /^this\s+is\s+/iu, strong: false },
  { pattern: /^it(?:'s|\s+is)\s+/iu, strong: false },
  { pattern: /^i(?:'m|\s+am)\s+/iu, strong: false },
];

/** "my name is" is first-person wherever it appears in a sentence. */
const MY_NAME_IS = /\bmy\s+name(?:'s|\s+is)\s+(?:actually\s+)?/giu;
/** Words before "my name is" that make it hypothetical ("what if my name is…"). */
const HYPOTHETICAL = /\b(?:if|whether|unless|suppose|supposing|imagine|pretend)\b/iu;

const SENTENCE_BREAK = /[.!?;\n\u2026]+/u;
const LEADING_FILLER =
  /^(?:(?:hi|hello|hey|hiya|yes|yeah|yep|yup|oh|ah|um+|uh+|erm?|hmm+|well|so|ok|okay|right|sure|and|but|no|sorry|actually|anyway|there|good\s+(?:morning|afternoon|evening|day)|morning|afternoon|evening)(?![\p{L}\p{M}'-])[\s,]*)+/iu;
const TOKEN = /^[^\s,()":\u2013\u2014]+/u;
const NEXT_TOKEN = /^\s+([^\s,()":\u2013\u2014]+)/u;

/** The memory forms that state the caller's name: ours, the data-collection one, and Mem0's "Name is X". */
const MEMORY_CUE = /^\s*(?:(?:the\s+)?(?:caller|user|customer)(?:'s)?[\s_]+name\s*(?::|\s+is\b)|name\s+is\b)\s*/iu;
const MEMORY_NAME_END = /[.,;:!?()]/u;

/**
 * The caller's name from the most trusted source that states it, properly capitalised, or `null`.
 *
 * Data collection beats the caller's own words, which beat stored memories. Agent turns are never
 * read. When one source names two different people, it yields nothing.
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
 * The first word of a name, hyphenated parts included.
 *
 * @example
 * firstName("Mary-Jane O'Brien"); // "Mary-Jane"
 */
export function firstName(name: string): string {
  return name.trim().split(/\s+/u)[0] ?? "";
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
  const words = text.split(" ");
  if (words.length > MAX_WRITTEN_WORDS) return null;
  const [first] = words;
  if (first === undefined || letterCount(first) < 2) return null;
  if (!words.every((word) => NAME_WORD.test(word) && word.length <= MAX_WORD_LENGTH && !JUNK_WORDS.has(word.toLowerCase()))) {
    return null;
  }
  return formatWords(words);
}

function nameFromTurns(turns: readonly Turn[]): string | null {
  const found: string[] = [];
  for (const turn of turns) {
    if (turn.role !== "user") continue;
    found.push(...spokenNames(turn.text));
  }
  return reconcile(found);
}

function spokenNames(rawText: string): string[] {
  const text = normaliseText(rawText);
  // Speech-to-text without casing tells nothing about which words are names.
  const caseless = text === text.toLowerCase() || text === text.toUpperCase();
  const names: string[] = [];
  for (const sentence of text.split(SENTENCE_BREAK)) {
    for (const match of sentence.matchAll(MY_NAME_IS)) {
      if (HYPOTHETICAL.test(sentence.slice(0, match.index))) continue;
      const name = readSpokenName(sentence.slice(match.index + match[0].length), true, caseless);
      if (name !== null) names.push(name);
    }
    const clause = sentence.trim().replace(LEADING_FILLER, "");
    for (const cue of SENTENCE_START_CUES) {
      const match = cue.pattern.exec(clause);
      if (match === null) continue;
      const name = readSpokenName(clause.slice(match[0].length), cue.strong, caseless);
      if (name !== null) names.push(name);
    }
  }
  return names;
}

/**
 * The name right after a cue: one word, plus a capitalised surname when the text is properly cased.
 * Never more: a third capitalised word is more often the sentence going on than a middle name.
 */
function readSpokenName(rest: string, strong: boolean, caseless: boolean): string | null {
  const first = TOKEN.exec(rest)?.[0];
  if (first === undefined || isPossessive(first) || !isSpokenNameWord(first)) return null;
  const capitalised = startsUpper(first) && !caseless;
  if (!strong && !capitalised) return null;
  if (!caseless && isAllUpper(first)) return null; // "this is HR"
  if (!capitalised && /ing$/iu.test(first) && first.length >= 5) return null; // "call me asking…"

  const words = [first];
  const after = NEXT_TOKEN.exec(rest.slice(first.length))?.[1];
  if (capitalised && after !== undefined && startsUpper(after)) {
    if (isPossessive(after)) return null; // "I'm Mary Smith's daughter"
    if (isSpokenNameWord(after) && !isAllUpper(after)) words.push(after);
  }
  return formatWords(words);
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
    const usable = NAME_WORD.test(word) && word.length <= MAX_WORD_LENGTH && !JUNK_WORDS.has(word.toLowerCase());
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

function isSpokenNameWord(word: string): boolean {
  return (
    NAME_WORD.test(word) &&
    word.length <= MAX_WORD_LENGTH &&
    letterCount(word) >= 2 &&
    !STOP_WORDS.has(word.toLowerCase())
  );
}

/** Typographic apostrophes and hyphens as ASCII, accents composed, so one rule reads every spelling. */
function normaliseText(text: string): string {
  return text.normalize("NFC").replace(/[\u2018\u2019\u02BC\u00B4`]/gu, "'").replace(/[\u2010\u2011]/gu, "-");
}

function formatWords(words: readonly string[]): string {
  return words.map((word, index) => (index > 0 && PARTICLES.has(word) ? word : capitaliseWord(word))).join(" ");
}

/** "o'brien" → "O'Brien", "MARY-JANE" → "Mary-Jane"; mixed case such as "McDonald" is kept as given. */
function capitaliseWord(word: string): string {
  if (word !== word.toLowerCase() && word !== word.toUpperCase()) return word;
  return word
    .toLowerCase()
    .split(/(['-])/u)
    .map((part) => {
      const [head = "", ...tail] = Array.from(part);
      return head.toUpperCase() + tail.join("");
    })
    .join("");
}

function letterCount(word: string): number {
  return word.match(/\p{L}/gu)?.length ?? 0;
}

function startsUpper(word: string): boolean {
  const head = Array.from(word)[0] ?? "";
  return head !== head.toLowerCase() && head === head.toUpperCase();
}

function isAllUpper(word: string): boolean {
  return letterCount(word) >= 2 && word === word.toUpperCase() && word !== word.toLowerCase();
}

function isPossessive(word: string): boolean {
  return /\p{L}'s$/iu.test(word);
}
