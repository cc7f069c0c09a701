/**
 * How the embedded store ranks a search (`concepts`, the default): BM25 over the caller's own
 * memories, with the question's words widened to the words that stand for them, then the newer call
 * first among near equals. Memories are ranked as they were said: nothing is rewritten or re-chunked.
 *
 * - Concepts (embedded-concepts.ts): each word of the question counts fully, the other words of its
 *   concepts for {@link EXPANSION_WEIGHT}, so "what does she eat" finds "I'm vegetarian now" and the
 *   data-collection memory "Dietary requirements: vegetarian". Words are compared by their Porter
 *   stem, as FTS5's `porter` tokenizer compares them.
 * - The caller's own statistics: a word in most of this caller's memories (their name, "call", the
 *   agent's greeting) says little about which one answers, however rare it is across callers.
 * - Recency: a fact said again differently later ("we moved", "I'm vegan now") should come before the
 *   older wording, so the newest call scores up to {@link RECENCY_BOOST} more than the oldest.
 *
 * `bm25` is how the store ranked before: FTS5's BM25 over the question's own words, with statistics
 * over every caller's memories. The bench measures both (`retrieval-*` rows).
 */
import { stemmer } from "stemmer";
import type { MemoryMetadata } from "../../../domain/memory";
import { CONCEPTS } from "./embedded-concepts";

export type EmbeddedRanking = "bm25" | "concepts";

/** How much a word brought in by a concept counts, against 1 for a word of the question. */
const EXPANSION_WEIGHT = 0.5;
/** The newest of the caller's calls scores this much more than the oldest (a share of its relevance). */
const RECENCY_BOOST = 0.5;
/** BM25's saturation and length normalisation, at their usual values. */
const K1 = 1.2;
const B = 0.75;
/** Words sent to FTS5 at most when it picks the candidates: the question's first, then those of its concepts. */
const MAX_MATCH_WORDS = 128;

/** Words that shape a question rather than say what it is about. */
const QUESTION_WORDS = new Set(
  (
    "a an and are as at be but by did do does for from had has have he her hers him his i if in is it its me my of on or our she so that the their " +
    "them they this to was we were what when where which who whom whose why with you your how any anything there should would could can may might " +
    "must will shall tell know about now currently usually ever also just please s t d ll re ve don won caller customer client"
  ).split(" "),
);

/** A question as the ranking reads it: the FTS5 query that finds candidates, and each stem's weight. */
export interface ConceptQuery {
  /** Quoted words joined by OR, so FTS syntax in the question (`"`, `*`, `NEAR(`, `-`, `:`) stays plain words. */
  readonly match: string;
  readonly weights: ReadonlyMap<string, number>;
}

/** A memory to rank, as the store read it. */
export interface RankingCandidate {
  readonly memory: string;
  readonly metadata: Pick<MemoryMetadata, "timestamp">;
}

/** Stems seen, so a word is stemmed once per process (bounded: cleared when full). */
const stemCache = new Map<string, string>();
const MAX_CACHED_STEMS = 50_000;

const concepts = CONCEPTS.map((group) => {
  const words = [...new Set(group.split(/\s+/).filter((w) => w !== ""))];
  return { words, stems: [...new Set(words.map(stem))] };
});
const conceptsOfStem = new Map<string, (typeof concepts)[number][]>();
for (const concept of concepts) {
  for (const s of concept.stems) conceptsOfStem.set(s, [...(conceptsOfStem.get(s) ?? []), concept]);
}

/**
 * @example
 * conceptQuery("what does she eat")?.weights.get("vegetarian"); // 0.5 ("eat" is 1)
 * conceptQuery("?!"); // null: nothing to search for
 */
export function conceptQuery(text: string): ConceptQuery | null {
  const all = [...new Set(words(text))];
  const meaningful = all.filter((w) => !QUESTION_WORDS.has(w));
  const asked = meaningful.length > 0 ? meaningful : all;
  if (asked.length === 0) return null;
  const weights = new Map<string, number>(asked.map((w) => [stem(w), 1]));
  const matchWords = new Set<string>(asked);
  for (const word of asked) {
    for (const concept of conceptsOfStem.get(stem(word)) ?? []) {
      for (const related of concept.words) matchWords.add(related);
      for (const s of concept.stems) if (!weights.has(s)) weights.set(s, EXPANSION_WEIGHT);
    }
  }
  const match = [...matchWords]
    .slice(0, MAX_MATCH_WORDS)
    .map((w) => `"${w}"`)
    .join(" OR ");
  return { match, weights };
}

/**
 * The candidates that match at all, best first, each with its score in 0..1. `callerMemories` is how
 * many memories the caller has (more than the candidates when only some were read), for how rare a
 * word is among them.
 */
export function rankByConcepts<T extends RankingCandidate>(candidates: readonly T[], query: ConceptQuery, callerMemories: number): { item: T; score: number }[] {
  const docs = candidates.map((item) => ({ item, ...termCounts(item.memory, query.weights), time: timeOf(item) }));
  const n = Math.max(callerMemories, docs.length);
  const averageLength = docs.reduce((sum, d) => sum + d.length, 0) / Math.max(1, docs.length) || 1;
  const idf = new Map<string, number>();
  for (const s of query.weights.keys()) {
    const df = docs.filter((d) => d.counts.has(s)).length;
    idf.set(s, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }
  const times = [...new Set(docs.map((d) => d.time))].sort((a, b) => a - b);
  const place = new Map(times.map((time, i) => [time, times.length < 2 ? 0 : i / (times.length - 1)]));

  const scored = docs.map((d) => {
    let relevance = 0;
    for (const [s, tf] of d.counts) {
      const saturation = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * d.length) / averageLength));
      relevance += (query.weights.get(s) ?? 0) * (idf.get(s) ?? 0) * saturation;
    }
    return { item: d.item, time: d.time, value: relevance * (1 + RECENCY_BOOST * (place.get(d.time) ?? 0)) };
  });
  return scored
    .filter((s) => s.value > 0)
    .sort((a, b) => b.value - a.value || b.time - a.time)
    .map(({ item, value }) => ({ item, score: Math.round((value / (value + 1)) * 10_000) / 10_000 }));
}

/** How often each weighted stem occurs in a text, and its length in words. */
function termCounts(text: string, weights: ReadonlyMap<string, number>): { counts: Map<string, number>; length: number } {
  const counts = new Map<string, number>();
  const all = words(text);
  for (const word of all) {
    const s = stem(word);
    if (weights.has(s)) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return { counts, length: all.length };
}

/** The call's time; an unreadable one sorts as the oldest. */
function timeOf(candidate: RankingCandidate): number {
  const time = Date.parse(candidate.metadata.timestamp);
  return Number.isNaN(time) ? 0 : time;
}

/** Words as FTS5's `unicode61 remove_diacritics 2` tokenizer splits them, in lower case. */
function words(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- ASCII text (most of it) skips the decomposition.
  const plain = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize("NFKD").replace(/\p{M}/gu, "");
  return plain.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The Porter stem ("allergies" and "allergy" are one). */
function stem(word: string): string {
  const known = stemCache.get(word);
  if (known !== undefined) return known;
  if (stemCache.size >= MAX_CACHED_STEMS) stemCache.clear();
  const reduced = stemmer(word);
  stemCache.set(word, reduced);
  return reduced;
}
