import { isStorableId } from "../../domain/conversation";
import { EVENT_TYPE_PATTERN } from "../../domain/webhook-event-key";

/** DI token for {@link EventInbox}. */
export const EVENT_INBOX = Symbol("EventInbox");

/**
 * `${eventType}/${conversationId}`: one webhook event, whatever how often it is delivered. The type is
 * whatever the signed event said (see `webhookEventKey`): events of types we don't handle are stored
 * too, and parked by the worker.
 */
export type InboxEventId = `${string}/${string}`;

export const inboxEventId = (eventType: string, conversationId: string): InboxEventId =>
  `${eventType}/${conversationId}`;

/** A post-call webhook exactly as received, kept until it has been ingested. */
export interface InboxEvent {
  readonly id: InboxEventId;
  readonly eventType: string;
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
  /**
   * Erase the event in whatever state it is (right to erasure); a no-op when absent. Erasing a
   * `post_call_transcription` also erases its conversation's {@link AwaitingAudio} marker for good,
   * since the marker names the caller: do it even when the event itself is gone already.
   */
  remove(id: InboxEventId): Promise<void>;
  /**
   * Remember that a conversation's transcription was archived and its audio has not come yet (the
   * sweep fetches it or gives up once the wait is over). Writing the same conversation again replaces it.
   */
  awaitAudio(entry: AwaitingAudio): Promise<void>;
  /** Every conversation still waiting for its audio, oldest first. */
  listAwaitingAudio(): Promise<AwaitingAudio[]>;
  /** The conversation's audio is archived or will not be: forget the marker; a no-op when there is none. */
  audioSettled(conversationId: string): Promise<void>;
}

/** A transcription archived under `callerFolder` whose recording has not been archived yet. */
export interface AwaitingAudio {
  readonly conversationId: string;
  /** The caller's folder in the archive (a phone number, or `anonymous`): personal data, never logged. */
  readonly callerFolder: string;
  /** The transcription's event time, which names the audio's archive key. */
  readonly eventTimestamp: number;
  /** Unix seconds when the transcription was received: the wait for audio runs from here. */
  readonly since: number;
}

/**
 * The two halves of `text` when it is an inbox id, by the rules that named the event when it was
 * stored (`webhookEventKey`): a lower snake case type and a conversation id fit for a storage key.
 * The one reader of ids, for every inbox and every key layout built from them.
 */
export function parseInboxEventId(text: string): { readonly id: InboxEventId; readonly eventType: string; readonly conversationId: string } | null {
  const slash = text.indexOf("/");
  if (slash < 0) return null;
  const eventType = text.slice(0, slash);
  const conversationId = text.slice(slash + 1);
  if (!EVENT_TYPE_PATTERN.test(eventType) || !isStorableId(conversationId)) return null;
  return { id: text as InboxEventId, eventType, conversationId };
}

/** The two halves of an inbox id; throws for anything else, which no key may be built from. */
export function splitInboxEventId(id: InboxEventId): { readonly eventType: string; readonly conversationId: string } {
  const parsed = parseInboxEventId(id);
  if (parsed === null) throw new Error(`not an inbox event id: ${JSON.stringify(id.slice(0, 80))}`);
  return parsed;
}

/** The event type half of an id, for logs (which never show the conversation id). */
export function inboxEventType(id: InboxEventId): string {
  return id.slice(0, id.indexOf("/"));
}
