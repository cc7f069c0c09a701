import { performance } from "node:perf_hooks";
import type { MemorySearchQuery } from "../../application/ports/memory-store.port";
import type { Memory } from "../../domain/memory";
import { memoryRef, type RetrievalQuestion } from "./retrieval-corpus";

/** Results whose text the agent is handed: the retrieve route's default limit. */
export const RESULTS = 10;
/** Places of `retrieval-recall-at-5`. */
const TOP = 5;
/** The answer's words count only within this much of the results' text (what fits an in-call answer). */
export const TEXT_BUDGET = 1_500;

export interface RetrievalScore {
  /** Share of questions whose answering memory is in the top 5, ahead of every superseded one. */
  readonly recallAt5: number;
  /** Share of answer words found in the results' text cut at 1,500 characters (none when a superseded memory comes first). */
  readonly answerRecall: number;
  readonly questions: number;
}

/**
 * Ask every question and score the answers. A superseded memory is a wrong answer: when the first
 * result that states any version of the fact states an old one, the question scores nothing.
 */
export async function scoreQuestions(
  questions: readonly RetrievalQuestion[],
  search: (query: MemorySearchQuery) => Promise<Memory[]>,
): Promise<RetrievalScore & { readonly durationsMs: number[] }> {
  let hits = 0;
  let wordShare = 0;
  const durationsMs: number[] = [];
  for (const question of questions) {
    const start = performance.now();
    const found = await search({ userId: question.userId, query: question.query, limit: RESULTS });
    durationsMs.push(performance.now() - start);
    const { hit, words } = judge(question, found);
    if (hit) hits += 1;
    wordShare += words;
  }
  const n = questions.length;
  return { recallAt5: hits / n, answerRecall: wordShare / n, questions: n, durationsMs };
}

function judge(question: RetrievalQuestion, found: readonly Memory[]): { hit: boolean; words: number } {
  const refs = found.map(memoryRef);
  const firstStating = (limit: number) => refs.slice(0, limit).find((ref) => question.answers.has(ref) || question.stale.has(ref));
  const firstInTop = firstStating(TOP);
  const hit = firstInTop !== undefined && question.answers.has(firstInTop);

  // The results' text as handed over, in order, up to the budget; a stale version read first answers wrongly.
  let text = "";
  let staleFirst = false;
  let answered = false;
  for (const [k, memory] of found.entries()) {
    if (text.length >= TEXT_BUDGET) break;
    const ref = refs[k] as string;
    if (!answered && question.stale.has(ref)) staleFirst = true;
    if (question.answers.has(ref)) answered = true;
    text += `${text === "" ? "" : "\n"}${memory.memory}`;
  }
  if (staleFirst) return { hit, words: 0 };
  const cut = text.slice(0, TEXT_BUDGET).toLowerCase();
  const present = question.answerWords.filter((word) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(word.toLowerCase())}`, "u").test(cut));
  return { hit, words: present.length / question.answerWords.length };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
