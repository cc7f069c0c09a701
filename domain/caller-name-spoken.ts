/**
 * Names in what was said (`caller-name.ts` decides whose they are): the cues of `caller-name-cues.ts`
 * found in a turn, and the name each one introduces, judged by the words of the cue's language and the
 * caller's. Precision first: every rule here reads nothing when in doubt.
 */
import { type Cue, type CueSet } from "./caller-name-cues";
import { vocabularyFor, type Vocabulary } from "./caller-name-language-words";
import { formatWords, isAllUpper, isNameShaped, isPossessive, letterCount, normaliseText, startsUpper, PARTICLES } from "./caller-name-words";

/** Words after an "it's" name that make it an introduction anywhere in the turn. */
const SELF_MARKERS = new Set(["here", "speaking", "calling", "ringing", "phoning", "returning", "again"]);
/** Talk of the caller's name, after which "It's Sara" corrects it ("My name isn't Sarah. It's Sara."). */
const NAME_TALK =
  /(?<![\p{L}\p{M}])(?:name|nombre|nom|nome|naam|imi[ęe]|llamo|appelle|hei(?:ß|ss)e|chiamo|chamo|heet|nazywam)(?![\p{L}\p{M}])/iu;

/** Sentences keep their end mark, so a question can be told from a statement. */
const SENTENCE_SPLIT = /(?<=[.!?;\n\u2026])/u;
const SENTENCE_END = /[\s.!?;\u2026]+$/u;
/** "¡Hola!": the opening exclamation mark is no word. */
const OPENING_MARK = /^[¡]+/u;
const VOCATIVE = /^([\p{L}\p{M}'-]+)(?:\s*,\s*|\s*$)/u;
/** Hesitations between a cue and the name: "it's, um, Tomasz", "soy, eh, Carmen". */
const INNER_FILLER = /^(?:(?:um+|uh+|erm?|ah|hmm+|eh+|euh+|äh+m?|ehm+|uhm|y{2,}|e{2,})(?![\p{L}\p{M}'-])[\s,]*)+/iu;
const CLAUSE_END = /[,()":\u2013\u2014]/u;
/** Particles that only follow another ("van der Berg", "von den Driesch"): "Gastgeber der Feier" is no name. */
const INNER_PARTICLES = new Set(["der", "den"]);

/**
 * The names a turn introduces, and the names it greets ("Hi Ava, this is Dana"). The agent's turns are
 * read with the agent's cues, so that the names the agent gives itself are known.
 */
export function spokenNames(rawText: string, cues: CueSet, speaker: "caller" | "agent"): { names: string[]; greeted: string[] } {
  const text = normaliseText(rawText);
  // Speech-to-text without casing tells nothing about which words are names.
  const caseless = text === text.toLowerCase() || text === text.toUpperCase();
  const startCues = speaker === "caller" ? cues.sentenceStart : cues.agentStart;
  const names: string[] = [];
  const greeted: string[] = [];
  let opening = true; // nothing but greetings and fillers so far
  let nameSpoken = false; // "My name isn't Sarah. It's Sara."
  const read = (rest: string, cue: Cue, inContext: boolean): void => {
    if (cue.refusedBefore?.test(rest) === true) return;
    const name = readSpokenName(rest, cue, vocabularyFor(cue.language, cues.language), caseless, inContext);
    if (name !== null) names.push(name);
  };
  for (const piece of text.split(SENTENCE_SPLIT)) {
    const question = piece.trimEnd().endsWith("?");
    const sentence = piece.replace(SENTENCE_END, "");
    for (const cue of cues.anywhere) {
      for (const match of sentence.matchAll(cue.pattern)) {
        if (cue.refusedAfter?.test(sentence.slice(0, match.index)) === true) continue;
        read(sentence.slice(match.index + match[0].length), cue, true);
      }
    }
    const { clause, vocative } = clauseStart(sentence, cues);
    if (vocative !== null) greeted.push(vocative);
    for (const cue of startCues) {
      const match = cue.pattern.exec(clause);
      if (match === null || (question && (cue.kind === "weak" || cue.kind === "opening"))) continue;
      read(clause.slice(match[0].length), cue, opening || nameSpoken);
    }
    if (clause !== "") opening = false;
    if (NAME_TALK.test(sentence)) nameSpoken = true;
  }
  return { names, greeted };
}

/** The sentence without its leading greetings, fillers and "Hi Ava," vocative. */
function clauseStart(sentence: string, cues: CueSet): { clause: string; vocative: string | null } {
  const trimmed = sentence.trim().replace(OPENING_MARK, "");
  const clause = trimmed.replace(cues.leadingFiller, "");
  const match = VOCATIVE.exec(clause);
  const vocative = match?.[1] ?? "";
  if (match === null || !startsUpper(vocative) || !cues.greetingEnd.test(trimmed.slice(0, trimmed.length - clause.length))) {
    return { clause, vocative: null };
  }
  return { clause: clause.slice(match[0].length), vocative };
}

/**
 * The name right after a cue: one word, plus a capitalised surname when the text is properly cased,
 * or in caseless text a second word that ends the clause; surname particles between ("Jan de Vries").
 * Never more: a third capitalised word is more often the sentence going on than a middle name. After a
 * title both are needed: "Mrs Okafor" gives no first name to greet with.
 */
function readSpokenName(rest: string, cue: Cue, vocabulary: Vocabulary, caseless: boolean, inContext: boolean): string | null {
  const clause = rest.replace(INNER_FILLER, "").split(CLAUSE_END)[0] ?? "";
  const words = clause.trim().split(/\s+/u);
  const strong = cue.kind === "name" || cue.kind === "call";
  // "hier ist die Anna", "aqui é o João"; "hier ist die Telekom" is then refused as a company
  const articled = !strong && cue.articles?.has(words[0]?.toLowerCase() ?? "") === true && startsUpper(words[1] ?? "");
  if (articled) words.shift();
  const titled = vocabulary.isTitle(words[0] ?? "");
  if (titled) words.shift();
  const [first = "", second] = words;
  const capitalised = startsUpper(first) && !caseless;
  if (isPossessive(first) || !isSpokenNameWord(first, cue, vocabulary) || (!strong && !capitalised)) return null;
  if (cue.capitalised === true && !caseless && !capitalised) return null; // "Mon nom est inscrit sur la réservation."
  if (!caseless && isAllUpper(first)) return null; // "this is HR"
  if (!capitalised && /ing$/iu.test(first) && first.length >= 5) return null; // "call me asking…"
  if (!strong && vocabulary.hasCommonWordEnding(first)) return null; // "ich bin der Meinung", "Soy Divorciado"

  const name = [first];
  // "It's Room 12", "I'm Type 2 diabetic", "This is Apple Support", "it's Walgreens pharmacy"
  if (second !== undefined && (/^\d/u.test(second) || vocabulary.isOrg(second.toLowerCase()))) return null;
  if (second !== undefined && capitalised && startsUpper(second)) {
    if (isPossessive(second)) return null; // "I'm Mary Smith's daughter"
    const third = words[2] ?? "";
    if (isLeadingParticle(second.toLowerCase()) && startsUpper(third) && !isAllUpper(third) && isSurname(third, vocabulary, "weak")) {
      name.push(second, third); // "Federica De Luca"
    } else if (isSurname(second, vocabulary, "name") && !isAllUpper(second)) name.push(second);
  } else if (second !== undefined && caseless && strong && words.length === 2 && isSurname(second, vocabulary, "name")) {
    name.push(second);
  } else {
    name.push(...particleSurname(words, strong && caseless, vocabulary));
  }
  if (titled && name.length < 2) return null;
  if (cue.articleOrSurname === true && !articled && name.length < 2) return null; // "Ich bin Architekt"
  // "Claire Dubois à l'appareil", but not "C'est Monsieur Lambert à l'appareil"
  if (cue.nameThen !== undefined && !cue.nameThen.test(words.slice(name.length).join(" "))) return null;
  if (cue.kind === "opening" && !inContext && !SELF_MARKERS.has(words[name.length]?.toLowerCase() ?? "")) return null;
  return formatWords(name);
}

/**
 * "Jan de Vries", "João dos Santos", "maria de la cruz": lower-case particles after the first name, then
 * a surname that is no place or company ("Soy Lucía de Madrid"). In caseless text it must end the clause.
 */
function particleSurname(words: readonly string[], caselessStrong: boolean, vocabulary: Vocabulary): string[] {
  if (!isLeadingParticle(words[1] ?? "")) return [];
  let end = 1;
  while (end < words.length && PARTICLES.has(words[end] ?? "")) end += 1;
  const surname = words[end] ?? "";
  if (surname === "" || isPossessive(surname) || !isSurname(surname, vocabulary, "weak")) return [];
  const fits = caselessStrong ? end === words.length - 1 : startsUpper(surname) && !isAllUpper(surname);
  return fits ? words.slice(1, end + 1) : [];
}

function isLeadingParticle(word: string): boolean {
  return PARTICLES.has(word) && !INNER_PARTICLES.has(word);
}

function isSurname(word: string, vocabulary: Vocabulary, kind: "name" | "weak"): boolean {
  return isSpokenNameWord(word, { kind }, vocabulary);
}

/** A name-shaped word; after any cue but "my name is", no part of it may be a place, brand, role… ("Texas-based"). */
function isSpokenNameWord(word: string, cue: Pick<Cue, "kind">, vocabulary: Vocabulary): boolean {
  if (!isNameShaped(word) || letterCount(word) < 2) return false;
  const lower = word.toLowerCase();
  if (vocabulary.isStop(lower)) return false;
  return cue.kind === "name" || ![lower, ...lower.split("-")].some((part) => vocabulary.isNotAPerson(part) || vocabulary.isStop(part));
}
