import type { Region } from "../domain/caller-id";
import type { Conversation } from "../domain/conversation";
import type { ConversationReader } from "./ports/conversation-reader.port";
import type { InboxEvent } from "./ports/event-inbox.port";

/**
 * A stored inbox event as a {@link Conversation}, or why it cannot be read. The event was validated
 * on arrival; the time it was received stands in for payloads that carry no timestamp of their own.
 * A caller id in national form is read in the region of our number in the event, else `defaultRegion`
 * (the operator's `DEFAULT_REGION`): ingestion, erasure and retention must pass the same one, or
 * `forget` would not find the events ingestion attributed to a caller.
 *
 * @example
 * const conversation = await readStoredEvent(reader, await inbox.get(id), settings.defaultRegion);
 * if (typeof conversation !== "string" && conversation.caller.known) conversation.caller.callerId;
 */
export function readStoredEvent(reader: ConversationReader, event: InboxEvent, defaultRegion: Region | null): Promise<Conversation | string> {
  return reader.read(event.rawBody, { fallbackTimestamp: event.receivedAt, defaultRegion });
}
