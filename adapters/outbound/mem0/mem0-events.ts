import * as z from "zod/mini";
import { withDeadline } from "../../../application/deadline";
import type { HttpAnswer, HttpExchange } from "../http/http-exchange";
import { mem0Request } from "./mem0-http-client";

/** Mem0 reported that it could not process a queued add or delete; nothing of it may be assumed done. */
class Mem0EventFailedError extends Error {
  override readonly name = "Mem0EventFailedError";
  constructor(readonly eventId: string) {
    super(`Mem0 failed to process event ${eventId}`);
  }
}

/** A queued delete that had not finished when we stopped waiting: the erasure is not yet done. */
class Mem0EventPendingError extends Error {
  override readonly name = "Mem0EventPendingError";
  constructor(readonly eventIds: readonly string[]) {
    super(`Mem0 had not finished ${eventIds.length} queued event(s) in time; nothing is known to be done yet, run it again`);
  }
}

const eventSchema = z.object({ status: z.string() });

/**
 * The event ids in an answer of a queued operation: v3 `add` answers `{ event_id, status: "PENDING" }`,
 * a direct import (`infer: false`) `{ event_id, status: "SUCCEEDED", results }`, `deleteAll`
 * `{ message, event_id }` (Mem0's OpenAPI document); the client camel-cases `event_id` to `eventId`.
 * Older shapes carry the events inside `results`; both are read.
 */
export function eventIdsOf(response: unknown): string[] {
  const items: unknown[] = Array.isArray(response)
    ? response
    : isObject(response)
      ? [response, ...(Array.isArray(response.results) ? response.results : [])]
      : [];
  const ids = items.flatMap((item) => {
    if (!isObject(item)) return [];
    const id = item.eventId ?? item.event_id;
    return typeof id === "string" && id !== "" ? [id] : [];
  });
  return [...new Set(ids)];
}

export interface EventWaitOptions {
  /** The store's connection to Mem0 (mem0-http-client.ts), shared with its client. */
  readonly http: HttpExchange;
  readonly host: string;
  readonly apiKey: string;
  /** Deadline of one status request. */
  readonly requestDeadlineMs: number;
  /** How long to wait for all events together. */
  readonly budgetMs: number;
  /**
   * `false` (adds): events still queued when the budget runs out, and status requests that fail, are
   * accepted, because the add itself was accepted and failing would make a retry write it twice.
   * `true` (erasure): anything but `SUCCEEDED` for every event throws {@link Mem0EventPendingError}.
   */
  readonly mustFinish: boolean;
}

/**
 * Wait until Mem0 has processed queued events (`GET /v1/event/{event_id}/`, which the `mem0ai`
 * client has no method for), so that what an add or a forget reports is what the next read sees.
 * `FAILED` always throws {@link Mem0EventFailedError}.
 */
export async function waitForEvents(eventIds: readonly string[], options: EventWaitOptions): Promise<void> {
  const pending = new Set(eventIds);
  const giveUpAt = Date.now() + options.budgetMs;
  let pause = 100;
  while (pending.size > 0 && Date.now() < giveUpAt) {
    const statuses = await Promise.all([...pending].map(async (id) => [id, await statusOf(id, options)] as const));
    for (const [id, status] of statuses) {
      if (status === "FAILED") throw new Mem0EventFailedError(id);
      if (status === "SUCCEEDED") pending.delete(id);
    }
    if (pending.size === 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, giveUpAt - Date.now()))));
    pause = Math.min(pause * 2, 1000);
  }
  if (pending.size > 0 && options.mustFinish) throw new Mem0EventPendingError([...pending]);
}

/**
 * Delete one user entity (`DELETE /v2/entities/user/{name}/`). The client's `deleteUsers` sends the
 * same request but drops the answer, and the answer is a queued event (Mem0's OpenAPI document:
 * "Entity deletion has been queued"), which we must wait for before saying the caller is gone.
 * Returns the event ids to wait for; `[]` when Mem0 has no such entity (404).
 */
export async function deleteUserEntity(name: string, options: RequestOptions): Promise<string[]> {
  const response = await send("DELETE", `/v2/entities/user/${encodeURIComponent(name)}/`, options);
  if (response.status === 404) return [];
  if (!isOk(response.status)) throw new Error(`Mem0 answered ${response.status} to deleting the caller's user entity`);
  return eventIdsOf(JSON.parse(response.body.toString("utf8")));
}

async function statusOf(eventId: string, options: EventWaitOptions): Promise<string | undefined> {
  try {
    const response = await send("GET", `/v1/event/${encodeURIComponent(eventId)}/`, options);
    if (!isOk(response.status)) return undefined;
    const parsed = eventSchema.safeParse(JSON.parse(response.body.toString("utf8")));
    return parsed.success ? parsed.data.status : undefined;
  } catch {
    return undefined;
  }
}

type RequestOptions = Pick<EventWaitOptions, "http" | "host" | "apiKey" | "requestDeadlineMs">;

/** One request the client has no method for, within the request deadline; a request still going then is dropped. */
async function send(method: "GET" | "DELETE", path: string, options: RequestOptions): Promise<HttpAnswer> {
  const abort = new AbortController();
  try {
    const request = mem0Request(options.http, {
      method,
      url: `${options.host}${path}`,
      headers: { Authorization: `Token ${options.apiKey}`, Accept: "application/json" },
      signal: abort.signal,
    });
    return await withDeadline(request, options.requestDeadlineMs);
  } finally {
    abort.abort();
  }
}

/** What fetch calls `ok`. */
function isOk(status: number): boolean {
  return status >= 200 && status <= 299;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
