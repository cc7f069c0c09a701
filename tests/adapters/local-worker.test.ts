import { callerProfiles } from "../application/support/harness";
import { InMemoryCallerProfileStore } from "../fakes/in-memory-caller-profile-store";
import { describe, expect, it } from "vitest";
import { inboxEventId } from "../../application/ports/event-inbox.port";
import { IngestEvent } from "../../application/use-cases/ingest-event.use-case";
import { SweepInbox } from "../../application/use-cases/sweep-inbox.use-case";
import { LocalWorker } from "../../adapters/inbound/local/local-worker";
import { FixedClock } from "../fakes/fixed-clock";
import { InMemoryAudioSource } from "../fakes/in-memory-audio-source";
import { InMemoryConversationArchive } from "../fakes/in-memory-conversation-archive";
import { InMemoryEventInbox } from "../fakes/in-memory-event-inbox";
import { InMemoryMemoryStore } from "../fakes/in-memory-memory-store";
import { eventually } from "../support/eventually";
import { ElevenLabsConversationReader } from "../../adapters/inbound/elevenlabs/elevenlabs-conversation-reader";

const reader = new ElevenLabsConversationReader();

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

async function inboxWith(count: number) {
  const inbox = new InMemoryEventInbox();
  for (let i = 0; i < count; i += 1) {
    await inbox.store({ id: inboxEventId("post_call_transcription", `conv_${i}`), eventType: "post_call_transcription", conversationId: `conv_${i}`, receivedAt: i, rawBody: "{}" });
  }
  return inbox;
}

/** An ingestion that takes `ms` per event and marks it done, counting how many run at once. */
function slowIngest(inbox: InMemoryEventInbox, ms: number) {
  const seen = { running: 0, peak: 0, done: 0 };
  const ingest = {
    execute: async (id: Parameters<IngestEvent["execute"]>[0]) => {
      seen.running += 1;
      seen.peak = Math.max(seen.peak, seen.running);
      await new Promise((r) => setTimeout(r, ms));
      await inbox.markDone(id);
      seen.running -= 1;
      seen.done += 1;
      return { status: "ingested" as const, memoriesAdded: 0, archived: [] };
    },
  } as unknown as IngestEvent;
  return { ingest, seen };
}

describe("LocalWorker", () => {
  it("stops after the events in hand instead of draining the whole backlog, leaving the rest pending", async () => {
    const inbox = await inboxWith(200);
    const { ingest, seen } = slowIngest(inbox, 20);
    const worker = new LocalWorker({ pollMs: 60_000, concurrency: 4 });
    worker.attach({ ingestEvent: ingest, inbox, logger: quiet });

    worker.start();
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await worker.stop();
    const stopMs = Date.now() - started;

    expect(stopMs).toBeLessThan(500);
    expect(seen.done).toBeLessThan(40);
    expect((await inbox.listPending()).length).toBe(200 - seen.done);
  });

  it("ingests several events at a time and all of them in the end", async () => {
    const inbox = await inboxWith(40);
    const { ingest, seen } = slowIngest(inbox, 10);
    const worker = new LocalWorker({ pollMs: 60_000, concurrency: 4 });
    worker.attach({ ingestEvent: ingest, inbox, logger: quiet });

    worker.start();
    await worker.idle();
    await worker.stop();

    expect(seen.peak).toBe(4);
    expect(seen.done).toBe(40);
    expect(await inbox.listPending()).toEqual([]);
  });

  it("fetches the recording of a call whose wait for audio ended while it was stopped, as soon as it starts", async () => {
    // Prepare: a transcription archived two hours ago, its audio webhook never came.
    const clock = new FixedClock(1_767_276_071_000);
    const inbox = new InMemoryEventInbox();
    const archive = new InMemoryConversationArchive();
    const source = new InMemoryAudioSource();
    source.recordings.set("conv_local_1", Uint8Array.from([0x49, 0x44, 0x33]));
    await inbox.awaitAudio({ conversationId: "conv_local_1", callerFolder: "+15550100123", eventTimestamp: 1_767_268_871, since: 1_767_268_871 });
    const memories = new InMemoryMemoryStore();
    const ingest = new IngestEvent(inbox, reader, archive, memories, clock, callerProfiles(memories, new InMemoryCallerProfileStore(), clock));
    const worker = new LocalWorker({ pollMs: 60_000, audioSweepMs: 60_000 });
    worker.attach({ ingestEvent: ingest, inbox, logger: quiet, sweepInbox: new SweepInbox(inbox, ingest, archive, source, clock) });

    // Act
    worker.start();
    const archived = await eventually(() => archive.list("audio/"), (keys) => keys.length > 0, 2000, 10);
    await worker.stop();

    // Assess
    expect(archived).toEqual(["audio/+15550100123/conv_local_1_1767268871.mp3"]);
    expect(await inbox.listAwaitingAudio()).toEqual([]);
  });

  it("runs one audio sweep at a time, every tick, and none after it stopped", async () => {
    // Prepare: each sweep takes longer than the tick.
    const seen = { running: 0, peak: 0, calls: 0 };
    const sweepInbox = {
      settleAudio: async () => {
        seen.calls += 1;
        seen.running += 1;
        seen.peak = Math.max(seen.peak, seen.running);
        await new Promise((r) => setTimeout(r, 25));
        seen.running -= 1;
        return { waiting: 0, settlements: [] };
      },
    };
    const worker = new LocalWorker({ pollMs: 60_000, audioSweepMs: 10 });
    worker.attach({ ingestEvent: slowIngest(new InMemoryEventInbox(), 1).ingest, inbox: new InMemoryEventInbox(), logger: quiet, sweepInbox });

    // Act
    worker.start();
    await new Promise((r) => setTimeout(r, 120));
    await worker.stop();
    const callsAtStop = seen.calls;
    await new Promise((r) => setTimeout(r, 50));

    // Assess
    expect(seen.peak).toBe(1);
    expect(callsAtStop).toBeGreaterThanOrEqual(3);
    expect(seen.calls).toBe(callsAtStop);
    expect(seen.running).toBe(0);
  });

  it("retries a failing event after a doubling delay, without holding up the others, then parks it with its reason", async () => {
    // Prepare: one event always fails; its neighbour is fine.
    const inbox = await inboxWith(2);
    const failing = inboxEventId("post_call_transcription", "conv_0");
    const tries: number[] = [];
    const ingest = {
      execute: async (id: Parameters<IngestEvent["execute"]>[0]) => {
        if (id !== failing) {
          await inbox.markDone(id);
          return { status: "ingested" as const, memoriesAdded: 0, archived: [] };
        }
        tries.push(performance.now());
        throw new Error("memory service unavailable");
      },
    } as unknown as IngestEvent;
    // The smallest jitter: half of 40 ms, then half of 80 ms.
    const worker = new LocalWorker({ pollMs: 2, retryDelayMs: 40, maxRetryDelayMs: 1_000, maxAttempts: 3, random: () => 0 });
    worker.attach({ ingestEvent: ingest, inbox, logger: quiet });

    // Act
    worker.start();
    const failed = await eventually(() => inbox.listFailed(), (events) => events.length > 0, 2_000);
    await worker.stop();

    // Assess
    expect(tries).toHaveLength(3);
    expect((tries[1] ?? 0) - (tries[0] ?? 0)).toBeGreaterThanOrEqual(19);
    expect((tries[2] ?? 0) - (tries[1] ?? 0)).toBeGreaterThanOrEqual(39);
    expect(failed).toEqual([expect.objectContaining({ id: failing, reason: "3 attempts failed; last: Error: memory service unavailable" })]);
    expect(await inbox.listDone()).toEqual([inboxEventId("post_call_transcription", "conv_1")]);
  });
});
