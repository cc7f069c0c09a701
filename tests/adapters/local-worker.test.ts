import { describe, expect, it } from "vitest";
import { inboxEventId } from "../../application/ports/event-inbox.port";
import type { IngestEvent } from "../../application/use-cases/ingest-event.use-case";
import { LocalWorker } from "../../adapters/inbound/local/local-worker";
import { InMemoryEventInbox } from "../fakes/in-memory-event-inbox";

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
});
