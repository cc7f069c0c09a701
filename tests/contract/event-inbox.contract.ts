import { beforeEach, describe, expect, it } from "vitest";
import { inboxEventId, type EventInbox, type InboxEvent } from "../../application/ports/event-inbox.port";

export function inboxEvent(conversationId: string, overrides: Partial<InboxEvent> = {}): InboxEvent {
  const eventType = overrides.eventType ?? "post_call_transcription";
  return {
    id: inboxEventId(eventType, conversationId),
    eventType,
    conversationId,
    receivedAt: 1_767_268_871,
    rawBody: JSON.stringify({ type: eventType, data: { conversation_id: conversationId } }),
    ...overrides,
  };
}

/** The behaviour every {@link EventInbox} adapter must show (fake, file system, S3). */
export function describeEventInboxContract(name: string, createInbox: () => Promise<EventInbox>): void {
  describe(`EventInbox contract: ${name}`, () => {
    let inbox: EventInbox;
    beforeEach(async () => {
      inbox = await createInbox();
    });

    it("keeps a stored event pending, byte for byte, until it is marked done", async () => {
      const event = inboxEvent("conv_a", { rawBody: '{"type":"post_call_transcription","note":"José — 📞 \\u0000"}' });

      const stored = await inbox.store(event);

      expect(stored).toEqual({ duplicate: false });
      expect(await inbox.state(event.id)).toBe("pending");
      expect(await inbox.get(event.id)).toEqual(event);
      expect(await inbox.listPending()).toEqual([event.id]);

      await inbox.markDone(event.id);

      expect(await inbox.state(event.id)).toBe("done");
      expect(await inbox.listPending()).toEqual([]);
      expect(await inbox.get(event.id)).toEqual(event);
    });

    it("reports a re-delivery as a duplicate and keeps the first copy, pending or done", async () => {
      const first = inboxEvent("conv_b", { receivedAt: 100 });
      const again = inboxEvent("conv_b", { receivedAt: 200, rawBody: '{"changed":true}' });

      await inbox.store(first);
      const whilePending = await inbox.store(again);
      await inbox.markDone(first.id);
      const whenDone = await inbox.store(again);

      expect(whilePending).toEqual({ duplicate: true });
      expect(whenDone).toEqual({ duplicate: true });
      expect(await inbox.get(first.id)).toEqual(first);
      expect(await inbox.state(first.id)).toBe("done");
      expect(await inbox.listPending()).toEqual([]);
    });

    it("keeps the transcription and audio of one conversation apart", async () => {
      const transcription = inboxEvent("conv_c");
      const audio = inboxEvent("conv_c", { eventType: "post_call_audio" });

      await inbox.store(transcription);
      const second = await inbox.store(audio);

      expect(second).toEqual({ duplicate: false });
      expect(new Set(await inbox.listPending())).toEqual(new Set([transcription.id, audio.id]));
    });

    it("parks a failed event with its reason until it is requeued, then it is pending again", async () => {
      const event = inboxEvent("conv_fail", { rawBody: '{"x":"kept whole"}' });
      await inbox.store(event);

      await inbox.markFailed(event.id, "Mem0 answered 500 five times", 1_767_270_000);

      expect(await inbox.state(event.id)).toBe("failed");
      expect(await inbox.listPending()).toEqual([]);
      expect(await inbox.listFailed()).toEqual([{ id: event.id, reason: "Mem0 answered 500 five times", failedAt: 1_767_270_000 }]);
      expect(await inbox.get(event.id)).toEqual(event);
      expect(await inbox.store(event)).toEqual({ duplicate: true });

      await inbox.requeue(event.id);

      expect(await inbox.state(event.id)).toBe("pending");
      expect(await inbox.listFailed()).toEqual([]);
      expect(await inbox.listPending()).toEqual([event.id]);
      expect(await inbox.get(event.id)).toEqual(event);
    });

    it("removes an event in any state, and nothing else", async () => {
      const pending = inboxEvent("conv_rm_pending");
      const done = inboxEvent("conv_rm_done");
      const failed = inboxEvent("conv_rm_failed");
      const kept = inboxEvent("conv_rm_kept");
      for (const e of [pending, done, failed, kept]) await inbox.store(e);
      await inbox.markDone(done.id);
      await inbox.markFailed(failed.id, "x", 1);

      for (const e of [pending, done, failed]) await inbox.remove(e.id);
      await inbox.remove(inboxEvent("conv_never_there").id);

      for (const e of [pending, done, failed]) {
        expect(await inbox.state(e.id)).toBeNull();
        expect(await inbox.get(e.id)).toBeNull();
      }
      expect(await inbox.listPending()).toEqual([kept.id]);
      expect(await inbox.listFailed()).toEqual([]);
    });

    it("lists the events already ingested, and neither pending nor failed ones", async () => {
      const [pending, done, failed] = [inboxEvent("conv_ls_pending"), inboxEvent("conv_ls_done"), inboxEvent("conv_ls_failed")];
      for (const e of [pending, done, failed]) await inbox.store(e);
      await inbox.markDone(done.id);
      await inbox.markFailed(failed.id, "x", 1);

      expect(await inbox.listDone()).toEqual([done.id]);
    });

    it("remembers conversations waiting for their audio, oldest first, until each is settled", async () => {
      const later = { conversationId: "conv_wait_b", callerFolder: "+15550100123", eventTimestamp: 1_767_268_871, since: 1_767_268_900 };
      const earlier = { conversationId: "conv_wait_a", callerFolder: "anonymous", eventTimestamp: 1_767_268_000, since: 1_767_268_100 };

      await inbox.awaitAudio(later);
      await inbox.awaitAudio(earlier);
      await inbox.awaitAudio(later);
      const both = await inbox.listAwaitingAudio();
      await inbox.audioSettled("conv_wait_a");
      await inbox.audioSettled("conv_wait_a");
      await inbox.audioSettled("conv_wait_never");

      expect(both).toEqual([earlier, later]);
      expect(await inbox.listAwaitingAudio()).toEqual([later]);
    });

    it("keeps waits for audio apart from the events: none is pending, and settling touches no event", async () => {
      const transcription = inboxEvent("conv_wait_c");
      await inbox.store(transcription);
      await inbox.markDone(transcription.id);

      await inbox.awaitAudio({ conversationId: "conv_wait_c", callerFolder: "+15550100123", eventTimestamp: 1_767_268_871, since: 1_767_268_900 });
      const pendingWhileWaiting = await inbox.listPending();
      await inbox.audioSettled("conv_wait_c");

      expect(pendingWhileWaiting).toEqual([]);
      expect(await inbox.state(transcription.id)).toBe("done");
      expect(await inbox.get(transcription.id)).toEqual(transcription);
      expect(await inbox.state(inboxEventId("post_call_audio", "conv_wait_c"))).toBeNull();
    });

    it("erases a conversation's wait for audio with its transcription, even when the event is gone already", async () => {
      const wait = (conversationId: string) => ({ conversationId, callerFolder: "+15550100123", eventTimestamp: 1_767_268_871, since: 1_767_268_900 });
      const transcription = inboxEvent("conv_wait_d");
      const audio = inboxEvent("conv_wait_e", { eventType: "post_call_audio" });
      await inbox.store(transcription);
      await inbox.store(audio);
      for (const id of ["conv_wait_d", "conv_wait_e", "conv_wait_f"]) await inbox.awaitAudio(wait(id));

      await inbox.remove(transcription.id);
      await inbox.remove(inboxEventId("post_call_transcription", "conv_wait_f"));
      await inbox.remove(audio.id);

      // The wait is part of the transcription's record: erasing the audio event leaves it.
      expect(await inbox.listAwaitingAudio()).toEqual([wait("conv_wait_e")]);
      expect(await inbox.state(transcription.id)).toBeNull();
    });

    it("knows nothing of events it never stored", async () => {
      const id = inboxEventId("post_call_transcription", "conv_never");

      expect(await inbox.state(id)).toBeNull();
      expect(await inbox.get(id)).toBeNull();
    });

    it("stores a large audio event whole", async () => {
      const big = inboxEvent("conv_big", { eventType: "post_call_audio", rawBody: JSON.stringify({ full_audio: "A".repeat(8 * 1024 * 1024) }) });

      await inbox.store(big);

      expect((await inbox.get(big.id))?.rawBody.length).toBe(big.rawBody.length);
    });

    it("survives many concurrent deliveries of one event with exactly one stored", async () => {
      const event = inboxEvent("conv_race");

      const results = await Promise.all(Array.from({ length: 10 }, () => inbox.store(event)));

      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(await inbox.listPending()).toEqual([event.id]);
    });
  });
}
