import {
  splitInboxEventId,
  type AwaitingAudio,
  type EventInbox,
  type FailedEvent,
  type InboxEvent,
  type InboxEventId,
  type InboxEventState,
} from "../../../application/ports/event-inbox.port";
import { httpStatusOf, S3Bucket, type S3BucketOptions } from "./s3-bucket";
import {
  AWAITING_AUDIO_PREFIX,
  awaitingKey,
  DONE_PREFIX,
  doneKey,
  FAILED_PREFIX,
  failedKey,
  INBOX_PREFIX,
  inboxIdFromObjectKey,
  pendingKey,
} from "./s3-inbox-keys";

/** User metadata key (sent as `x-amz-meta-received-at`): unix seconds of the first delivery. */
const RECEIVED_AT = "received-at";
/** Attempts at the conditional write when S3 reports a concurrent conditional write (409). */
const CONFLICT_ATTEMPTS = 5;


/**
 * The durable inbox in S3. A pending event is the raw webhook body, verbatim, at
 * `inbox/{event_type}/{conversation_id}.json` (its `ObjectCreated` event starts the worker Lambda);
 * done is a small marker at `processed/{event_type}/{conversation_id}.json`. Marking done never
 * writes under `inbox/`, so it cannot re-trigger the worker, and the raw event stays readable.
 *
 * A conversation waiting for its audio is a small JSON marker at `awaiting-audio/{conversation_id}.json`.
 *
 * Exclusive stores use S3 conditional writes (`If-None-Match: *`): of concurrent deliveries
 * exactly one is stored, the others are reported as duplicates.
 *
 * @example
 * const inbox = new S3EventInbox({ s3: createS3Client(), bucket: env.ARCHIVE_BUCKET, sse: "AES256" });
 * const { duplicate } = await inbox.store(event);
 */
export class S3EventInbox implements EventInbox {
  private readonly bucket: S3Bucket;

  constructor(options: S3BucketOptions) {
    this.bucket = new S3Bucket(options);
  }

  async store(event: InboxEvent): Promise<{ duplicate: boolean }> {
    const key = pendingKey(event.id);
    // Raw events and markers may expire at different times (lifecycle rules), so a late
    // re-delivery of a done event must not come back as new.
    const seen = await Promise.all([this.bucket.exists(doneKey(event.id)), this.bucket.exists(failedKey(event.id))]);
    if (seen.some(Boolean)) return { duplicate: true };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.bucket.put(key, event.rawBody, "application/json", {
          IfNoneMatch: "*",
          Metadata: { [RECEIVED_AT]: String(event.receivedAt) },
        });
        return { duplicate: false };
      } catch (error) {
        const status = httpStatusOf(error);
        if (status === 412) return { duplicate: true };
        // 409 ConditionalRequestConflict: another conditional write to this key is in flight; once
        // it lands, the retry is answered 412.
        if (status === 409 && attempt < CONFLICT_ATTEMPTS) {
          await sleep(25 * attempt);
          continue;
        }
        throw error;
      }
    }
  }

  async get(id: InboxEventId): Promise<InboxEvent | null> {
    const { eventType, conversationId } = splitInboxEventId(id);
    const object = await this.bucket.get(pendingKey(id));
    if (object === null) return null;
    const stamped = Number(object.metadata[RECEIVED_AT] ?? Number.NaN);
    return {
      id,
      eventType,
      conversationId,
      // An object without our metadata (put by hand, say) falls back to when it was written.
      receivedAt: Number.isFinite(stamped) ? stamped : Math.floor(object.lastModified / 1000),
      rawBody: new TextDecoder().decode(object.body),
    };
  }

  async state(id: InboxEventId): Promise<InboxEventState | null> {
    const [done, failed, pending] = await Promise.all([
      this.bucket.exists(doneKey(id)),
      this.bucket.exists(failedKey(id)),
      this.bucket.exists(pendingKey(id)),
    ]);
    if (done) return "done";
    if (failed) return "failed";
    return pending ? "pending" : null;
  }

  async listPending(): Promise<InboxEventId[]> {
    const [pending, done, failed] = await Promise.all([this.bucket.list(INBOX_PREFIX), this.bucket.list(DONE_PREFIX), this.bucket.list(FAILED_PREFIX)]);
    const doneIds = new Set([...done.map((o) => inboxIdFromObjectKey(o.key, DONE_PREFIX)), ...failed.map((o) => inboxIdFromObjectKey(o.key, FAILED_PREFIX))]);
    return pending
      .map((o) => ({ id: inboxIdFromObjectKey(o.key, INBOX_PREFIX), lastModified: o.lastModified }))
      .filter((o): o is { id: InboxEventId; lastModified: number } => o.id !== null && !doneIds.has(o.id))
      // S3 times have one-second resolution: ties keep a stable order by id.
      .sort((a, b) => a.lastModified - b.lastModified || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((o) => o.id);
  }

  async listDone(): Promise<InboxEventId[]> {
    const done = await this.bucket.list(DONE_PREFIX);
    return done.flatMap((o) => inboxIdFromObjectKey(o.key, DONE_PREFIX) ?? []).sort();
  }

  async markDone(id: InboxEventId): Promise<void> {
    // A marker without its event would make a first delivery look like a duplicate and lose it.
    if (!(await this.bucket.exists(pendingKey(id)))) throw new Error(`inbox has no event ${id} to mark done`);
    await this.bucket.put(doneKey(id), JSON.stringify({ doneAt: Math.floor(Date.now() / 1000) }), "application/json");
  }

  async markFailed(id: InboxEventId, reason: string, failedAt: number): Promise<void> {
    if (!(await this.bucket.exists(pendingKey(id)))) throw new Error(`inbox has no event ${id} to mark failed`);
    await this.bucket.put(failedKey(id), JSON.stringify({ reason, failedAt }), "application/json");
  }

  async listFailed(): Promise<FailedEvent[]> {
    const failed: FailedEvent[] = [];
    for (const object of await this.bucket.list(FAILED_PREFIX)) {
      const id = inboxIdFromObjectKey(object.key, FAILED_PREFIX);
      const note = id === null ? null : await this.bucket.get(object.key);
      if (id === null || note === null) continue;
      const { reason, failedAt } = JSON.parse(new TextDecoder().decode(note.body)) as { reason: string; failedAt: number };
      failed.push({ id, reason, failedAt });
    }
    return failed.sort((a, b) => a.failedAt - b.failedAt);
  }

  async requeue(id: InboxEventId): Promise<void> {
    await this.bucket.remove(failedKey(id));
  }

  async remove(id: InboxEventId): Promise<void> {
    const { eventType, conversationId } = splitInboxEventId(id);
    const keys = [pendingKey(id), doneKey(id), failedKey(id)];
    // Every version of the marker goes too, settled ones included: it names the caller.
    if (eventType === "post_call_transcription") keys.push(awaitingKey(conversationId));
    await Promise.all(keys.map((key) => this.bucket.remove(key)));
  }

  async awaitAudio(entry: AwaitingAudio): Promise<void> {
    const { conversationId, callerFolder, eventTimestamp, since } = entry;
    await this.bucket.put(awaitingKey(conversationId), JSON.stringify({ conversationId, callerFolder, eventTimestamp, since }), "application/json");
  }

  async listAwaitingAudio(): Promise<AwaitingAudio[]> {
    const entries: AwaitingAudio[] = [];
    for (const object of await this.bucket.list(AWAITING_AUDIO_PREFIX)) {
      // Settled between the listing and the read: nothing is waiting any more.
      const marker = object.key.endsWith(".json") ? await this.bucket.get(object.key) : null;
      if (marker !== null) entries.push(JSON.parse(new TextDecoder().decode(marker.body)) as AwaitingAudio);
    }
    return entries.sort((a, b) => a.since - b.since || (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0));
  }

  async audioSettled(conversationId: string): Promise<void> {
    // A plain delete (s3:DeleteObject, what the worker and the sweep are granted), not the
    // every-version erasure of `remove`: on a versioned bucket the old version stays noncurrent
    // until the bucket's lifecycle drops it, or until the caller is forgotten.
    await this.bucket.removeCurrent(awaitingKey(conversationId));
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
