import { parseInboxEventId, type EventInbox, type FailedEvent, type InboxEventId } from "../ports/event-inbox.port";

/** A parked event as the operator lists it (its body, which names the caller, is not part of it). */
interface ParkedEvent {
  readonly id: InboxEventId;
  readonly eventType: string;
  readonly conversationId: string;
  /** Why the worker (or a replay) gave up on it. */
  readonly reason: string;
  /** ISO-8601. */
  readonly failedAt: string;
}

export interface ParkedEvents {
  /** Most recently parked first, at most the limit asked for. */
  readonly events: readonly ParkedEvent[];
  /** How many events are parked in all. */
  readonly total: number;
}

/** Where one event stands now: what the events page shows after a replay, or for an id it is given. */
export type EventStatus =
  | { readonly id: string; readonly state: "not_found" }
  | { readonly id: InboxEventId; readonly state: "pending" | "done"; readonly eventType: string; readonly conversationId: string }
  | ({ readonly state: "failed" } & ParkedEvent);

/** Parked events listed by default. */
const PARKED_EVENTS_LIMIT = 100;

/**
 * The operator's view of the events ingestion gave up on: the parked ones, newest first, and where any
 * one event stands now (pending, done, or parked with why). Replaying one is {@link ReplayEvent}.
 *
 * @example
 * const { events, total } = await failedEvents.list();
 * await failedEvents.status(events[0].id); // { state: "failed", reason: "UNSUPPORTED_EVENT: …", … }
 */
export class FailedEvents {
  constructor(private readonly inbox: EventInbox) {}

  async list(options: { readonly limit?: number } = {}): Promise<ParkedEvents> {
    const limit = Math.max(0, Math.trunc(options.limit ?? PARKED_EVENTS_LIMIT));
    const failed = await this.inbox.listFailed();
    const newest = [...failed].sort((a, b) => b.failedAt - a.failedAt || (a.id < b.id ? -1 : 1));
    const events = newest.slice(0, limit).flatMap((f) => {
      const parsed = parseInboxEventId(f.id);
      return parsed === null ? [] : [parkedEvent(parsed, f)];
    });
    return { events, total: failed.length };
  }

  /** Where the event with this id stands; an id that is no inbox id is `not_found`. */
  async status(id: string): Promise<EventStatus> {
    const parsed = parseInboxEventId(id);
    if (parsed === null) return { id, state: "not_found" };
    // A parked event missing from the list a moment later was replayed in between: its state is read again.
    for (let read = 1; ; read += 1) {
      const state = await this.inbox.state(parsed.id);
      if (state === null) return { id, state: "not_found" };
      if (state !== "failed") return { ...parsed, state };
      const failed = (await this.inbox.listFailed()).find((f) => f.id === parsed.id);
      if (failed !== undefined || read === STATUS_READS) return { state: "failed", ...parkedEvent(parsed, failed) };
    }
  }
}

/** Reads of an event's state before a parked event missing from the list is shown as parked for an unknown reason. */
const STATUS_READS = 3;

/** The listed form of a parked event (its reason unknown when it could not be read). */
function parkedEvent(parsed: { readonly id: InboxEventId; readonly eventType: string; readonly conversationId: string }, failed: FailedEvent | undefined): ParkedEvent {
  const { id, eventType, conversationId } = parsed;
  return { id, eventType, conversationId, reason: failed?.reason ?? "unknown", failedAt: new Date((failed?.failedAt ?? 0) * 1000).toISOString() };
}
