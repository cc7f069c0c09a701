/**
 * The analysis of a transcription (summary, evaluation criteria, data collection) as the domain's
 * findings. ElevenLabs files results in maps keyed by id (`evaluation_criteria_results`), or, when
 * those are absent, in `_list` arrays; the seed shape has one summary and at most one evaluation.
 */
import type * as z from "zod/mini";
import { cleanText, type Conversation, type DataCollectionResult, type EvaluationResult } from "../../../domain/conversation";
import { ok, type Result } from "../../../domain/result";
import { dataCollectionResultSchema, evaluationResultSchema, type SeedPayload, type TranscriptionData } from "./post-call.schemas";
import { invalidPayload, isAbsent, jsonObjectField, keyedMap, optionalList, readWith, type JsonObject, type WirePath } from "./wire-fields";

export type Findings = Pick<Conversation, "summary" | "evaluations" | "dataCollection">;

type Evaluation = z.output<typeof evaluationResultSchema>;
type DataCollection = z.output<typeof dataCollectionResultSchema>;

/** One result with the path it was read at and the map key it was filed under (`null` in a list). */
interface Entry<T> {
  readonly item: T;
  readonly path: WirePath;
  readonly key: string | null;
}

export function readAnalysis(analysis: TranscriptionData["analysis"] | null, path: WirePath): Result<Findings> {
  const evaluationEntries = readEntries(analysis?.evaluation_criteria_results, analysis?.evaluation_criteria_results_list, path, "evaluation_criteria_results", evaluationResultSchema);
  if (!evaluationEntries.ok) return evaluationEntries;
  const evaluations: EvaluationResult[] = [];
  for (const entry of evaluationEntries.value) {
    const evaluation = toEvaluation(entry);
    if (!evaluation.ok) return evaluation;
    evaluations.push(evaluation.value);
  }

  const collectedEntries = readEntries(analysis?.data_collection_results, analysis?.data_collection_results_list, path, "data_collection_results", dataCollectionResultSchema);
  if (!collectedEntries.ok) return collectedEntries;
  const dataCollection: DataCollectionResult[] = [];
  for (const entry of collectedEntries.value) {
    const collected = toDataCollection(entry);
    if (!collected.ok) return collected;
    dataCollection.push(collected.value);
  }

  return ok({ summary: orNull(analysis?.transcript_summary), evaluations, dataCollection });
}

/** The seed has one summary and at most one evaluation `{ rationale }`, recorded as criterion `evaluation`. */
export function readSeedAnalysis(analysis: SeedPayload["analysis"] | null, path: WirePath): Result<Findings> {
  const evaluations: EvaluationResult[] = [];
  const item = analysis?.evaluation;
  if (!isAbsent(item)) {
    const evaluation = toEvaluation({ item, path: [...path, "evaluation"], key: "evaluation" });
    if (!evaluation.ok) return evaluation;
    evaluations.push(evaluation.value);
  }
  return ok({ summary: orNull(analysis?.summary), evaluations, dataCollection: [] });
}

/**
 * `name` as a map keyed by id, or, when that is absent, `${name}_list` as an array. Every entry must be
 * an object before any is read, so the first fault reported is the same whichever entry holds it.
 */
function readEntries<T>(map: unknown, list: unknown, path: WirePath, name: string, item: z.ZodMiniType<T>): Result<Entry<T>[]> {
  let found: { readonly value: JsonObject; readonly key: string | null; readonly path: WirePath }[];
  if (!isAbsent(map)) {
    const mapPath = [...path, name];
    const entries = readWith(keyedMap(jsonObjectField), map, mapPath);
    if (!entries.ok) return entries;
    found = entries.value.map(({ key, item: value }) => ({ value, key, path: [...mapPath, key] }));
  } else {
    const listPath = [...path, `${name}_list`];
    const items = readWith(optionalList(jsonObjectField), list, listPath);
    if (!items.ok) return items;
    found = items.value.map((value, index) => ({ value, key: null, path: [...listPath, index] }));
  }
  const entries: Entry<T>[] = [];
  for (const { value, key, path: entryPath } of found) {
    const parsed = readWith(item, value, entryPath);
    if (!parsed.ok) return parsed;
    entries.push({ item: parsed.value, key, path: entryPath });
  }
  return ok(entries);
}

function toEvaluation({ item, path, key }: Entry<Evaluation>): Result<EvaluationResult> {
  const criteriaId = entryId(item.criteria_id, [...path, "criteria_id"], key);
  if (!criteriaId.ok) return criteriaId;
  return ok({ criteriaId: criteriaId.value, result: item.result || null, rationale: item.rationale ?? "" });
}

function toDataCollection({ item, path, key }: Entry<DataCollection>): Result<DataCollectionResult> {
  const id = entryId(item.data_collection_id, [...path, "data_collection_id"], key);
  if (!id.ok) return id;
  return ok({ id: id.value, value: item.value, rationale: item.rationale || null });
}

/** The id inside the result wins; the map key it was filed under is the fallback. */
function entryId(id: string | null, path: WirePath, key: string | null): Result<string> {
  const chosen = id || (key === null ? "" : cleanText(key));
  return chosen === "" ? invalidPayload(path, "is required") : ok(chosen);
}

const orNull = (text: string | null | undefined): string | null => (text === undefined || text === "" ? null : text);
