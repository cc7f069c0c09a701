import type { Conversation } from "../domain/conversation";
import { parseConversation } from "../domain/conversation-parser";
import type { InboxEvent } from "./ports/event-inbox.port";

/**
 * A stored inbox event as a {@link Conversation}, or why it cannot be read. The event was validated
 * on arrival; the time it was received stands in for payloads that carry no timestamp of their own.
 *
 * @example
 * const conversation = parseStoredEvent(await inbox.get(id));
 * if (typeof conversation !== "string" && conversation.caller.known) conversation.caller.callerId;
 */
export function parseStoredEvent(event: InboxEvent): Conversation | string {
  let payload: unknown;
  try {
    payload = JSON.parse(event.rawBody);
  } catch {
    return "stored body is not JSON";
  }
  const parsed = parseConversation(payload, { fallbackTimestamp: event.receivedAt });
  return parsed.ok ? parsed.value : `${parsed.error.code}: ${parsed.error.message}`;
}
