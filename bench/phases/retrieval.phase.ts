/**
 * Bench phase (own process): how well the embedded store's search answers an agent's questions. The
 * generated corpus (bench/support/retrieval-corpus.ts) is written call by call into a store built as
 * the composition root builds it, and every question is asked of its ranking (`concepts`) and of the
 * baseline, the same store ranking by FTS5's BM25 as it did before (`{ ranking: "bm25" }`), over the
 * same memories, in the same run.
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { MemorySearchQuery } from "../../application/ports/memory-store.port";
import { SqliteMemoryStore } from "../../adapters/outbound/embedded/sqlite-memory-store";
import { phaseConfig, runPhase, tell } from "../support/child";
import type { Profile } from "../support/profile";
import type { BenchResult } from "../support/result";
import { retrievalCorpus, type RetrievalQuestion } from "../support/retrieval-corpus";
import { RESULTS, scoreQuestions, TEXT_BUDGET, type RetrievalScore } from "../support/retrieval-score";
import { round, summarise } from "../support/stats";

export interface RetrievalConfig {
  readonly dataDir: string;
  readonly profile: Profile;
}

/** The corpus's seed: every run asks the same questions of the same memories. */
const CORPUS_SEED = 7;

const percent = (share: number) => round(share * 100, 1);

runPhase(async () => {
  const { dataDir, profile } = phaseConfig<RetrievalConfig>();
  const notes: string[] = [];
  const start = performance.now();
  const corpus = retrievalCorpus(profile.retrieval, CORPUS_SEED);

  const path = join(dataDir, "memories.db");
  const store = new SqliteMemoryStore(path);
  const baseline = new SqliteMemoryStore(path, { ranking: "bm25" });
  let added = 0;
  // One add per call, as ingestion writes a call's memories.
  for (const call of corpus.calls) added += (await store.add(call)).added;
  if (added !== corpus.memories) throw new Error(`the store took ${added} of the corpus's ${corpus.memories} memories`);

  const ask = (s: SqliteMemoryStore, extra: Partial<MemorySearchQuery> = {}) => (query: MemorySearchQuery) => s.search({ ...query, ...extra });
  const ranked = await scoreQuestions(corpus.questions, ask(store));
  const bm25 = await scoreQuestions(corpus.questions, ask(baseline));

  const rows = (name: string, pick: (score: RetrievalScore) => number): BenchResult[] => {
    const value = percent(pick(ranked));
    const base = percent(pick(bm25));
    return [
      { name, unit: "%", p50: value, p99: value, n: ranked.questions, baseline: base },
      { name: `${name}-baseline`, unit: "%", p50: base, p99: base, n: bm25.questions },
    ];
  };
  const results = [...rows("retrieval-recall-at-5", (s) => s.recallAt5), ...rows("retrieval-answer-recall", (s) => s.answerRecall)];

  const { questions } = corpus;
  const changed = questions.filter((q) => q.changed);
  const heldOut = questions.filter((q) => q.heldOut);
  const split = async (label: string, subset: readonly RetrievalQuestion[]) => {
    const a = await scoreQuestions(subset, ask(store));
    const b = await scoreQuestions(subset, ask(baseline));
    return `${label} (${subset.length}): recall@5 ${percent(a.recallAt5)} % vs ${percent(b.recallAt5)} %, answer words ${percent(a.answerRecall)} % vs ${percent(b.answerRecall)} %`;
  };
  // Before fact versions the store searched superseded facts too: BM25 over every memory, as it ranked then.
  const unversioned = await scoreQuestions(questions, ask(baseline, { includeHistory: true }));
  const timing = (label: string, durations: readonly number[]) => {
    const s = summarise(durations);
    return `${label} p50 ${round(s.p50, 2)} ms, p99 ${round(s.p99, 2)} ms`;
  };
  notes.push(
    `retrieval corpus: ${corpus.callers} callers × ${profile.retrieval.callsPerCaller} calls, ${corpus.memories} memories as classifyConversation writes them, ` +
      `${questions.length} questions (each fact asked twice; ${changed.length} about a fact that changed in a later call); ` +
      `a question scores when its memory is in the top 5 ahead of any superseded one, and by the share of its answer words in the top ${RESULTS} results' text cut at ${TEXT_BUDGET} characters; ` +
      `built and asked in ${Math.round(performance.now() - start)} ms`,
    `retrieval, the ranking vs BM25: ${await split("wording written after the concept lists were frozen", heldOut)}; ` +
      `${await split("facts that changed", changed)}; ` +
      `BM25 over superseded facts too (the store before fact versions): recall@5 ${percent(unversioned.recallAt5)} %, answer words ${percent(unversioned.answerRecall)} %`,
    `retrieval search time on this corpus (in-process, one store call): ${timing("ranking", ranked.durationsMs)}; ${timing("BM25", bm25.durationsMs)}`,
  );
  store.close();
  baseline.close();
  await tell({ type: "results", results, notes });
});

// A phase is a child of the bench; it never outlives it.
process.on("disconnect", () => process.exit(1));
