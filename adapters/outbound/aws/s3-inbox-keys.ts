/**
 * The inbox's key layout in the bucket, in one place: `inbox/{type}/{conversation_id}.json` while
 * pending, `processed/…` once ingested, `failed/…` when parked, `awaiting-audio/{conversation_id}.json`
 * for a transcription whose audio has not come. The prefixes are those the functions' IAM grants are
 * derived from (`function-declarations.ts`); no AWS SDK here, so the worker reads keys without loading it.
 */
import { parseInboxEventId, splitInboxEventId, type InboxEventId } from "../../../application/ports/event-inbox.port";
import { isStorableId } from "../../../domain/conversation";
import { INBOX_PREFIXES } from "../../function-declarations";

// `awaiting-audio/` is outside `inbox/`, so writing a marker there starts no worker.
const { pending: INBOX_PREFIX, done: DONE_PREFIX, failed: FAILED_PREFIX, awaitingAudio: AWAITING_AUDIO_PREFIX } = INBOX_PREFIXES;

export { AWAITING_AUDIO_PREFIX, DONE_PREFIX, FAILED_PREFIX, INBOX_PREFIX };

export function pendingKey(id: InboxEventId): string {
  splitInboxEventId(id);
  return `${INBOX_PREFIX}${id}.json`;
}

export function doneKey(id: InboxEventId): string {
  splitInboxEventId(id);
  return `${DONE_PREFIX}${id}.json`;
}

export function failedKey(id: InboxEventId): string {
  splitInboxEventId(id);
  return `${FAILED_PREFIX}${id}.json`;
}

export function awaitingKey(conversationId: string): string {
  // The same rule as an inbox id's conversation half: one flat key the listing finds.
  if (!isStorableId(conversationId)) throw new Error(`not a conversation id: ${JSON.stringify(conversationId.slice(0, 80))}`);
  return `${AWAITING_AUDIO_PREFIX}${conversationId}.json`;
}

/**
 * The inbox id an object key under `prefix` (`inbox/` by default) stands for, such as
 * `inbox/post_call_transcription/conv_1.json`, or null for any other key. Keys as S3 stores them
 * (an S3 notification URL-encodes them: decode first).
 */
export function inboxIdFromObjectKey(key: string, prefix: string = INBOX_PREFIX): InboxEventId | null {
  if (!key.startsWith(prefix) || !key.endsWith(".json")) return null;
  return parseInboxEventId(key.slice(prefix.length, -".json".length))?.id ?? null;
}
