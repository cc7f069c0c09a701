import * as z from "zod/mini";
import { withDeadline } from "../../../application/deadline";

/** Mem0 reported that it could not process an add; the write did not happen and may be retried. */
export class Mem0AddFailedError extends Error {
  override readonly name = "Mem0AddFailedError";
  constructor(readonly eventId: string) {
    super(`Mem0 failed to process add event ${eventId}`);
  }
}

const eventSchema = z.object({ status: z.string() });

/**
 * The event ids in an add answer. Mem0 queues adds and answers `{ results: [{ event_id, status }] }`
 * (an older shape carries `event_id` at the top, a synchronous one the memories themselves, with no
 * event); the client camel-cases `event_id` to `eventId`.
 */
export function eventIdsOf(response: unknown): string[] {
  const items: unknown[] = Array.isArray(response)
    ? response
    : isObject(response)
      ? [response, ...(Array.isArray(response.results) ? response.results : [])]
      : [];
  const ids = items.flatMap((item) => (isObject(item) && typeof item.eventId === "string" && item.eventId !== "" ? [item.eventId] : []));
  return [...new Set(ids)];
}

export interface EventWaitOptions {
  readonly host: string;
  readonly apiKey: string;
  /** Deadline of one status request. */
  readonly requestDeadlineMs: number;
  /** How long to wait for all events together before accepting them as queued. */
  readonly budgetMs: number;
}

/**
 * Wait until Mem0 has processed the queued adds (`GET /v1/event/{id}/`, which the `mem0ai` client
 * has no method for), so that what `add` reports is what `list` and the next idempotency check see.
 *
 * `FAILED` throws {@link Mem0AddFailedError} (the caller retries; drafts already stored are skipped).
 * Events still queued when the budget runs out, and status requests that fail, are accepted: the add
 * itself succeeded, and failing here would make a retry write the same drafts a second time.
 */
export async function waitForEvents(eventIds: readonly string[], options: EventWaitOptions): Promise<void> {
  const pending = new Set(eventIds);
  const giveUpAt = Date.now() + options.budgetMs;
  let pause = 100;
  while (pending.size > 0 && Date.now() < giveUpAt) {
    const statuses = await Promise.all([...pending].map(async (id) => [id, await statusOf(id, options)] as const));
    for (const [id, status] of statuses) {
      if (status === "FAILED") throw new Mem0AddFailedError(id);
      if (status === "SUCCEEDED") pending.delete(id);
    }
    if (pending.size === 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, giveUpAt - Date.now()))));
    pause = Math.min(pause * 2, 1000);
  }
}

async function statusOf(eventId: string, options: EventWaitOptions): Promise<string | undefined> {
  const abort = new AbortController();
  try {
    const response = await withDeadline(
      fetch(`${options.host}/v1/event/${encodeURIComponent(eventId)}/`, {
        headers: { Authorization: `Token ${options.apiKey}`, Accept: "application/json" },
        signal: abort.signal,
      }),
      options.requestDeadlineMs,
    );
    if (!response.ok) return undefined;
    const parsed = eventSchema.safeParse(await withDeadline(response.json(), options.requestDeadlineMs));
    return parsed.success ? parsed.data.status : undefined;
  } catch {
    return undefined;
  } finally {
    abort.abort();
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
