import { afterEach, describe, expect, it } from "vitest";
import { ReadCallerDossier } from "../../application/use-cases/read-caller-dossier.use-case";
import type { CallerId } from "../../domain/caller-id";
import { audioOf, callOf, embeddedWorld, type EmbeddedWorld } from "./support/embedded-world";
import { conversationReader, textOf } from "./support/harness";

const MARISOL = "+15550100123" as CallerId;
const OTHER = "+15550100145" as CallerId;
const FIRST_CALL = 1_767_268_800; // 2026-01-01T12:00:00Z
const SECOND_CALL = FIRST_CALL + 86_400;

let world: EmbeddedWorld;
afterEach(() => world.close());

const dossierOf = (w: EmbeddedWorld) => new ReadCallerDossier(w.memories, w.profiles, w.archive, conversationReader);

/** Marisol called twice: vegetarian on the first call, vegan on the second; only the first call's recording came. */
async function marisolCalledTwice(): Promise<EmbeddedWorld> {
  world = embeddedWorld();
  await world.ingestNow(callOf({ conversationId: "conv_dossier_1", callerId: MARISOL, eventTimestamp: FIRST_CALL, collected: { dietary_preference: "vegetarian" } }));
  await world.ingestNow(audioOf("conv_dossier_1", FIRST_CALL + 2));
  await world.ingestNow(callOf({ conversationId: "conv_dossier_2", callerId: MARISOL, eventTimestamp: SECOND_CALL, collected: { dietary_preference: "vegan" } }));
  return world;
}

describe("ReadCallerDossier", () => {
  it("shows a corrected fact with its current version first and the superseded one after it", async () => {
    // Prepare
    await marisolCalledTwice();

    // Act
    const dossier = await dossierOf(world).execute(MARISOL);

    // Assess
    const collected = dossier.memories.groups.find((g) => g.type === "factual" && g.source === "data_collection");
    const diet = collected?.facts.find((f) => f.factKey === "dietary_preference");
    expect(diet?.versions.map((v) => v.memory)).toEqual(["Dietary preference: vegan", "Dietary preference: vegetarian"]);
    expect(diet?.versions[0]?.metadata.superseded_by).toBeUndefined();
    expect(diet?.versions[1]?.metadata.superseded_by).toBe(diet?.versions[0]?.id);
    expect(dossier.memories.current).toBe(await world.memories.count(MARISOL));
    expect(dossier.memories.current + dossier.memories.superseded).toBe((await world.memories.list(MARISOL, { history: true })).length);
    expect(dossier.profile?.callerName).toBe("Marisol");
  });

  it("groups factual memories before the conversation, each memory once, every group of one type and source", async () => {
    await marisolCalledTwice();

    const { groups } = (await dossierOf(world).execute(MARISOL)).memories;

    const shown = groups.flatMap((g) => g.facts.flatMap((f) => f.versions.map((v) => v.id)));
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown.length).toBe((await world.memories.list(MARISOL, { history: true })).length);
    expect(groups.map((g) => g.type)).toEqual([...groups.map((g) => g.type)].sort()); // factual < semantic
    expect(groups.at(-1)).toMatchObject({ type: "semantic", source: "conversation" });
    for (const group of groups) {
      for (const fact of group.facts) expect(fact.versions[0]?.metadata).toMatchObject({ type: group.type, source: group.source });
    }
    // The name, collected and stated on both calls, is one fact with its whole history, not one per source.
    const names = groups.flatMap((g) => g.facts).filter((f) => f.factKey === "caller_name");
    expect(names).toHaveLength(1);
    expect(new Set(names[0]?.versions.map((v) => v.metadata.source))).toEqual(new Set(["caller_name", "data_collection"]));
    expect(names[0]?.versions[0]?.metadata.superseded_by).toBeUndefined();
    expect(names[0]?.versions.slice(1).every((v) => v.metadata.superseded_by !== undefined)).toBe(true);
  });

  it("lists the caller's calls newest first with their transcript, summary, language and recording", async () => {
    await marisolCalledTwice();

    const { calls } = await dossierOf(world).execute(MARISOL);

    expect(calls.total).toBe(2);
    expect(calls.more).toBe(0);
    expect(calls.recent.map((c) => c.conversationId)).toEqual(["conv_dossier_2", "conv_dossier_1"]);
    const [second, first] = calls.recent;
    expect(first).toMatchObject({
      at: "2026-01-01T12:00:00.000Z",
      durationSecs: 61,
      language: "en",
      audioKey: "audio/+15550100123/conv_dossier_1_1767268802.mp3",
      unreadable: null,
    });
    expect(first?.summary).toContain("vegetarian");
    expect(first?.turns[0]).toEqual({ role: "agent", text: "Hi Marisol, welcome back to Lumen Line! What can I do for you today?", timeInCallSecs: 0 });
    expect(first?.turns[1]).toMatchObject({ role: "caller", text: expect.stringContaining("it's Marisol Quenby") });
    expect(second?.audioKey).toBeNull();
  });

  it("reads only the newest calls of a caller with many, and says how many more there are", async () => {
    await marisolCalledTwice();
    await world.ingestNow(callOf({ conversationId: "conv_dossier_3", callerId: MARISOL, eventTimestamp: SECOND_CALL + 86_400 }));

    const { calls } = await dossierOf(world).execute(MARISOL, { calls: 2 });

    expect(calls.recent.map((c) => c.conversationId)).toEqual(["conv_dossier_3", "conv_dossier_2"]);
    expect(calls.total).toBe(3);
    expect(calls.more).toBe(1);
  });

  it("plays a recording only to the caller it belongs to, and nothing for an id that reaches outside their folder", async () => {
    await marisolCalledTwice();
    await world.ingestNow(callOf({ conversationId: "conv_dossier_other", callerId: OTHER, eventTimestamp: SECOND_CALL }));
    await world.ingestNow(audioOf("conv_dossier_other", SECOND_CALL + 2));
    const dossier = dossierOf(world);

    const own = await dossier.audio(MARISOL, "conv_dossier_1");
    const someoneElses = await dossier.audio(MARISOL, "conv_dossier_other");
    const traversal = await dossier.audio(MARISOL, "../../audio/+15550100145/conv_dossier_other");
    const noRecording = await dossier.audio(MARISOL, "conv_dossier_2");

    expect(textOf(own)?.startsWith("ID3")).toBe(true);
    expect(await dossier.audio(OTHER, "conv_dossier_other")).not.toBeNull();
    expect(someoneElses).toBeNull();
    expect(traversal).toBeNull();
    expect(noRecording).toBeNull();
  });

  it("shows nothing for a caller nobody knows", async () => {
    world = embeddedWorld();

    const dossier = await dossierOf(world).execute(OTHER);

    expect(dossier).toEqual({ callerId: OTHER, profile: null, memories: { current: 0, superseded: 0, groups: [] }, calls: { total: 0, recent: [], more: 0 } });
  });

  it("reads nothing for a caller id that reaches outside the caller folders", async () => {
    await marisolCalledTwice();

    const dossier = await dossierOf(world).execute("+15550100123/.." as CallerId);

    expect(dossier.calls.total).toBe(0);
    expect(dossier.memories.groups).toEqual([]);
  });
});
