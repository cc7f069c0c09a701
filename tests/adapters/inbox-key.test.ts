// Which S3 keys the worker takes for inbox events: the ids post-call stores, and nothing else.
import { describe, expect, it } from "vitest";
import { inboxIdFromKey } from "../../adapters/inbound/lambda/worker.handler";

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
  ])("ignores %s", (key) => {
    expect(inboxIdFromKey(key)).toBeNull();
  });
});
