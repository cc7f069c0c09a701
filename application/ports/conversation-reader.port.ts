import type { Region } from "../../domain/caller-id";
import type { Conversation } from "../../domain/conversation";

/** DI token for {@link ConversationReader}. */
export const CONVERSATION_READER = Symbol("ConversationReader");

export interface ConversationReadOptions {
  /**
   * Unix seconds standing in for a payload that carries no time of its own (the seed's short shape):
   * when the event was received, fixed once and stored with it. Absent: such a payload cannot be read.
   */
  readonly fallbackTimestamp?: number;
  /**
   * Where a caller id in national form is read when the event names no number of ours to take the
   * region from (the operator's `DEFAULT_REGION`); `null`: such a caller has no identity.
   */
  readonly defaultRegion: Region | null;
}

/**
 * Reads a post-call webhook body as it was received (ElevenLabs' wire format, or the seed's short
 * shape) as a {@link Conversation}. Untrusted input: it never throws, and answers why a body cannot
 * be read (the reason an event is parked with) instead.
 *
 * @example
 * const conversation = await reader.read(event.rawBody, { fallbackTimestamp: event.receivedAt, defaultRegion: null });
 * if (typeof conversation === "string") return park(conversation); // "UNSUPPORTED_EVENT: type …"
 */
export interface ConversationReader {
  read(rawBody: string, options: ConversationReadOptions): Promise<Conversation | string>;
}
