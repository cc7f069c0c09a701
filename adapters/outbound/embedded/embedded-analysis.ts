/**
 * How the embedded store reads a text in each language it analyses: words split as FTS5's
 * `unicode61` tokenizer splits them, in lower case, each reduced to its stem with accents folded
 * ("café" and "cafe" are one word), and the stop words a question leaves out.
 *
 * - English: Porter (`stemmer`) over the word as FTS5's `unicode61 remove_diacritics 2` tokenizer
 *   splits and folds it (as its `porter` tokenizer reads it), and the question words below: exactly
 *   what the store did before it read other languages.
 * - Spanish, French, Italian, Portuguese: the Snowball stemmers of `@orama/stemmers` over the word as
 *   written, accents folded after (their rules read the accents: "reservación", "réservée").
 * - German, Dutch: the same stemmers over the folded word (their rules need no accents, and a loanword
 *   like "Café" then stems as "Cafe" does).
 * - Polish: `@orama/stemmers` has no Polish stemmer (nor has Snowball); the folded word cut to its first
 *   {@link POLISH_PREFIX} letters ("stolika" is "stolik", "sobotę" is "sobota"), which joins the forms
 *   of a word whose ending changes, never those whose stem changes ("mąż", "męża").
 * - Stop words of the other languages: `stopword`'s lists, compared with accents folded.
 */
import { stemmer as dutch } from "@orama/stemmers/dutch";
import { stemmer as french } from "@orama/stemmers/french";
import { stemmer as german } from "@orama/stemmers/german";
import { stemmer as italian } from "@orama/stemmers/italian";
import { stemmer as portuguese } from "@orama/stemmers/portuguese";
import { stemmer as spanish } from "@orama/stemmers/spanish";
import { stemmer as porter } from "stemmer";
import { deu, fra, ita, nld, pol, por, spa } from "stopword";
import { isSupportedLanguage, languageCode, type SupportedLanguage } from "../../../domain/language";

/** The languages the store analyses a text in: those we greet in. */
export type AnalysisLanguage = SupportedLanguage;

/** Letters a Polish word is cut to (after folding): short enough for "sobota"/"sobotę", long enough to keep most words apart. */
const POLISH_PREFIX = 5;

/** Words that shape an English question rather than say what it is about (hand-written for agents' questions: "caller", "tell"). */
const ENGLISH_QUESTION_WORDS = (
  "a an and are as at be but by did do does for from had has have he her hers him his i if in is it its me my of on or our she so that the their " +
  "them they this to was we were what when where which who whom whose why with you your how any anything there should would could can may might " +
  "must will shall tell know about now currently usually ever also just please s t d ll re ve don won caller customer client"
).split(" ");

interface Analyser {
  /** A word in lower case, as written → its stem, accents folded. */
  readonly stem: (word: string) => string;
  readonly stopWords: ReadonlySet<string>;
}

const stemmedAfter = (stemmer: (word: string) => string) => (word: string) => fold(stemmer(word));
const stemmedFolded = (stemmer: (word: string) => string) => (word: string) => stemmer(fold(word));
const folded = (list: readonly string[]) => new Set(list.map(fold));

const ANALYSERS: Readonly<Record<AnalysisLanguage, Analyser>> = {
  en: { stem: porter, stopWords: new Set(ENGLISH_QUESTION_WORDS) },
  es: { stem: stemmedAfter(spanish), stopWords: folded(spa) },
  fr: { stem: stemmedAfter(french), stopWords: folded(fra) },
  it: { stem: stemmedAfter(italian), stopWords: folded(ita) },
  pt: { stem: stemmedAfter(portuguese), stopWords: folded(por) },
  de: { stem: stemmedFolded(german), stopWords: folded(deu) },
  nl: { stem: stemmedFolded(dutch), stopWords: folded(nld) },
  pl: { stem: (word) => fold(word).slice(0, POLISH_PREFIX), stopWords: folded(pol) },
};

/** Stems seen, per language, so a word is stemmed once per process (bounded: cleared when full). */
const stemCache = new Map<AnalysisLanguage, Map<string, string>>();
const MAX_CACHED_STEMS = 50_000;

/**
 * The language a memory is analysed in, from the tag it was stored with; `null` when it has none or
 * one we do not analyse.
 *
 * @example
 * analysisLanguage("es-ES"); // "es"
 * analysisLanguage("sv"); // null
 */
export function analysisLanguage(tag: unknown): AnalysisLanguage | null {
  const code = languageCode(tag);
  return isSupportedLanguage(code) ? code : null;
}

/**
 * A text's words in lower case as written (accents kept, for the stemmers that read them).
 * For English, {@link englishWords} is what FTS5's tokenizer sees.
 */
export function wordsIn(text: string, language: AnalysisLanguage): string[] {
  if (language === "en") return englishWords(text);
  return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? [];
}

/** A word of {@link wordsIn} → its stem in that language, accents folded. */
export function stemIn(word: string, language: AnalysisLanguage): string {
  let cache = stemCache.get(language);
  if (cache === undefined) stemCache.set(language, (cache = new Map()));
  const known = cache.get(word);
  if (known !== undefined) return known;
  if (cache.size >= MAX_CACHED_STEMS) cache.clear();
  const reduced = ANALYSERS[language].stem(word);
  cache.set(word, reduced);
  return reduced;
}

/** Whether a word of {@link wordsIn} only shapes a question in that language ("qué", "welche", "what"). */
export function isStopWord(word: string, language: AnalysisLanguage): boolean {
  return ANALYSERS[language].stopWords.has(language === "en" ? word : fold(word));
}

/**
 * A text as the store indexes it in a language other than English: its stems, stop words left out,
 * one space apart (FTS5's `unicode61` tokenizer then reads each stem as one word).
 *
 * @example
 * analysedText("Reservé una mesa para cuatro", "es"); // "reserv mes cuatr"
 */
export function analysedText(text: string, language: AnalysisLanguage): string {
  return wordsIn(text, language)
    .filter((word) => !isStopWord(word, language))
    .map((word) => stemIn(word, language))
    .join(" ");
}

/** Words as FTS5's `unicode61 remove_diacritics 2` tokenizer splits them, in lower case, accents folded. */
function englishWords(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- ASCII text (most of it) skips the decomposition.
  const plain = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize("NFKD").replace(/\p{M}/gu, "");
  return plain.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Accents folded in a word in lower case: "é" is "e", "ü" is "u", and "ł" (which has no decomposition) is "l". */
function fold(word: string): string {
  // eslint-disable-next-line no-control-regex -- ASCII words (most of them) are already folded.
  if (/^[\x00-\x7f]*$/.test(word)) return word;
  return word.normalize("NFKD").replace(/\p{M}/gu, "").replace(/ł/g, "l");
}
