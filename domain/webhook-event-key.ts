/**
 * Which webhook event a raw post-call body is, read as leniently as possible: the post-call path
 * stores every correctly signed body and acknowledges it, so this must name *any* body, including
 * ones the worker will later refuse to parse (an event type we don't know yet, such as
 * `answering_machine_detection`, or a field we can't read). Those are parked with their reason by
 * the worker, never refused here: ElevenLabs does not retry a 4xx.
 *
 * The key is what deliveries are deduplicated on (`type` + `conversation_id`, as ElevenLabs advises);
 * a body without a usable conversation id is keyed by its content hash, so a re-delivery of the same
 * bytes is still recognised.
 */
import { createHash } from "node:crypto";
import { isStorableId } from "./conversation";

export interface WebhookEventKey {
  /** `post_call_transcription`, …, any other `[a-z][a-z0-9_]*` type as sent, or `unreadable`. */
  readonly eventType: string;
  readonly conversationId: string;
}

/** Event types are lower snake case on the wire; anything else is not used as a storage path segment. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** The type given to bodies that are not a JSON object with a readable type. */
const UNREADABLE_EVENT_TYPE = "unreadable";

/**
 * @example
 * webhookEventKey('{"type":"post_call_audio","data":{"conversation_id":"conv_1"}}'); // { eventType: "post_call_audio", conversationId: "conv_1" }
 * webhookEventKey("not json"); // { eventType: "unreadable", conversationId: "sha256-…" }
 */
export function webhookEventKey(rawBody: string): WebhookEventKey {
  const payload = parseObject(rawBody);
  const data = payload === null ? null : asObject(payload.data);
  // The seed's short shape has no `type` and its conversation id at the root: a transcription.
  const seedShape = payload !== null && payload.type === undefined && payload.conversation_id !== undefined;
  const type = seedShape ? "post_call_transcription" : payload?.type;
  const eventType = typeof type === "string" && EVENT_TYPE_PATTERN.test(type) ? type : UNREADABLE_EVENT_TYPE;
  const id = seedShape ? payload?.conversation_id : data?.conversation_id;
  const conversationId =
    eventType !== UNREADABLE_EVENT_TYPE && typeof id === "string" && isStorableId(id)
      ? id
      : `sha256-${createHash("sha256").update(rawBody).digest("hex").slice(0, 40)}`;
  return { eventType, conversationId };
}

type JsonObject = { readonly [key: string]: unknown };

function parseObject(text: string): JsonObject | null {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return null;
  }
}

function asObject(value: unknown): JsonObject | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
}
