import { describe, expect, it } from "vitest";
import { ApplyRetention } from "../../application/use-cases/apply-retention.use-case";
import { ExportCaller } from "../../application/use-cases/export-caller.use-case";
import { ForgetCaller } from "../../application/use-cases/forget-caller.use-case";
import type { CallerId } from "../../domain/caller-id";
import { fixtureText, transcriptionFor } from "../support/fixtures";
import { NOW_SECS, postCallWorld, conversationReader } from "./support/harness";

const ALICE = "+15550100123" as CallerId;
/**
 * The next number: an erasure must not reach it. (No number that starts with all of Alice's can call:
 * every +1 number has ten digits after the 1; the archive contract keeps checking such prefix twins.)
 */
const ALICE_NEIGHBOUR = "+15550100124" as CallerId;

async function twoCallers() {
  const world = postCallWorld();
  await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_alice_1", callerId: ALICE }));
  await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_twin_1", callerId: ALICE_NEIGHBOUR }));
  await world.deliver(transcriptionFor({ conversationId: "conv_alice_2", callerId: ALICE })); // still pending
  return world;
}

describe("ForgetCaller", () => {
  it("erases one caller's memories, transcripts and stored events, and nothing of the caller with the next number", async () => {
    // Prepare
    const world = await twoCallers();
    const neighbourBefore = { memories: await world.store.count(ALICE_NEIGHBOUR), archive: await world.archive.list(`transcripts/${ALICE_NEIGHBOUR}/`) };

    // Act
    const report = await new ForgetCaller(world.store, world.archive, world.inbox, conversationReader, world.profiles).execute(ALICE);

    // Assess
    expect(report.memories).toBeGreaterThan(0);
    expect(report.transcripts).toEqual(["transcripts/+15550100123/conv_alice_1_1767268871.json"]);
    expect(new Set(report.inboxEvents)).toEqual(new Set(["post_call_transcription/conv_alice_1", "post_call_transcription/conv_alice_2"]));
    expect(await world.store.count(ALICE)).toBe(0);
    expect(await world.archive.list(`transcripts/${ALICE}/`)).toEqual([]);
    expect(await world.inbox.listPending()).toEqual([]);
    expect(await world.store.count(ALICE_NEIGHBOUR)).toBe(neighbourBefore.memories);
    expect(await world.archive.list(`transcripts/${ALICE_NEIGHBOUR}/`)).toEqual(neighbourBefore.archive);
    expect(await world.inbox.state("post_call_transcription/conv_twin_1")).toBe("done");
  });

  it("drops the caller's waits for audio, so no recording is fetched into their folder afterwards, and keeps everyone else's", async () => {
    // Prepare: both callers' audio webhooks never came; one of Alice's waits outlived its transcription event.
    const world = await twoCallers();
    await world.inbox.awaitAudio({ conversationId: "conv_alice_0", callerFolder: ALICE, eventTimestamp: 1_767_000_000, since: 1_767_000_000 });
    const before = (await world.inbox.listAwaitingAudio()).map((w) => w.conversationId).sort();

    // Act
    const report = await new ForgetCaller(world.store, world.archive, world.inbox, conversationReader, world.profiles).execute(ALICE);

    // Assess
    expect(before).toEqual(["conv_alice_0", "conv_alice_1", "conv_twin_1"]);
    expect([...report.awaitingAudio].sort()).toEqual(["conv_alice_0", "conv_alice_1"]);
    expect(await world.inbox.listAwaitingAudio()).toEqual([
      { conversationId: "conv_twin_1", callerFolder: ALICE_NEIGHBOUR, eventTimestamp: 1_767_268_871, since: NOW_SECS },
    ]);
  });
});

describe("ExportCaller", () => {
  it("returns the caller's memories and archived conversations, and nobody else's", async () => {
    const world = await twoCallers();

    const exported = await new ExportCaller(world.store, world.archive, conversationReader, world.clock, world.profiles).execute(ALICE);

    expect(exported.caller_id).toBe(ALICE);
    // Every version of every fact: the count the agent sees is of current facts only.
    expect(exported.memories.length).toBe((await world.store.list(ALICE, { history: true })).length);
    expect(exported.memories.length).toBeGreaterThan(await world.store.count(ALICE));
    expect(exported.memories.every((m) => m.user_id === ALICE)).toBe(true);
    expect(exported.transcripts.map((t) => t.key)).toEqual(["transcripts/+15550100123/conv_alice_1_1767268871.json"]);
    expect(JSON.stringify(exported.transcripts[0]?.conversation)).toContain("conv_alice_1");
  });

  it("shows each call's evaluation with its transcript, the call record, and never among the caller's memories", async () => {
    const world = await twoCallers();

    const exported = await new ExportCaller(world.store, world.archive, conversationReader, world.clock, world.profiles).execute(ALICE);

    expect(exported.transcripts.map((t) => t.evaluation)).toEqual([
      [
        {
          criteria_id: "caller_identified",
          result: "success",
          rationale: "The caller gave her full name (Marisol Quenby) in her first reply and the agent addressed her by name for the rest of the call.",
        },
        {
          criteria_id: "request_confirmed_back",
          result: "success",
          rationale: expect.stringMatching(/^Before closing, the agent repeated the complete request/) as string,
        },
      ],
    ]);
    expect(exported.memories.length).toBeGreaterThan(0);
    expect(exported.memories.filter((m) => m.metadata.source === "evaluation" || /the agent (addressed|repeated)/.test(m.memory))).toEqual([]);
  });

  it("reads the evaluation of a seed-shaped call, and none from a transcript that is not an event", async () => {
    const world = postCallWorld();
    await world.deliverAndIngest(fixtureText("post-call-seed-format.json"));
    await world.archive.putTranscript("transcripts/+15550100123/conv_garbled_1767268000.json", "not json");

    const exported = await new ExportCaller(world.store, world.archive, conversationReader, world.clock, world.profiles).execute(ALICE);

    expect(exported.transcripts.map((t) => [t.key.replace(/_\d+\.json$/, ""), t.evaluation.map((e) => [e.criteria_id, e.result, e.rationale.slice(0, 40)])])).toEqual([
      ["transcripts/+15550100123/conv_5201kfx7demo0conv0fixt00001a", [["evaluation", null, "Before closing, the agent repeated the c"]]],
      ["transcripts/+15550100123/conv_garbled", []],
    ]);
  });
});

describe("ApplyRetention", () => {
  it("reports without deleting by default, deletes only what is older than the cutoff with apply", async () => {
    // Prepare: one call in January 2026, one a year later.
    const world = postCallWorld();
    await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_old", callerId: ALICE, eventTimestamp: 1_767_268_871 }));
    await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_new", callerId: ALICE, eventTimestamp: 1_798_804_871 }));
    world.clock.set(1_798_804_871_000 + 24 * 3600 * 1000);
    const retention = new ApplyRetention(world.store, world.archive, world.inbox, conversationReader, world.clock, world.profiles);
    const everyVersion = async () => (await world.store.list(ALICE, { history: true })).length;
    const before = await everyVersion();

    // Act
    const dryRun = await retention.execute({ days: 30, apply: false });
    const afterDryRun = await everyVersion();
    const applied = await retention.execute({ days: 30, apply: true });

    // Assess: the old call's memories go, the versions its facts were superseded by stay.
    expect(dryRun.applied).toBe(false);
    expect(dryRun.memories.length).toBe(before / 2);
    expect(afterDryRun).toBe(before);
    expect(applied.applied).toBe(true);
    expect(applied.transcripts).toEqual(["transcripts/+15550100123/conv_old_1767268871.json"]);
    expect(await everyVersion()).toBe(before / 2);
    expect(await world.archive.list("transcripts/")).toEqual(["transcripts/+15550100123/conv_new_1798804871.json"]);
    expect((await world.store.list(ALICE)).every((m) => m.metadata.conversation_id === "conv_new")).toBe(true);
  });
});
