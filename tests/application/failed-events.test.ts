import { afterEach, describe, expect, it } from "vitest";
import { FailedEvents } from "../../application/use-cases/failed-events.use-case";
import { ReplayEvent } from "../../application/use-cases/replay-event.use-case";
import type { CallerId } from "../../domain/caller-id";
import { callOf, embeddedWorld, type EmbeddedWorld } from "./support/embedded-world";
import { NOW_SECS } from "./support/harness";

const CALLER = "+15550100151" as CallerId;
const OUTAGE = "worker: 3 attempts failed; last: Error: memory service 502";
const EARLIER = 1_767_269_000;
const LATER = EARLIER + 600;

let world: EmbeddedWorld;
afterEach(() => world.close());

const transcription = (conversationId: string) => callOf({ conversationId, callerId: CALLER, eventTimestamp: 1_767_268_800 });
const answeringMachine = (conversationId: string) =>
  JSON.stringify({ type: "answering_machine_detection", event_timestamp: 1_767_268_800, data: { conversation_id: conversationId } });

describe("FailedEvents", () => {
  it("lists parked events most recently parked first, with type, conversation, reason and time", async () => {
    // Prepare
    world = embeddedWorld();
    await world.park(transcription("conv_parked_old"), OUTAGE, EARLIER);
    await world.park(answeringMachine("conv_parked_new"), "UNSUPPORTED_EVENT: type answering_machine_detection", LATER);
    await world.ingestNow(transcription("conv_fine"));

    // Act
    const listed = await new FailedEvents(world.inbox).list();
    const newestOnly = await new FailedEvents(world.inbox).list({ limit: 1 });

    // Assess
    expect(listed).toEqual({
      total: 2,
      events: [
        {
          id: "answering_machine_detection/conv_parked_new",
          eventType: "answering_machine_detection",
          conversationId: "conv_parked_new",
          reason: "UNSUPPORTED_EVENT: type answering_machine_detection",
          failedAt: new Date(LATER * 1000).toISOString(),
        },
        {
          id: "post_call_transcription/conv_parked_old",
          eventType: "post_call_transcription",
          conversationId: "conv_parked_old",
          reason: OUTAGE,
          failedAt: new Date(EARLIER * 1000).toISOString(),
        },
      ],
    });
    expect(newestOnly).toEqual({ total: 2, events: [listed.events[0]] });
  });

  it("tells where any event stands: pending, done, parked with why, or unknown", async () => {
    world = embeddedWorld();
    await world.park(transcription("conv_status_parked"), OUTAGE, EARLIER);
    await world.receive(transcription("conv_status_pending"));
    await world.ingestNow(transcription("conv_status_done"));
    const events = new FailedEvents(world.inbox);

    expect(await events.status("post_call_transcription/conv_status_parked")).toMatchObject({ state: "failed", reason: OUTAGE, conversationId: "conv_status_parked" });
    expect(await events.status("post_call_transcription/conv_status_pending")).toMatchObject({ state: "pending", eventType: "post_call_transcription" });
    expect(await events.status("post_call_transcription/conv_status_done")).toMatchObject({ state: "done" });
    expect(await events.status("post_call_transcription/conv_nobody")).toEqual({ id: "post_call_transcription/conv_nobody", state: "not_found" });
    expect(await events.status("../../etc/passwd")).toEqual({ id: "../../etc/passwd", state: "not_found" });
  });
});

describe("ReplayEvent", () => {
  it("ingests a parked event that can be ingested now, reports it ingested, and takes it out of the failed list", async () => {
    world = embeddedWorld();
    const parked = await world.park(transcription("conv_replay_ok"), OUTAGE, EARLIER);

    const outcome = await new ReplayEvent(world.inbox, world.ingest).execute(parked.id);

    expect(outcome).toMatchObject({ status: "ingested", archived: ["transcripts/+15550100151/conv_replay_ok_1767268800.json"] });
    expect(await world.memories.count(CALLER)).toBeGreaterThan(0);
    expect(await new FailedEvents(world.inbox).status(parked.id)).toMatchObject({ state: "done" });
    expect((await new FailedEvents(world.inbox).list()).total).toBe(0);
  });

  it("parks an event that still cannot be read again, with the new reason and time", async () => {
    world = embeddedWorld();
    const parked = await world.park(answeringMachine("conv_replay_amd"), "an older reason", EARLIER);

    const outcome = await new ReplayEvent(world.inbox, world.ingest).execute(parked.id);

    expect(outcome).toEqual({ status: "parked", reason: expect.stringContaining("UNSUPPORTED_EVENT") });
    expect(await new FailedEvents(world.inbox).status(parked.id)).toMatchObject({
      state: "failed",
      reason: expect.stringContaining("UNSUPPORTED_EVENT"),
      failedAt: new Date(NOW_SECS * 1000).toISOString(),
    });
  });

  it("reports a replay whose ingestion fails again as failed, and keeps the event parked with why", async () => {
    world = embeddedWorld();
    const parked = await world.park(transcription("conv_replay_down"), OUTAGE, EARLIER);
    // The memory store is down: its database is closed under the use case.
    world.memories.close();

    const outcome = await new ReplayEvent(world.inbox, world.ingest).execute(parked.id);

    expect(outcome).toEqual({ status: "failed", error: expect.stringContaining("not open") });
    expect(await new FailedEvents(world.inbox).status(parked.id)).toMatchObject({ state: "failed", reason: expect.stringMatching(/^replay failed: .*not open/) });
  });

  it("leaves events that are not parked alone: pending ones to the worker, done ones as they are", async () => {
    world = embeddedWorld();
    const pending = await world.receive(transcription("conv_replay_pending"));
    await world.ingestNow(transcription("conv_replay_done"));
    const replay = new ReplayEvent(world.inbox, world.ingest);

    expect(await replay.execute(pending.id)).toEqual({ status: "pending" });
    expect(await world.inbox.state(pending.id)).toBe("pending");
    expect(await world.memories.list(CALLER, { conversationId: "conv_replay_pending" })).toEqual([]);
    expect(await replay.execute("post_call_transcription/conv_replay_done")).toEqual({ status: "already_done" });
    expect(await replay.execute("post_call_transcription/conv_nobody")).toEqual({ status: "not_found" });
    expect(await replay.execute("not an id")).toEqual({ status: "not_found" });
  });
});
