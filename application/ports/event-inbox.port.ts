import type { ConversationEventType } from "../../domain/conversation";

/** DI token for {@link EventInbox}. */
export const EVENT_INBOX = Symbol("EventInbox");

/** `${eventType}/${conversationId}`: one webhook event, whatever how often it is delivered. */
export type InboxEventId = `${ConversationEventType}/${string}`;

export const inboxEventId = (eventType: ConversationEventType, conversationId: string): InboxEventId =>
  `${eventType}/${conversationId}`;

/** A post-call webhook exactly as received, kept until it has been ingested. */
export interface InboxEvent {
  readonly id: InboxEventId;
  readonly eventType: ConversationEventType;
  readonly conversationId: string;
  /** Unix seconds when it was first stored; the fallback event time for payloads without one. */
  readonly receivedAt: number;
  /** The raw request body (the exact bytes that were signed), as UTF-8 text. */
  readonly rawBody: string;
}

export type InboxEventState = "pending" | "done" | "failed";

/** An event the worker gave up on: kept whole, with why, until an operator replays it. */
export interface FailedEvent {
  readonly id: InboxEventId;
  readonly reason: string;
  /** Unix seconds. */
  readonly failedAt: number;
}

/**
 * The durable inbox between acknowledging a post-call webhook and ingesting it. An event stored
 * here survives crashes and restarts until it is marked done.
 */
export interface EventInbox {
  /** Store durably; an id stored before (pending, done or failed) is kept as it was and reported as a duplicate. */
  store(event: InboxEvent): Promise<{ readonly duplicate: boolean }>;
  /** The event in whatever state it is (pending, done or failed). */
  get(id: InboxEventId): Promise<InboxEvent | null>;
  state(id: InboxEventId): Promise<InboxEventState | null>;
  /** Ids still waiting to be ingested, oldest first. */
  listPending(): Promise<InboxEventId[]>;
  /** Ids of the events already ingested (kept as the record of each call and for deduplication). */
  listDone(): Promise<InboxEventId[]>;
  markDone(id: InboxEventId): Promise<void>;
  /** Park a pending event after its last retry: no longer pending, nothing deleted. */
  markFailed(id: InboxEventId, reason: string, failedAt: number): Promise<void>;
  listFailed(): Promise<FailedEvent[]>;
  /** Make a failed event pending again (replay). */
  requeue(id: InboxEventId): Promise<void>;
  /** Erase the event in whatever state it is (right to erasure); a no-op when absent. */
  remove(id: InboxEventId): Promise<void>;
}

/** The two halves of an inbox id. */
export function splitInboxEventId(id: InboxEventId): { readonly eventType: ConversationEventType; readonly conversationId: string } {
  const slash = id.indexOf("/");
  return { eventType: id.slice(0, slash) as ConversationEventType, conversationId: id.slice(slash + 1) };
}
