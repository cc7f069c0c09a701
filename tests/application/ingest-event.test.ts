import { describe, expect, it } from "vitest";
import type { EventInbox } from "../../application/ports/event-inbox.port";
import type { MemoryStore } from "../../application/ports/memory-store.port";
import { AUDIO_WAIT_SECS, IngestEvent } from "../../application/use-cases/ingest-event.use-case";
import { LazyMemoryStore } from "../../adapters/outbound/lazy-memory-store";
import type { Memory } from "../../domain/memory";
import { fixture, fixtureText, transcriptionFor } from "../support/fixtures";
import {
  AUDIO,
  AUDIO_ID,
  CONVERSATION,
  MARISOL,
  TRANSCRIPT_KEY,
  TRANSCRIPTION,
  TRANSCRIPTION_ID, NOW_SECS, callerId, failingFirst, overriding, postCallWorld, textOf, callerProfiles,
  conversationReader,
} from "./support/harness";

const AUDIO_KEY = `audio/+15550100123/${CONVERSATION}_1767268873.mp3`;
const AUDIO_BYTES = new Uint8Array(Buffer.from(fixture<{ data: { full_audio: string } }>("post-call-audio.json").data.full_audio, "base64"));

/** What a caller's memories look like to anyone reading them: text and kind, in a stable order. */
const snapshot = (memories: readonly Memory[]): string[] =>
  memories.map((m) => `${m.metadata.type}/${m.metadata.source}: ${m.memory}`).sort();

describe("IngestEvent", () => {
  describe("a transcription", () => {
    it("archives the raw event under the caller's key, writes factual and semantic memories and marks it done", async () => {
      // Prepare
      const { deliver, ingest, archive, store, inbox } = postCallWorld();
      const { id } = await deliver(TRANSCRIPTION);

      // Act
      const outcome = await ingest.execute(id);

      // Assess
      // Every memory written, the version of the name the call's own name memory superseded included.
      const memories = await store.list(callerId(MARISOL), { history: true });
      expect(outcome).toEqual({ status: "ingested", memoriesAdded: memories.length, archived: [TRANSCRIPT_KEY] });
      expect(await archive.list("")).toEqual([TRANSCRIPT_KEY]);
      expect(textOf(await archive.get(TRANSCRIPT_KEY))).toBe(TRANSCRIPTION);
      expect(new Set(memories.map((m) => m.metadata.type))).toEqual(new Set(["factual", "semantic"]));
      expect(memories.every((m) => m.user_id === MARISOL && m.metadata.conversation_id === CONVERSATION)).toBe(true);
      expect(memories.every((m) => m.metadata.timestamp === "2026-01-01T12:01:11.000Z")).toBe(true);
      expect(memories.map((m) => m.memory)).toContain("Dietary preference: vegetarian");
      expect(await inbox.state(id)).toBe("done");
      expect(await inbox.listPending()).toEqual([]);
    });

    it("makes what the caller said searchable", async () => {
      // Prepare
      const { deliver, ingest, store } = postCallWorld();
      const { id } = await deliver(TRANSCRIPTION);

      // Act
      await ingest.execute(id);

      // Assess
      const found = await store.search({ userId: callerId(MARISOL), query: "wheelchair", limit: 5 });
      expect(found.length).toBeGreaterThan(0);
      expect(found[0]?.memory).toContain("wheelchair");
    });

    it("yields the memories of one call when executed three times", async () => {
      // Prepare
      const { deliver, ingest, store, archive } = postCallWorld();
      const { id } = await deliver(TRANSCRIPTION);
      const first = await ingest.execute(id);
      const afterFirst = snapshot(await store.list(callerId(MARISOL)));

      // Act
      const second = await ingest.execute(id);
      const third = await ingest.execute(id);

      // Assess
      expect(first.status).toBe("ingested");
      expect(second).toEqual({ status: "already_done" });
      expect(third).toEqual({ status: "already_done" });
      expect(snapshot(await store.list(callerId(MARISOL)))).toEqual(afterFirst);
      expect(await archive.list("")).toEqual([TRANSCRIPT_KEY]);
    });

    it("writes nothing twice when the same conversation is ingested again through a fresh inbox entry", async () => {
      // Prepare: the inbox lost its record (restored from backup), the store did not.
      const world = postCallWorld();
      const { id } = await world.deliver(TRANSCRIPTION);
      await world.ingest.execute(id);
      const before = snapshot(await world.store.list(callerId(MARISOL)));
      world.inbox.events.clear();
      await world.deliver(TRANSCRIPTION);

      // Act
      const outcome = await world.ingest.execute(id);

      // Assess
      expect(outcome).toEqual({ status: "ingested", memoriesAdded: 0, archived: [TRANSCRIPT_KEY] });
      expect(snapshot(await world.store.list(callerId(MARISOL)))).toEqual(before);
    });

    it("archives a seed-format call under the time it was received", async () => {
      // Prepare
      const { deliver, ingest, archive, store } = postCallWorld();
      const rawBody = fixtureText("post-call-seed-format.json");
      const { id } = await deliver(rawBody);

      // Act
      const outcome = await ingest.execute(id);

      // Assess
      const key = `transcripts/+15550100123/${CONVERSATION}_${NOW_SECS}.json`;
      expect(outcome).toMatchObject({ status: "ingested", archived: [key] });
      expect(textOf(await archive.get(key))).toBe(rawBody);
      expect(await store.count(callerId(MARISOL))).toBeGreaterThan(0);
    });

    it("archives an anonymous caller's transcript under anonymous/ and writes no memories", async () => {
      // Prepare
      const world = postCallWorld();
      const written: number[] = [];
      const store = overriding<MemoryStore>(world.store, {
        add: async (drafts) => (written.push(drafts.length), world.store.add(drafts)),
      });
      const ingest = new IngestEvent(world.inbox, conversationReader, world.archive, store, world.clock, callerProfiles(store, world.profiles, world.clock));
      const { id } = await world.deliver(transcriptionFor({ conversationId: "conv_app_anonymous", callerId: "anonymous" }));

      // Act
      const outcome = await ingest.execute(id);

      // Assess
      const key = "transcripts/anonymous/conv_app_anonymous_1767268871.json";
      expect(outcome).toEqual({ status: "ingested", memoriesAdded: 0, archived: [key] });
      expect(await world.archive.list("")).toEqual([key]);
      expect(written.reduce((sum, n) => sum + n, 0)).toBe(0);
      expect(await world.inbox.state(id)).toBe("done");
    });
  });

  describe("a memory store set up on first use (Mem0's client and key on a cold start)", () => {
    /** The post-call world with its memories behind a store that notes when its set-up begins, and an inbox that notes whether it had when it answers. */
    function lazyWorld() {
      const world = postCallWorld();
      const setUp = { started: false };
      const memories = new LazyMemoryStore(async () => {
        setUp.started = true;
        return world.store;
      });
      const setUpWhenInboxAnswered: boolean[] = [];
      const inbox = overriding<EventInbox>(world.inbox, {
        state: async (id) => {
          // The answer comes later than the question, as over the network.
          await Promise.resolve();
          setUpWhenInboxAnswered.push(setUp.started);
          return world.inbox.state(id);
        },
      });
      const ingest = new IngestEvent(inbox, conversationReader, world.archive, memories, world.clock, callerProfiles(memories, world.profiles, world.clock));
      return { ...world, ingest, setUp, setUpWhenInboxAnswered };
    }

    it("starts it with a transcription, before the inbox's first answer, so the set-up overlaps the inbox and archive work", async () => {
      // Prepare
      const world = lazyWorld();
      const { id } = await world.deliver(TRANSCRIPTION);

      // Act
      const outcome = await world.ingest.execute(id);

      // Assess
      expect(outcome.status).toBe("ingested");
      expect(world.setUpWhenInboxAnswered[0]).toBe(true);
      expect(await world.store.count(callerId(MARISOL))).toBeGreaterThan(0);
    });

    it("leaves it alone for audio, which is archived without a memory", async () => {
      // Prepare: the audio of a call whose transcription has not come.
      const world = lazyWorld();
      const { id } = await world.deliver(AUDIO);

      // Act
      const outcome = await world.ingest.execute(id);

      // Assess
      expect(outcome).toEqual({ status: "waiting_for_transcription" });
      expect(world.setUpWhenInboxAnswered.length).toBeGreaterThan(0);
      expect(world.setUp.started).toBe(false);
    });
  });

  describe("audio", () => {
    it("waits for the transcription when the audio arrives first, then is archived with it", async () => {
      // Prepare
      const { deliver, ingest, archive, inbox } = postCallWorld();
      const audio = await deliver(AUDIO);

      // Act
      const early = await ingest.execute(audio.id);

      // Assess
      expect(early).toEqual({ status: "waiting_for_transcription" });
      expect(await inbox.state(AUDIO_ID)).toBe("pending");
      expect(await archive.list("")).toEqual([]);

      // Act: the transcription arrives and is ingested.
      const transcription = await deliver(TRANSCRIPTION);
      const outcome = await ingest.execute(transcription.id);

      // Assess
      expect(outcome).toMatchObject({ status: "ingested", archived: [TRANSCRIPT_KEY, AUDIO_KEY] });
      expect(await archive.list("")).toEqual([AUDIO_KEY, TRANSCRIPT_KEY]);
      const bytes = await archive.get(AUDIO_KEY);
      expect(bytes).toEqual(AUDIO_BYTES);
      expect(textOf(bytes?.slice(0, 3) ?? null)).toBe("ID3");
      expect(await inbox.state(AUDIO_ID)).toBe("done");
      expect(await inbox.listPending()).toEqual([]);
    });

    it("is archived as unmatched once no transcription can come any more, and not before", async () => {
      // Prepare
      const { deliver, ingest, archive, inbox, clock } = postCallWorld();
      const audio = await deliver(AUDIO);

      // Act
      clock.advance((AUDIO_WAIT_SECS - 60) * 1000);
      const stillWaiting = await ingest.execute(audio.id);
      clock.advance(120 * 1000);
      const outcome = await ingest.execute(audio.id);

      // Assess
      const key = `audio/unmatched/${CONVERSATION}_1767268873.mp3`;
      expect(stillWaiting).toEqual({ status: "waiting_for_transcription" });
      expect(outcome).toEqual({ status: "ingested", memoriesAdded: 0, archived: [key] });
      expect(await archive.get(key)).toEqual(AUDIO_BYTES);
      expect(await inbox.state(AUDIO_ID)).toBe("done");
    });

    it("is archived on its own when the transcription was ingested before it", async () => {
      // Prepare
      const { deliver, deliverAndIngest, ingest, archive, inbox } = postCallWorld();
      await deliverAndIngest(TRANSCRIPTION);
      const audio = await deliver(AUDIO);

      // Act
      const outcome = await ingest.execute(audio.id);

      // Assess
      expect(outcome).toEqual({ status: "ingested", memoriesAdded: 0, archived: [AUDIO_KEY] });
      expect(await archive.get(AUDIO_KEY)).toEqual(AUDIO_BYTES);
      expect(await inbox.state(AUDIO_ID)).toBe("done");
    });

    it("of an anonymous call goes under audio/anonymous/", async () => {
      // Prepare
      const { deliver, deliverAndIngest, ingest, archive } = postCallWorld();
      await deliverAndIngest(transcriptionFor({ conversationId: CONVERSATION, callerId: "Restricted" }));
      const audio = await deliver(AUDIO);

      // Act
      const outcome = await ingest.execute(audio.id);

      // Assess
      const key = `audio/anonymous/${CONVERSATION}_1767268873.mp3`;
      expect(outcome).toMatchObject({ status: "ingested", archived: [key] });
      expect(await archive.list("audio/")).toEqual([key]);
    });
  });

  describe("audio whose archiving fails", () => {
    it("does not undo the transcription, stays pending and is archived when retried", async () => {
      // Prepare
      const world = postCallWorld();
      const putAudio = failingFirst(1, world.archive.putAudio.bind(world.archive), new Error("S3 500 InternalError"));
      const ingest = new IngestEvent(world.inbox, conversationReader, overriding(world.archive, { putAudio }), world.store, world.clock, callerProfiles(world.store, world.profiles, world.clock));
      await world.deliver(AUDIO);
      const transcription = await world.deliver(TRANSCRIPTION);

      // Act
      const crash = await ingest.execute(transcription.id).then(
        () => null,
        (error: unknown) => error,
      );
      const pendingAfterCrash = await world.inbox.listPending();
      const retried = await ingest.execute(AUDIO_ID);

      // Assess
      expect(crash).toMatchObject({ message: "S3 500 InternalError" });
      expect(pendingAfterCrash).toEqual([AUDIO_ID]);
      expect(await world.inbox.state(TRANSCRIPTION_ID)).toBe("done");
      expect(await world.store.count(callerId(MARISOL))).toBeGreaterThan(0);
      expect(retried).toEqual({ status: "ingested", memoriesAdded: 0, archived: [AUDIO_KEY] });
      expect(await world.archive.list("")).toEqual([AUDIO_KEY, TRANSCRIPT_KEY]);
    });
  });

  describe("a call initiation failure", () => {
    it.each([{ file: "call-initiation-failure.json" }, { file: "call-initiation-failure.sip.json" }])(
      "($file) is marked done with no memories and nothing archived",
      async ({ file }) => {
        // Prepare
        const { deliver, ingest, archive, store, inbox } = postCallWorld();
        const { id } = await deliver(fixtureText(file));

        // Act
        const outcome = await ingest.execute(id);

        // Assess
        expect(outcome).toEqual({ status: "ingested", memoriesAdded: 0, archived: [] });
        expect(await archive.list("")).toEqual([]);
        expect(await store.count(callerId(MARISOL))).toBe(0);
        expect(await inbox.state(id)).toBe("done");
      },
    );
  });

  describe("crashes and retries", () => {
    it("keeps the event pending when writing memories fails after archiving, and a retry writes each thing once", async () => {
      // Prepare
      const world = postCallWorld();
      const add = failingFirst(1, world.store.add.bind(world.store), new Error("memory service 502"));
      const ingest = new IngestEvent(world.inbox, conversationReader, world.archive, overriding<MemoryStore>(world.store, { add }), world.clock, callerProfiles(world.store, world.profiles, world.clock));
      const { id } = await world.deliver(TRANSCRIPTION);
      const reference = postCallWorld();
      await reference.deliverAndIngest(TRANSCRIPTION);

      // Act
      const crash = await ingest.execute(id).then(
        () => null,
        (error: unknown) => error,
      );
      const stateAfterCrash = await world.inbox.state(id);
      const retried = await ingest.execute(id);

      // Assess
      expect(crash).toMatchObject({ message: "memory service 502" });
      expect(stateAfterCrash).toBe("pending");
      expect(retried).toMatchObject({ status: "ingested", archived: [TRANSCRIPT_KEY] });
      expect(snapshot(await world.store.list(callerId(MARISOL)))).toEqual(snapshot(await reference.store.list(callerId(MARISOL))));
      expect(await world.archive.list("")).toEqual([TRANSCRIPT_KEY]);
      expect(await world.inbox.state(id)).toBe("done");
    });

    it("writes no duplicate memories when the crash comes after the memories, before the event is marked done", async () => {
      // Prepare
      const world = postCallWorld();
      const markDone = failingFirst(1, world.inbox.markDone.bind(world.inbox), new Error("ENOSPC while moving to done/"));
      const ingest = new IngestEvent(overriding<EventInbox>(world.inbox, { markDone }), conversationReader, world.archive, world.store, world.clock, callerProfiles(world.store, world.profiles, world.clock));
      const { id } = await world.deliver(TRANSCRIPTION);

      // Act
      const crash = await ingest.execute(id).then(
        () => null,
        (error: unknown) => error,
      );
      const afterCrash = snapshot(await world.store.list(callerId(MARISOL)));
      const stateAfterCrash = await world.inbox.state(id);
      const retried = await ingest.execute(id);

      // Assess
      expect(crash).toMatchObject({ message: "ENOSPC while moving to done/" });
      expect(stateAfterCrash).toBe("pending");
      expect(afterCrash.length).toBeGreaterThan(0);
      expect(retried).toEqual({ status: "ingested", memoriesAdded: 0, archived: [TRANSCRIPT_KEY] });
      expect(snapshot(await world.store.list(callerId(MARISOL)))).toEqual(afterCrash);
      expect(await world.inbox.state(id)).toBe("done");
    });

    it("keeps the event pending when archiving the transcript fails, and writes no memories before it is archived", async () => {
      // Prepare
      const world = postCallWorld();
      const putTranscript = failingFirst(1, world.archive.putTranscript.bind(world.archive), new Error("S3 503 SlowDown"));
      const ingest = new IngestEvent(world.inbox, conversationReader, overriding(world.archive, { putTranscript }), world.store, world.clock, callerProfiles(world.store, world.profiles, world.clock));
      const { id } = await world.deliver(TRANSCRIPTION);

      // Act
      const crash = await ingest.execute(id).then(
        () => null,
        (error: unknown) => error,
      );
      const countAfterCrash = await world.store.count(callerId(MARISOL));
      const retried = await ingest.execute(id);

      // Assess
      expect(crash).toMatchObject({ message: "S3 503 SlowDown" });
      expect(countAfterCrash).toBe(0);
      expect(retried).toMatchObject({ status: "ingested", archived: [TRANSCRIPT_KEY] });
      expect(await world.archive.list("")).toEqual([TRANSCRIPT_KEY]);
    });
  });

  describe("events it cannot ingest", () => {
    it("answers not_found for an id that was never stored", async () => {
      // Prepare
      const { ingest, archive } = postCallWorld();

      // Act
      const outcome = await ingest.execute("post_call_transcription/conv_never_delivered");

      // Assess
      expect(outcome).toEqual({ status: "not_found" });
      expect(await archive.list("")).toEqual([]);
    });

    it("sets aside a stored event that can no longer be parsed instead of retrying it forever", async () => {
      // Prepare
      const { inbox, ingest, archive } = postCallWorld();
      const id = "post_call_transcription/conv_app_corrupted" as const;
      await inbox.store({
        id,
        eventType: "post_call_transcription",
        conversationId: "conv_app_corrupted",
        receivedAt: NOW_SECS,
        rawBody: '{"type":"post_call_transcription","data":',
      });

      // Act
      const outcome = await ingest.execute(id);

      // Assess: parked with why, where replay and the operator see it.
      expect(outcome).toEqual({ status: "parked", reason: "stored body is not JSON" });
      expect(await inbox.listPending()).toEqual([]);
      expect(await inbox.listFailed()).toEqual([{ id, reason: "stored body is not JSON", failedAt: NOW_SECS }]);
      expect(await archive.list("")).toEqual([]);
    });

    it("parks a signed event of a type it does not ingest, with why, and writes nothing", async () => {
      // Prepare
      const { deliver, ingest, archive, store, inbox } = postCallWorld();
      const { id } = await deliver(JSON.stringify({ type: "answering_machine_detection", event_timestamp: 1_767_268_871, data: { conversation_id: "conv_app_amd" } }));

      // Act
      const outcome = await ingest.execute(id);

      // Assess
      expect(id).toBe("answering_machine_detection/conv_app_amd");
      expect(outcome).toMatchObject({ status: "parked", reason: expect.stringMatching(/^UNSUPPORTED_EVENT: /) });
      expect(await inbox.state(id)).toBe("failed");
      expect((await inbox.listFailed()).map((f) => f.reason)).toEqual([outcome.status === "parked" ? outcome.reason : null]);
      expect(await archive.list("")).toEqual([]);
      expect(await store.count(callerId(MARISOL))).toBe(0);
    });

    it("leaves a parked event parked, with its first reason, when it is driven again", async () => {
      // Prepare
      const { inbox, ingest } = postCallWorld();
      const id = "post_call_transcription/conv_app_broken" as const;
      await inbox.store({ id, eventType: "post_call_transcription", conversationId: "conv_app_broken", receivedAt: NOW_SECS, rawBody: "{" });
      await ingest.execute(id);

      // Act
      const again = await ingest.execute(id);

      // Assess
      expect(again).toEqual({ status: "parked", reason: "stored body is not JSON" });
      expect(await inbox.listFailed()).toEqual([{ id, reason: "stored body is not JSON", failedAt: NOW_SECS }]);
    });
  });

  describe("the wait for audio", () => {
    it("starts when a transcription is archived before its audio came, and ends when the audio is archived", async () => {
      // Prepare
      const { deliver, ingest, inbox } = postCallWorld();
      const transcription = await deliver(TRANSCRIPTION);

      // Act
      await ingest.execute(transcription.id);
      const waiting = await inbox.listAwaitingAudio();
      const audio = await deliver(AUDIO);
      await ingest.execute(audio.id);

      // Assess: the recording is expected under the caller, keyed by the transcription's time.
      expect(waiting).toEqual([{ conversationId: CONVERSATION, callerFolder: MARISOL, eventTimestamp: 1_767_268_871, since: NOW_SECS }]);
      expect(await inbox.listAwaitingAudio()).toEqual([]);
    });

    it("does not start when the audio came first", async () => {
      // Prepare
      const { deliver, ingest, inbox, archive } = postCallWorld();
      await deliver(AUDIO);
      const transcription = await deliver(TRANSCRIPTION);

      // Act
      await ingest.execute(transcription.id);

      // Assess
      expect(await inbox.listAwaitingAudio()).toEqual([]);
      expect(await archive.list("audio/")).toEqual([AUDIO_KEY]);
    });

    it("of an anonymous call waits for audio under anonymous/", async () => {
      // Prepare
      const { deliver, ingest, inbox } = postCallWorld();
      const { id } = await deliver(transcriptionFor({ conversationId: "conv_app_anonymous", callerId: "anonymous" }));

      // Act
      await ingest.execute(id);

      // Assess
      expect((await inbox.listAwaitingAudio()).map((w) => w.callerFolder)).toEqual(["anonymous"]);
    });

    it("is recorded before the transcription is done, so a crash in between cannot lose it", async () => {
      // Prepare
      const world = postCallWorld();
      const markDone = failingFirst(1, world.inbox.markDone.bind(world.inbox), new Error("ENOSPC while moving to done/"));
      const ingest = new IngestEvent(overriding<EventInbox>(world.inbox, { markDone }), conversationReader, world.archive, world.store, world.clock, callerProfiles(world.store, world.profiles, world.clock));
      const { id } = await world.deliver(TRANSCRIPTION);

      // Act
      const crash = await ingest.execute(id).catch((error: unknown) => error);

      // Assess
      expect(crash).toMatchObject({ message: "ENOSPC while moving to done/" });
      expect((await world.inbox.listAwaitingAudio()).map((w) => w.conversationId)).toEqual([CONVERSATION]);
    });
  });
});
