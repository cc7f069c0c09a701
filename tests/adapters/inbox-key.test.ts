// Which S3 keys the worker takes for inbox events: the ids post-call stores, and nothing else.
import { describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inboxIdFromKey } from "../../adapters/inbound/lambda/worker.handler";
import { DONE_PREFIX, doneKey, FAILED_PREFIX, failedKey, inboxIdFromObjectKey, pendingKey } from "../../adapters/outbound/aws/s3-inbox-keys";
import { FsEventInbox } from "../../adapters/outbound/embedded/fs-event-inbox";
import { parseInboxEventId, type InboxEventId } from "../../application/ports/event-inbox.port";

describe("inboxIdFromKey", () => {
  it.each([
    ["inbox/post_call_transcription/conv_1.json", "post_call_transcription/conv_1"],
    ["inbox/answering_machine_detection/conv_x.json", "answering_machine_detection/conv_x"],
    ["inbox/unreadable/sha256-0123456789abcdef0123456789abcdef01234567.json", "unreadable/sha256-0123456789abcdef0123456789abcdef01234567"],
    // S3 notifications URL-encode keys, spaces as +.
    ["inbox/post_call_audio/conv%3A1.json", "post_call_audio/conv:1"],
  ])("reads %s as %s", (key, id) => {
    expect(inboxIdFromKey(key)).toBe(id);
  });

  it.each([
    "processed/post_call_transcription/conv_1.json",
    "inbox/post_call_transcription/conv_1.txt",
    "inbox/post_call_transcription/a/b.json",
    "inbox/Post_Call/conv_1.json",
    "inbox/post_call_transcription/conv+1.json",
    "inbox/post_call_transcription/.json",
    "inbox/conv_1.json",
    "inbox/post_call_transcription/conv%E0.json",
  ])("ignores %s", (key) => {
    expect(inboxIdFromKey(key)).toBeNull();
  });
});

describe("one reading of inbox ids, for every inbox and key layout", () => {
  it.each(["post_call_transcription/conv_1", "unreadable/sha256-0123456789abcdef0123456789abcdef01234567", "answering_machine_detection/conv:1.x"])(
    "%s is an id; its S3 keys under every prefix read back as it",
    (id) => {
      const parsed = parseInboxEventId(id);
      expect(parsed?.id).toBe(id);
      const inboxId = id as InboxEventId;
      expect(inboxIdFromObjectKey(pendingKey(inboxId))).toBe(id);
      expect(inboxIdFromObjectKey(doneKey(inboxId), DONE_PREFIX)).toBe(id);
      expect(inboxIdFromObjectKey(failedKey(inboxId), FAILED_PREFIX)).toBe(id);
    },
  );

  it.each(["post_call_transcription", "post_call_transcription/", "Post_Call/conv_1", "post_call_transcription/a/b", "post_call_transcription/..", "post_call_transcription/conv 1", "post_call_transcription/conv\u00001"])(
    "%j is no id: no key is built from it, by the S3 layout or the local inbox",
    async (text) => {
      expect(parseInboxEventId(text)).toBeNull();
      expect(() => pendingKey(text as InboxEventId)).toThrow(/not an inbox event id/);
      const inbox = new FsEventInbox(await mkdtemp(join(tmpdir(), "inbox-id-")));
      await expect(inbox.store({ id: text as InboxEventId, eventType: "x", conversationId: "x", receivedAt: 0, rawBody: "{}" })).rejects.toThrow(/not an inbox event id/);
    },
  );
});
