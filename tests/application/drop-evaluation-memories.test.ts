import { describe, expect, it } from "vitest";
import { DropEvaluationMemories } from "../../application/use-cases/drop-evaluation-memories.use-case";
import { transcriptionFor } from "../support/fixtures";
import { MARISOL, OTHER_CALLER, callerId, memoryDraft, postCallWorld } from "./support/harness";

const RATIONALES = [
  "The caller gave her full name in her first reply and the agent addressed her by name.",
  "Before closing, the agent repeated the complete request and the caller accepted it.",
];

/** Two callers after a call each, as this version ingests them, plus the rationale memories an earlier version wrote for Marisol. */
async function storesFromAnEarlierVersion() {
  const world = postCallWorld();
  await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_marisol", callerId: MARISOL }));
  await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_other", callerId: OTHER_CALLER }));
  await world.store.add(RATIONALES.map((text) => memoryDraft(MARISOL, text, { source: "evaluation", conversationId: "conv_marisol" })));
  return world;
}

describe("DropEvaluationMemories", () => {
  it("only reports the rationale memories of every caller in a dry run", async () => {
    // Prepare
    const world = await storesFromAnEarlierVersion();
    const before = await world.store.count(callerId(MARISOL));

    // Act
    const report = await new DropEvaluationMemories(world.store, world.profiles).execute({ apply: false });

    // Assess
    expect(report).toMatchObject({ applied: false, callers: [MARISOL], profilesRemoved: 0 });
    expect(report.memories.map((m) => [m.userId, m.conversationId])).toEqual([
      [MARISOL, "conv_marisol"],
      [MARISOL, "conv_marisol"],
    ]);
    expect(await world.store.count(callerId(MARISOL))).toBe(before);
    expect(await world.profiles.get(callerId(MARISOL))).not.toBeNull();
  });

  it("removes them and the profiles of their callers with apply, and nothing else", async () => {
    // Prepare
    const world = await storesFromAnEarlierVersion();
    const marisol = callerId(MARISOL);
    const other = callerId(OTHER_CALLER);
    const kept = (await world.store.list(marisol)).filter((m) => m.metadata.source !== "evaluation");
    const otherBefore = { memories: await world.store.list(other), profile: await world.profiles.get(other) };

    // Act
    const report = await new DropEvaluationMemories(world.store, world.profiles).execute({ apply: true });
    const again = await new DropEvaluationMemories(world.store, world.profiles).execute({ apply: true });

    // Assess
    expect(report).toMatchObject({ applied: true, callers: [MARISOL], profilesRemoved: 1 });
    expect(report.memories).toHaveLength(2);
    expect(await world.store.list(marisol)).toEqual(kept);
    expect(await world.profiles.get(marisol)).toBeNull();
    expect(await world.store.list(other)).toEqual(otherBefore.memories);
    expect(await world.profiles.get(other)).toEqual(otherBefore.profile);
    expect(again).toEqual({ applied: true, memories: [], callers: [], profilesRemoved: 0 });
  });
});
