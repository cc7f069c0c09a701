import type { IngestOutcome } from "../../../application/use-cases/ingest-event.use-case";
import type { RequestMetric } from "../../../domain/usage";

/**
 * The metric event of one stored event's ingestion, as the Lambda worker and the local worker record
 * it: `ok` when it came to an end (ingested, already done, waiting for its transcription, gone),
 * `rejected` when it was parked as unreadable, `failed` when every try failed (`"failed"`).
 *
 * @example
 * ingestionMetric({ status: "ingested", memoriesAdded: 3, archived: [] }, at, 840); // ok, 3 memories written
 */
export function ingestionMetric(outcome: IngestOutcome | "failed", at: number, latencyMs: number): RequestMetric {
  if (outcome === "failed") return { route: "worker", outcome: "failed", at, latencyMs, memoriesWritten: 0 };
  return {
    route: "worker",
    outcome: outcome.status === "parked" ? "rejected" : "ok",
    at,
    latencyMs,
    memoriesWritten: outcome.status === "ingested" ? outcome.memoriesAdded : 0,
  };
}
