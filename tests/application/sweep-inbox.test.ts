import { describe, expect, it } from "vitest";
import { inboxEventId, type InboxEventId } from "../../application/ports/event-inbox.port";
import type { MemoryStore } from "../../application/ports/memory-store.port";
import { AUDIO_WAIT_SECS, IngestEvent } from "../../application/use-cases/ingest-event.use-case";
import { SweepInbox, type SweepOptions } from "../../application/use-cases/sweep-inbox.use-case";
import { webhookEventKey } from "../../domain/webhook-event-key";
import { FixedClock } from "../fakes/fixed-clock";
import { InMemoryAudioSource } from "../fakes/in-memory-audio-source";
import { InMemoryConversationArchive } from "../fakes/in-memory-conversation-archive";
import { InMemoryEventInbox } from "../fakes/in-memory-event-inbox";
import { InMemoryMemoryStore } from "../fakes/in-memory-memory-store";
import { transcriptionFor } from "../support/fixtures";
import {
  AUDIO,
  AUDIO_ID,
  CONVERSATION,
  MARISOL,
  TRANSCRIPT_KEY,
  TRANSCRIPTION,
  TRANSCRIPTION_ID, NOW_SECS, callerId, callerProfiles, failingFirst, overriding,
  conversationReader,
} from "./support/harness";
import { InMemoryCallerProfileStore } from "../fakes/in-memory-caller-profile-store";

/** Audio fetched from the API is filed under the transcription's event time. */
const FETCHED_AUDIO_KEY = `audio/+15550100123/${CONVERSATION}_1767268871.mp3`;
const MP3 = Uint8Array.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0xff, 0xfb, 0x90, 0x64]);
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The inbox, archive and memories with a sweep over them; events arrive as the post-call route stores them. */
function sweepWorld(options: { audio?: InMemoryAudioSource; memories?: MemoryStore; sweep?: SweepOptions } = {}) {
  const clock = new FixedClock(NOW_SECS * 1000);
  const inbox = new InMemoryEventInbox();
  const archive = new InMemoryConversationArchive();
  const store = new InMemoryMemoryStore();
  const audio = options.audio ?? new InMemoryAudioSource();
  const memories = options.memories ?? store;
  const ingest = new IngestEvent(inbox, conversationReader, archive, memories, clock, callerProfiles(memories, new InMemoryCallerProfileStore(), clock));
  const sweep = new SweepInbox(inbox, ingest, archive, audio, clock, options.sweep);

  /** Store a raw body as received now (the worker's notification, if any, is up to the test). */
  async function arrive(rawBody: string): Promise<InboxEventId> {
    const { eventType, conversationId } = webhookEventKey(rawBody);
    const id = inboxEventId(eventType, conversationId);
    await inbox.store({ id, eventType, conversationId, receivedAt: Math.floor(clock.nowMs() / 1000), rawBody });
    return id;
  }

  return { clock, inbox, archive, store, audio, ingest, sweep, arrive };
}

describe("SweepInbox", () => {
  describe("pending events", () => {
    it("ingests an event whose notification was lost once it is old enough, and leaves a fresh one to its notification", async () => {
      // Prepare: one transcription stored ten minutes ago and never ingested, one stored just now.
      const world = sweepWorld();
      const lost = await world.arrive(TRANSCRIPTION);
      world.clock.advance(10 * MINUTE_MS);
      const fresh = await world.arrive(transcriptionFor({ conversationId: "conv_app_fresh", callerId: "+15550100145" }));

      // Act
      const report = await world.sweep.redrivePending();

      // Assess
      expect(report).toEqual({ tooRecent: 1, redriven: [{ id: lost, status: "ingested" }] });
      expect(await world.inbox.state(lost)).toBe("done");
      expect(await world.archive.list("transcripts/")).toEqual([TRANSCRIPT_KEY]);
      expect(await world.store.count(callerId(MARISOL))).toBeGreaterThan(0);
      expect(await world.inbox.state(fresh)).toBe("pending");
    });

    it("parks an event whose ingestion fails, with the reason, and does not try it again", async () => {
      // Prepare: the memory service fails every time.
      const base = new InMemoryMemoryStore();
      const add = failingFirst(Number.POSITIVE_INFINITY, base.add.bind(base), new Error("memory service 502"));
      const world = sweepWorld({ memories: overriding<MemoryStore>(base, { add }) });
      const id = await world.arrive(TRANSCRIPTION);
      world.clock.advance(10 * MINUTE_MS);

      // Act
      const first = await world.sweep.execute();
      const second = await world.sweep.execute();

      // Assess
      const reason = "sweep: Error: memory service 502";
      expect(first.pending.redriven).toEqual([{ id, status: "failed", reason }]);
      expect(await world.inbox.listFailed()).toEqual([{ id, reason, failedAt: NOW_SECS + 600 }]);
      expect(second.pending.redriven).toEqual([]);
      expect(add.calls()).toBe(1);
    });

    it("parks an event of a type it does not ingest, saying why", async () => {
      // Prepare
      const world = sweepWorld();
      const id = await world.arrive(JSON.stringify({ type: "answering_machine_detection", event_timestamp: 1_767_268_871, data: { conversation_id: "conv_app_amd" } }));
      world.clock.advance(10 * MINUTE_MS);

      // Act
      const report = await world.sweep.redrivePending();

      // Assess
      expect(id).toBe("answering_machine_detection/conv_app_amd");
      expect(report.redriven).toEqual([{ id, status: "parked", reason: expect.stringContaining("UNSUPPORTED_EVENT") }]);
      expect(await world.inbox.state(id)).toBe("failed");
      expect((await world.inbox.listFailed()).map((f) => f.id)).toEqual([id]);
    });

    it("keeps audio waiting for its transcription pending within the wait, and archives it as unmatched after", async () => {
      // Prepare
      const world = sweepWorld();
      await world.arrive(AUDIO);
      world.clock.advance(10 * MINUTE_MS);

      // Act
      const early = await world.sweep.redrivePending();
      world.clock.advance(AUDIO_WAIT_SECS * 1000);
      const late = await world.sweep.redrivePending();

      // Assess
      expect(early.redriven).toEqual([{ id: AUDIO_ID, status: "waiting_for_transcription" }]);
      expect(late.redriven).toEqual([{ id: AUDIO_ID, status: "ingested" }]);
      expect(await world.archive.list("audio/")).toEqual([`audio/unmatched/${CONVERSATION}_1767268873.mp3`]);
      expect(await world.inbox.state(AUDIO_ID)).toBe("done");
    });
  });

  describe("audio whose webhook never came", () => {
    it("is fetched once the wait is over and archived under the caller, and not before", async () => {
      // Prepare: the transcription is ingested at once; its audio webhook never comes.
      const source = new InMemoryAudioSource();
      source.recordings.set(CONVERSATION, MP3);
      const world = sweepWorld({ audio: source });
      await world.ingest.execute(await world.arrive(TRANSCRIPTION));

      // Act
      world.clock.advance(30 * MINUTE_MS);
      const during = await world.sweep.execute();
      world.clock.advance(31 * MINUTE_MS);
      const after = await world.sweep.execute();
      world.clock.advance(10 * MINUTE_MS);
      const again = await world.sweep.execute();

      // Assess
      expect(during.audio).toEqual({ waiting: 1, settlements: [] });
      expect(after.audio).toEqual({ waiting: 0, settlements: [{ conversationId: CONVERSATION, outcome: "fetched" }] });
      expect(again.audio).toEqual({ waiting: 0, settlements: [] });
      expect(source.requests).toEqual([CONVERSATION]);
      expect(await world.archive.list("")).toEqual([FETCHED_AUDIO_KEY, TRANSCRIPT_KEY]);
      expect(await world.archive.get(FETCHED_AUDIO_KEY)).toEqual(MP3);
      expect(await world.inbox.listAwaitingAudio()).toEqual([]);
      // The report names conversations, never the caller's number.
      expect(JSON.stringify([during, after, again])).not.toContain("5550100123");
    });

    it("ends the wait with nothing archived when ElevenLabs has no recording", async () => {
      // Prepare
      const source = new InMemoryAudioSource();
      const world = sweepWorld({ audio: source });
      await world.ingest.execute(await world.arrive(TRANSCRIPTION));
      world.clock.advance(2 * HOUR_MS);

      // Act
      const report = await world.sweep.settleAudio();

      // Assess
      expect(report.settlements).toEqual([{ conversationId: CONVERSATION, outcome: "no_audio" }]);
      expect(await world.archive.list("audio/")).toEqual([]);
      expect(await world.inbox.listAwaitingAudio()).toEqual([]);
    });

    it("is tried again on later sweeps while fetching fails, and given up a day after the call, saying why", async () => {
      // Prepare
      const source = new InMemoryAudioSource();
      source.failWith(new Error("ElevenLabs answered 503 for the conversation audio"));
      const world = sweepWorld({ audio: source });
      await world.ingest.execute(await world.arrive(TRANSCRIPTION));
      const error = "Error: ElevenLabs answered 503 for the conversation audio";

      // Act
      world.clock.advance(2 * HOUR_MS);
      const first = await world.sweep.settleAudio();
      world.clock.advance(2 * HOUR_MS);
      const second = await world.sweep.settleAudio();
      const markersMeanwhile = (await world.inbox.listAwaitingAudio()).length;
      world.clock.advance(21 * HOUR_MS);
      const last = await world.sweep.settleAudio();
      const afterGivingUp = await world.sweep.settleAudio();

      // Assess
      expect(first.settlements).toEqual([{ conversationId: CONVERSATION, outcome: "fetch_failed", error }]);
      expect(second.settlements).toEqual([{ conversationId: CONVERSATION, outcome: "fetch_failed", error }]);
      expect(markersMeanwhile).toBe(1);
      expect(last.settlements).toEqual([{ conversationId: CONVERSATION, outcome: "gave_up", error }]);
      expect(afterGivingUp.settlements).toEqual([]);
      expect(source.requests).toHaveLength(3);
      expect(await world.archive.list("audio/")).toEqual([]);
    });

    it("is fetched on the sweep after ElevenLabs recovers", async () => {
      // Prepare
      const source = new InMemoryAudioSource();
      source.recordings.set(CONVERSATION, MP3);
      source.failWith(new Error("fetch failed"));
      const world = sweepWorld({ audio: source });
      await world.ingest.execute(await world.arrive(TRANSCRIPTION));
      world.clock.advance(2 * HOUR_MS);
      await world.sweep.settleAudio();
      source.recover();

      // Act
      world.clock.advance(10 * MINUTE_MS);
      const report = await world.sweep.settleAudio();

      // Assess
      expect(report.settlements).toEqual([{ conversationId: CONVERSATION, outcome: "fetched" }]);
      expect(await world.archive.get(FETCHED_AUDIO_KEY)).toEqual(MP3);
    });

    it("without an ElevenLabs API key ends the wait and reports the recording as not fetched", async () => {
      // Prepare
      const world = sweepWorld({ audio: new InMemoryAudioSource(false) });
      await world.ingest.execute(await world.arrive(TRANSCRIPTION));
      world.clock.advance(2 * HOUR_MS);

      // Act
      const report = await world.sweep.settleAudio();

      // Assess
      expect(report.settlements).toEqual([{ conversationId: CONVERSATION, outcome: "not_fetched" }]);
      expect(await world.inbox.listAwaitingAudio()).toEqual([]);
      expect(await world.archive.list("audio/")).toEqual([]);
    });
  });

  describe("audio whose webhook came late", () => {
    it("is not fetched: a pending audio event is ingested by the sweep and ends the wait", async () => {
      // Prepare: the audio webhook was stored but its notification lost, after the transcription was ingested.
      const source = new InMemoryAudioSource();
      source.recordings.set(CONVERSATION, MP3);
      const world = sweepWorld({ audio: source });
      await world.ingest.execute(await world.arrive(TRANSCRIPTION));
      world.clock.advance(50 * MINUTE_MS);
      await world.arrive(AUDIO);
      world.clock.advance(15 * MINUTE_MS);

      // Act
      const audioOnly = await world.sweep.settleAudio();
      const markersMeanwhile = (await world.inbox.listAwaitingAudio()).length;
      const full = await world.sweep.execute();

      // Assess
      expect(audioOnly.settlements).toEqual([{ conversationId: CONVERSATION, outcome: "audio_event_pending" }]);
      expect(markersMeanwhile).toBe(1);
      expect(full.pending.redriven).toEqual([{ id: AUDIO_ID, status: "ingested" }]);
      expect(full.audio).toEqual({ waiting: 0, settlements: [] });
      expect(source.requests).toEqual([]);
      expect(await world.archive.list("audio/")).toEqual([`audio/+15550100123/${CONVERSATION}_1767268873.mp3`]);
    });

    it("is not fetched when a marker outlived the audio's archiving (a race): the marker goes", async () => {
      // Prepare: the audio event was archived, but the marker was written after that.
      const source = new InMemoryAudioSource();
      source.recordings.set(CONVERSATION, MP3);
      const world = sweepWorld({ audio: source });
      await world.ingest.execute(await world.arrive(TRANSCRIPTION));
      await world.ingest.execute(await world.arrive(AUDIO));
      await world.inbox.awaitAudio({ conversationId: CONVERSATION, callerFolder: MARISOL, eventTimestamp: 1_767_268_871, since: NOW_SECS });
      world.clock.advance(2 * HOUR_MS);

      // Act
      const report = await world.sweep.settleAudio();

      // Assess
      expect(report.settlements).toEqual([{ conversationId: CONVERSATION, outcome: "audio_event_archived" }]);
      expect(source.requests).toEqual([]);
      expect(await world.inbox.listAwaitingAudio()).toEqual([]);
      expect(await world.archive.list("audio/")).toEqual([`audio/+15550100123/${CONVERSATION}_1767268873.mp3`]);
    });

    it("is left to replay when the audio event was parked", async () => {
      // Prepare
      const source = new InMemoryAudioSource();
      const world = sweepWorld({ audio: source });
      await world.ingest.execute(await world.arrive(TRANSCRIPTION));
      await world.arrive(AUDIO);
      await world.ingest.park(AUDIO_ID, "worker: 3 attempts failed; last: S3 500");
      world.clock.advance(2 * HOUR_MS);

      // Act
      const report = await world.sweep.settleAudio();

      // Assess
      expect(report.settlements).toEqual([{ conversationId: CONVERSATION, outcome: "audio_event_parked" }]);
      expect(source.requests).toEqual([]);
      expect(await world.inbox.listAwaitingAudio()).toEqual([]);
      expect(await world.inbox.state(AUDIO_ID)).toBe("failed");
      expect(await world.inbox.state(TRANSCRIPTION_ID)).toBe("done");
    });
  });
});
