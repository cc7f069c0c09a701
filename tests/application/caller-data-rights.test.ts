import { describe, expect, it } from "vitest";
import { ApplyRetention } from "../../application/use-cases/apply-retention.use-case";
import { ExportCaller } from "../../application/use-cases/export-caller.use-case";
import { ForgetCaller } from "../../application/use-cases/forget-caller.use-case";
import type { CallerId } from "../../domain/caller-id";
import { transcriptionFor } from "../support/fixtures";
import { NOW_SECS, postCallWorld } from "./support/harness";

const ALICE = "+15550100123" as CallerId;
/** Shares Alice's number as a prefix: an erasure by prefix would reach her too. */
const ALICE_PREFIX_TWIN = "+155501001234" as CallerId;

async function twoCallers() {
  const world = postCallWorld();
  await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_alice_1", callerId: ALICE }));
  await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_twin_1", callerId: ALICE_PREFIX_TWIN }));
  await world.deliver(transcriptionFor({ conversationId: "conv_alice_2", callerId: ALICE })); // still pending
  return world;
}

describe("ForgetCaller", () => {
  it("erases one caller's memories, transcripts and stored events, and nothing of a caller whose number shares the prefix", async () => {
    // Prepare
    const world = await twoCallers();
    const twinBefore = { memories: await world.store.count(ALICE_PREFIX_TWIN), archive: await world.archive.list(`transcripts/${ALICE_PREFIX_TWIN}/`) };

    // Act
    const report = await new ForgetCaller(world.store, world.archive, world.inbox, world.profiles).execute(ALICE);

    // Assess
    expect(report.memories).toBeGreaterThan(0);
    expect(report.transcripts).toEqual(["transcripts/+15550100123/conv_alice_1_1767268871.json"]);
    expect(new Set(report.inboxEvents)).toEqual(new Set(["post_call_transcription/conv_alice_1", "post_call_transcription/conv_alice_2"]));
    expect(await world.store.count(ALICE)).toBe(0);
    expect(await world.archive.list(`transcripts/${ALICE}/`)).toEqual([]);
    expect(await world.inbox.listPending()).toEqual([]);
    expect(await world.store.count(ALICE_PREFIX_TWIN)).toBe(twinBefore.memories);
    expect(await world.archive.list(`transcripts/${ALICE_PREFIX_TWIN}/`)).toEqual(twinBefore.archive);
    expect(await world.inbox.state("post_call_transcription/conv_twin_1")).toBe("done");
  });

  it("drops the caller's waits for audio, so no recording is fetched into their folder afterwards, and keeps everyone else's", async () => {
    // Prepare: both callers' audio webhooks never came; one of Alice's waits outlived its transcription event.
    const world = await twoCallers();
    await world.inbox.awaitAudio({ conversationId: "conv_alice_0", callerFolder: ALICE, eventTimestamp: 1_767_000_000, since: 1_767_000_000 });
    const before = (await world.inbox.listAwaitingAudio()).map((w) => w.conversationId).sort();

    // Act
    const report = await new ForgetCaller(world.store, world.archive, world.inbox, world.profiles).execute(ALICE);

    // Assess
    expect(before).toEqual(["conv_alice_0", "conv_alice_1", "conv_twin_1"]);
    expect([...report.awaitingAudio].sort()).toEqual(["conv_alice_0", "conv_alice_1"]);
    expect(await world.inbox.listAwaitingAudio()).toEqual([
      { conversationId: "conv_twin_1", callerFolder: ALICE_PREFIX_TWIN, eventTimestamp: 1_767_268_871, since: NOW_SECS },
    ]);
  });
});

describe("ExportCaller", () => {
  it("returns the caller's memories and archived conversations, and nobody else's", async () => {
    const world = await twoCallers();

    const exported = await new ExportCaller(world.store, world.archive, world.clock, world.profiles).execute(ALICE);

    expect(exported.caller_id).toBe(ALICE);
    expect(exported.memories.length).toBe(await world.store.count(ALICE));
    expect(exported.memories.every((m) => m.user_id === ALICE)).toBe(true);
    expect(exported.transcripts.map((t) => t.key)).toEqual(["transcripts/+15550100123/conv_alice_1_1767268871.json"]);
    expect(JSON.stringify(exported.transcripts[0]?.conversation)).toContain("conv_alice_1");
  });
});

describe("ApplyRetention", () => {
  it("reports without deleting by default, deletes only what is older than the cutoff with apply", async () => {
    // Prepare: one call in January 2026, one a year later.
    const world = postCallWorld();
    await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_old", callerId: ALICE, eventTimestamp: 1_767_268_871 }));
    await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_new", callerId: ALICE, eventTimestamp: 1_798_804_871 }));
    world.clock.set(1_798_804_871_000 + 24 * 3600 * 1000);
    const retention = new ApplyRetention(world.store, world.archive, world.inbox, world.clock, world.profiles);
    const before = await world.store.count(ALICE);

    // Act
    const dryRun = await retention.execute({ days: 30, apply: false });
    const afterDryRun = await world.store.count(ALICE);
    const applied = await retention.execute({ days: 30, apply: true });

    // Assess
    expect(dryRun.applied).toBe(false);
    expect(dryRun.memories.length).toBe(before / 2);
    expect(afterDryRun).toBe(before);
    expect(applied.applied).toBe(true);
    expect(applied.transcripts).toEqual(["transcripts/+15550100123/conv_old_1767268871.json"]);
    expect(await world.store.count(ALICE)).toBe(before / 2);
    expect(await world.archive.list("transcripts/")).toEqual(["transcripts/+15550100123/conv_new_1798804871.json"]);
    expect((await world.store.list(ALICE)).every((m) => m.metadata.conversation_id === "conv_new")).toBe(true);
  });
});
