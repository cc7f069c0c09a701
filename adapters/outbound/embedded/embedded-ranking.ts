/**
 * How the embedded store ranks a search (`concepts`, the default): BM25 over the caller's own
 * memories, with the question's words widened to the words that stand for them, then the newer call
 * first among near equals. Memories are ranked as they were said: nothing is rewritten or re-chunked.
 *
 * - Concepts (embedded-concepts.ts): each word of the question counts fully, the other words of its
 *   concepts for {@link EXPANSION_WEIGHT}, so "what does she eat" finds "I'm vegetarian now" and the
 *   data-collection memory "Dietary requirements: vegetarian". The groups are English.
 * - Languages (embedded-analysis.ts): words are compared by their stem in the memory's language, the
 *   question read in that language too ("reservas" finds "Reservé una mesa"); English words by their
 *   Porter stem, as FTS5's `porter` tokenizer compares them. A memory of no known language is read
 *   both in the caller's main language and in English, and its better reading counts.
 * - The caller's own statistics: a word in most of this caller's memories (their name, "call", the
 *   agent's greeting) says little about which one answers, however rare it is across callers.
 * - Recency: a fact said again differently later ("we moved", "I'm vegan now") should come before the
 *   older wording, so the newest call scores up to {@link RECENCY_BOOST} more than the oldest.
 *
 * `bm25` is how the store ranked before: FTS5's BM25 over the question's own words, with statistics
 * over every caller's memories. The bench measures both (`retrieval-*` rows).
 */
import type { MemoryMetadata } from "../../../domain/memory";
import { isStopWord, stemIn, wordsIn, type AnalysisLanguage } from "./embedded-analysis";
import { CONCEPTS } from "./embedded-concepts";

export type EmbeddedRanking = "bm25" | "concepts";

/** How much a word brought in by a concept counts, against 1 for a word of the question. */
const EXPANSION_WEIGHT = 0.5;
/** The newest of the caller's calls scores this much more than the oldest (a share of its relevance). */
const RECENCY_BOOST = 0.5;
/** Memories read (see `stemBag`), at most this many at once. */
const MAX_CACHED_BAGS = 5_000;
const bagCache = new Map<string, { readonly bag: ReadonlyMap<string, number>; readonly length: number }>();

/** BM25's saturation and length normalisation, at their usual values. */
const K1 = 1.2;
const B = 0.75;
/** Words sent to FTS5 at most when it picks the candidates: the question's first, then those of its concepts. */
const MAX_MATCH_WORDS = 128;

/** A question as the ranking reads it: the FTS5 queries that find candidates, and each stem's weight in each language. */
export interface ConceptQuery {
  /** English words quoted and joined by OR, so FTS syntax in the question (`"`, `*`, `NEAR(`, `-`, `:`) stays plain words. */
  readonly match: string;
  /** The question's stems in its other languages, quoted and joined by OR (for the index of analysed text); null when it has none. */
  readonly analysedMatch: string | null;
  /** Per language the question was read in: each stem's weight (English's widened by the concept groups). */
  readonly weights: ReadonlyMap<AnalysisLanguage, ReadonlyMap<string, number>>;
}

/** A memory to rank, as the store read it. */
export interface RankingCandidate {
  readonly memory: string;
  readonly metadata: Pick<MemoryMetadata, "timestamp">;
  /**
   * The languages the memory is read in, each against the question read in the same one; the best
   * reading counts. English when none is given.
   */
  readonly languages?: readonly AnalysisLanguage[];
}

const concepts = CONCEPTS.map((group) => {
  const words = [...new Set(group.split(/\s+/).filter((w) => w !== ""))];
  return { words, stems: [...new Set(words.map((w) => stemIn(w, "en")))] };
});
const conceptsOfStem = new Map<string, (typeof concepts)[number][]>();
for (const concept of concepts) {
  for (const s of concept.stems) conceptsOfStem.set(s, [...(conceptsOfStem.get(s) ?? []), concept]);
}

/**
 * The question read in English and in each of `languages` (those of the caller's memories).
 *
 * @example
 * conceptQuery("what does she eat")?.weights.get("en")?.get("vegetarian"); // 0.5 ("eat" is 1)
 * conceptQuery("¿qué reservas tiene?", ["es"])?.weights.get("es"); // Map { "reserv" => 1, "tien" => 1 }
 * conceptQuery("?!"); // null: nothing to search for
 */
export function conceptQuery(text: string, languages: Iterable<AnalysisLanguage> = []): ConceptQuery | null {
  const english = askedWords(text, "en");
  if (english.length === 0) return null;
  const weights = new Map<AnalysisLanguage, ReadonlyMap<string, number>>();
  const englishWeights = new Map<string, number>(english.map((w) => [stemIn(w, "en"), 1]));
  const matchWords = new Set<string>(english);
  for (const word of english) {
    for (const concept of conceptsOfStem.get(stemIn(word, "en")) ?? []) {
      for (const related of concept.words) matchWords.add(related);
      for (const s of concept.stems) if (!englishWeights.has(s)) englishWeights.set(s, EXPANSION_WEIGHT);
    }
  }
  weights.set("en", englishWeights);
  const analysedStems = new Set<string>();
  for (const language of languages) {
    if (weights.has(language)) continue;
    const stems = new Map<string, number>(askedWords(text, language).map((w) => [stemIn(w, language), 1]));
    weights.set(language, stems);
    for (const s of stems.keys()) analysedStems.add(s);
  }
  return { match: quotedOr(matchWords), analysedMatch: analysedStems.size === 0 ? null : quotedOr(analysedStems), weights };
}

/**
 * The candidates that match at all, best first, each with its score in 0..1. `callerMemories` is how
 * many memories the caller has (more than the candidates when only some were read), for how rare a
 * word is among them.
 */
export function rankByConcepts<T extends RankingCandidate>(candidates: readonly T[], query: ConceptQuery, callerMemories: number): { item: T; score: number }[] {
  const docs = candidates.map((item) => ({
    item,
    readings: (item.languages ?? ["en"]).map((language) => ({ language, ...termCounts(item.memory, language, query.weights.get(language)) })),
    time: timeOf(item),
  }));
  const n = Math.max(callerMemories, docs.length);
  const averageLength = docs.reduce((sum, d) => sum + (d.readings[0]?.length ?? 0), 0) / Math.max(1, docs.length) || 1;
  const idf = new Map<AnalysisLanguage, Map<string, number>>();
  for (const [language, weights] of query.weights) {
    const read = docs.flatMap((d) => d.readings.filter((r) => r.language === language));
    if (read.length === 0) continue;
    const ofLanguage = new Map<string, number>();
    for (const s of weights.keys()) {
      const df = read.filter((r) => r.counts.has(s)).length;
      ofLanguage.set(s, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
    }
    idf.set(language, ofLanguage);
  }
  const times = [...new Set(docs.map((d) => d.time))].sort((a, b) => a - b);
  const place = new Map(times.map((time, i) => [time, times.length < 2 ? 0 : i / (times.length - 1)]));

  const scored = docs.map((d) => {
    let relevance = 0;
    for (const { language, counts, length } of d.readings) {
      const weights = query.weights.get(language);
      const rarity = idf.get(language);
      let reading = 0;
      for (const [s, tf] of counts) {
        const saturation = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / averageLength));
        reading += (weights?.get(s) ?? 0) * (rarity?.get(s) ?? 0) * saturation;
      }
      relevance = Math.max(relevance, reading);
    }
    return { item: d.item, time: d.time, value: relevance * (1 + RECENCY_BOOST * (place.get(d.time) ?? 0)) };
  });
  return scored
    .filter((s) => s.value > 0)
    .sort((a, b) => b.value - a.value || b.time - a.time)
    .map(({ item, value }) => ({ item, score: Math.round((value / (value + 1)) * 10_000) / 10_000 }));
}

/** The words a question asks about in a language: all of them when it has nothing but stop words. */
function askedWords(text: string, language: AnalysisLanguage): string[] {
  const all = [...new Set(wordsIn(text, language))];
  const meaningful = all.filter((w) => !isStopWord(w, language));
  return meaningful.length > 0 ? meaningful : all;
}

function quotedOr(words: Iterable<string>): string {
  return [...words]
    .slice(0, MAX_MATCH_WORDS)
    .map((w) => `"${w}"`)
    .join(" OR ");
}

/** How often each weighted stem occurs in a text read in a language, and its length in words. */
function termCounts(text: string, language: AnalysisLanguage, weights: ReadonlyMap<string, number> | undefined): { counts: Map<string, number>; length: number } {
  const { bag, length } = stemBag(text, language);
  const counts = new Map<string, number>();
  if (weights === undefined) return { counts, length };
  for (const s of weights.keys()) {
    const tf = bag.get(s);
    if (tf !== undefined) counts.set(s, tf);
  }
  return { counts, length };
}

/**
 * A memory's stems and their counts in one language, read once per process: a memory's text never
 * changes, and tokenising every candidate again for every question is what made a search cost
 * milliseconds (bounded: cleared when full).
 */
function stemBag(text: string, language: AnalysisLanguage): { readonly bag: ReadonlyMap<string, number>; readonly length: number } {
  const key = `${language}\u0000${text}`;
  const cached = bagCache.get(key);
  if (cached !== undefined) return cached;
  const all = wordsIn(text, language);
  const bag = new Map<string, number>();
  for (const word of all) {
    const s = stemIn(word, language);
    bag.set(s, (bag.get(s) ?? 0) + 1);
  }
  const read = { bag, length: all.length };
  if (bagCache.size >= MAX_CACHED_BAGS) bagCache.clear();
  bagCache.set(key, read);
  return read;
}

/** The call's time; an unreadable one sorts as the oldest. */
function timeOf(candidate: RankingCandidate): number {
  const time = Date.parse(candidate.metadata.timestamp);
  return Number.isNaN(time) ? 0 : time;
}
