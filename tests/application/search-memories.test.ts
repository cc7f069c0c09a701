import { describe, expect, it } from "vitest";
import type { MemoryStore } from "../../application/ports/memory-store.port";
import { MEMORIES_UNAVAILABLE_WARNING, SearchMemories } from "../../application/use-cases/search-memories.use-case";
import { parseRegion } from "../../domain/caller-id";
import { DomainError } from "../../domain/domain-error";
import { InMemoryMemoryStore } from "../fakes/in-memory-memory-store";
import { fixtureText, transcriptionFor } from "../support/fixtures";
import { MARISOL, OTHER_CALLER, hanging, memoryDraft, overriding, postCallWorld } from "./support/harness";

const SETTINGS = { retrieveDeadlineMs: 1500, defaultRegion: null };

/** Two callers who said overlapping things: both are vegetarian and both booked for Saturday. */
async function twoCallersWithOverlappingFacts(): Promise<InMemoryMemoryStore> {
  const store = new InMemoryMemoryStore();
  await store.add([
    memoryDraft(MARISOL, "Prefers a window table."),
    memoryDraft(MARISOL, "Is vegetarian since last month."),
    memoryDraft(MARISOL, "Booked a vegetarian dinner for Saturday at 7:30 pm."),
    memoryDraft(OTHER_CALLER, "Vegetarian, books a Saturday vegetarian brunch every week."),
    memoryDraft(OTHER_CALLER, "Is vegetarian and allergic to walnuts."),
  ]);
  return store;
}

/** A store that honours whatever limit it is given, as a remote service would (no clamping of its own). */
function literalLimitStore(real: InMemoryMemoryStore): MemoryStore {
  return overriding<MemoryStore>(real, {
    search: async (query) => (await real.list(query.userId)).slice(0, query.limit).map((memory) => ({ ...memory, score: 0.5 })),
  });
}

describe("SearchMemories", () => {
  it("returns the caller's own memories, best match first, each with a score", async () => {
    // Prepare
    const useCase = new SearchMemories(await twoCallersWithOverlappingFacts(), SETTINGS);

    // Act
    const result = await useCase.execute({ userId: MARISOL, query: "vegetarian Saturday", limit: 10 });

    // Assess
    if (!result.ok) throw result.error;
    const { memories, warning, degradedReason } = result.value;
    expect(memories.map((m) => m.memory)).toEqual(["Booked a vegetarian dinner for Saturday at 7:30 pm.", "Is vegetarian since last month."]);
    expect(memories.every((m) => m.user_id === MARISOL)).toBe(true);
    const scores = memories.map((m) => m.score ?? -1);
    expect(scores.every((s) => s > 0 && s <= 1)).toBe(true);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(warning).toBeNull();
    expect(degradedReason).toBeNull();
  });

  it("keeps callers apart even when their calls say the same things", async () => {
    // Prepare: the very same conversation from two different numbers.
    const world = postCallWorld();
    await world.deliverAndIngest(fixtureText("post-call-transcription.json"));
    await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_app_other_caller", callerId: OTHER_CALLER }));
    const useCase = new SearchMemories(world.store, SETTINGS);

    // Act
    const mine = await useCase.execute({ userId: MARISOL, query: "vegetarian step-free wheelchair Saturday", limit: 50 });
    const theirs = await useCase.execute({ userId: OTHER_CALLER, query: "vegetarian step-free wheelchair Saturday", limit: 50 });

    // Assess
    if (!mine.ok || !theirs.ok) throw new Error("search refused");
    expect(mine.value.memories.length).toBeGreaterThan(0);
    expect(mine.value.memories.every((m) => m.user_id === MARISOL && m.metadata.conversation_id === "conv_5201kfx7demo0conv0fixt00001a")).toBe(
      true,
    );
    expect(theirs.value.memories.every((m) => m.user_id === OTHER_CALLER && m.metadata.conversation_id === "conv_app_other_caller")).toBe(true);
    expect(theirs.value.memories).toHaveLength(mine.value.memories.length);
  });

  it("finds the caller however the number is written", async () => {
    // Prepare
    const useCase = new SearchMemories(await twoCallersWithOverlappingFacts(), SETTINGS);

    // Act
    const result = await useCase.execute({ userId: "tel:+1 (555) 010-0123", query: "window table" });

    // Assess
    expect(result).toMatchObject({ ok: true, value: { memories: [{ memory: "Prefers a window table.", user_id: MARISOL }] } });
  });

  it("answers [] when the caller has no matching memories", async () => {
    // Prepare
    const useCase = new SearchMemories(await twoCallersWithOverlappingFacts(), SETTINGS);

    // Act
    const result = await useCase.execute({ userId: MARISOL, query: "walnuts" });

    // Assess: the other caller's walnut allergy is not Marisol's.
    expect(result).toEqual({ ok: true, value: { memories: [], warning: null, degradedReason: null } });
  });

  it("narrows to the filters the agent gave, however the number is written", async () => {
    // Prepare
    const store = await twoCallersWithOverlappingFacts();
    await store.add([
      memoryDraft(MARISOL, "We talked about the vegetarian menu for Saturday.", { type: "semantic", conversationId: "conv_app_menu", timestamp: "2026-03-01T10:00:00.000Z" }),
    ]);
    const useCase = new SearchMemories(store, SETTINGS);

    // Act
    const semantic = await useCase.execute({ userId: "+1 555 010 0123", query: "vegetarian Saturday", filters: { type: "semantic" } });
    const march = await useCase.execute({ userId: MARISOL, query: "vegetarian Saturday", filters: { since: "2026-03-01T00:00:00.000Z" } });
    const menuCall = await useCase.execute({ userId: MARISOL, query: "vegetarian Saturday", filters: { conversationId: "conv_app_menu", type: "factual" } });

    // Assess
    const texts = (result: typeof semantic) => (result.ok ? result.value.memories.map((m) => m.memory) : result.error.message);
    expect(texts(semantic)).toEqual(["We talked about the vegetarian menu for Saturday."]);
    expect(texts(march)).toEqual(["We talked about the vegetarian menu for Saturday."]);
    expect(texts(menuCall)).toEqual([]);
  });

  describe("limit", () => {
    it.each([
      { limit: 0, expected: 1 },
      { limit: -5, expected: 1 },
      { limit: 1, expected: 1 },
      { limit: 7, expected: 7 },
      { limit: 7.9, expected: 7 },
      { limit: undefined, expected: 10 },
      { limit: Number.NaN, expected: 10 },
      { limit: 50, expected: 50 },
      { limit: 500, expected: 50 },
    ])("limit $limit gives at most $expected memories", async ({ limit, expected }) => {
      // Prepare: 60 memories that all match, behind a store that does not clamp on its own.
      const real = new InMemoryMemoryStore();
      await real.add(Array.from({ length: 60 }, (_, i) => memoryDraft(MARISOL, `Garden table note number ${i}.`)));
      const useCase = new SearchMemories(literalLimitStore(real), SETTINGS);

      // Act
      const result = await useCase.execute({ userId: MARISOL, query: "garden table", limit });

      // Assess
      if (!result.ok) throw result.error;
      expect(result.value.memories).toHaveLength(expected);
    });
  });

  describe("caller ids", () => {
    it.each([{ raw: "anonymous" }, { raw: "Restricted" }, { raw: "unknown" }, { raw: "" }, { raw: "   " }])(
      "answers a withheld or empty caller id ($raw) with no memories, without asking the store",
      async ({ raw }) => {
        // Prepare
        const calls: string[] = [];
        const real = await twoCallersWithOverlappingFacts();
        const store = overriding<MemoryStore>(real, {
          search: async (query) => (calls.push(query.userId), real.search(query)),
        });
        const useCase = new SearchMemories(store, SETTINGS);

        // Act
        const result = await useCase.execute({ userId: raw, query: "vegetarian" });

        // Assess
        expect(result).toEqual({ ok: true, value: { memories: [], warning: null, degradedReason: null } });
        expect(calls).toEqual([]);
      },
    );

    it.each([{ raw: "abc" }, { raw: "+123" }, { raw: "5550100" }, { raw: "sip:alice@pbx.example" }])(
      "refuses user_id $raw as INVALID_CALLER_ID naming user_id",
      async ({ raw }) => {
        // Prepare
        const useCase = new SearchMemories(await twoCallersWithOverlappingFacts(), SETTINGS);

        // Act
        const result = await useCase.execute({ userId: raw, query: "vegetarian" });

        // Assess
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error).toBeInstanceOf(DomainError);
        expect(result.error).toMatchObject({ code: "INVALID_CALLER_ID", field: "user_id" });
        // The agent's model reads this message, so it must say which argument was wrong.
        expect(result.error.message).toContain("user_id");
      },
    );

    it("reads a national user_id in the default region, and refuses it without one", async () => {
      // Prepare
      const store = await twoCallersWithOverlappingFacts();
      const inTheUs = new SearchMemories(store, { ...SETTINGS, defaultRegion: parseRegion("US") });
      const nowhere = new SearchMemories(store, SETTINGS);

      // Act
      const found = await inTheUs.execute({ userId: "(555) 010-0123", query: "window table" });
      const refused = await nowhere.execute({ userId: "(555) 010-0123", query: "window table" });

      // Assess
      expect(found).toMatchObject({ ok: true, value: { memories: [{ memory: "Prefers a window table.", user_id: MARISOL }] } });
      expect(refused).toMatchObject({ ok: false, error: { code: "INVALID_CALLER_ID", message: expect.stringContaining("national number") } });
    });
  });

  describe("when the memory service misbehaves", () => {
    const SECRET_DETAIL = "connect ECONNREFUSED 10.0.0.7:443 (api key m0-live-abc123)";

    it("answers [] with the fixed warning when the store fails, keeping the cause for the logs only", async () => {
      // Prepare
      const broken = overriding<MemoryStore>(await twoCallersWithOverlappingFacts(), {
        search: async () => {
          throw new Error(SECRET_DETAIL);
        },
      });
      const useCase = new SearchMemories(broken, SETTINGS);

      // Act
      const result = await useCase.execute({ userId: MARISOL, query: "vegetarian" });

      // Assess
      if (!result.ok) throw result.error;
      expect(result.value.memories).toEqual([]);
      expect(result.value.warning).toBe(MEMORIES_UNAVAILABLE_WARNING);
      expect(result.value.warning).not.toContain("ECONNREFUSED");
      expect(result.value.warning).not.toContain("m0-live");
      expect(result.value.degradedReason).toContain(SECRET_DETAIL);
    });

    it("answers [] with the warning within the deadline when the store hangs", async () => {
      // Prepare
      const stuck = overriding<MemoryStore>(await twoCallersWithOverlappingFacts(), { search: () => hanging() });
      const useCase = new SearchMemories(stuck, { ...SETTINGS, retrieveDeadlineMs: 100 });

      // Act
      const started = performance.now();
      const result = await useCase.execute({ userId: MARISOL, query: "vegetarian" });
      const elapsed = performance.now() - started;

      // Assess
      expect(elapsed).toBeLessThan(1000);
      expect(result).toMatchObject({ ok: true, value: { memories: [], warning: MEMORIES_UNAVAILABLE_WARNING } });
      if (result.ok) expect(result.value.degradedReason).toMatch(/DeadlineExceeded/);
    });

    it("recovers on the next call once the store answers again", async () => {
      // Prepare
      const real = await twoCallersWithOverlappingFacts();
      let down = true;
      const flaky = overriding<MemoryStore>(real, {
        search: async (query) => {
          if (down) throw new Error("503 from the memory service");
          return real.search(query);
        },
      });
      const useCase = new SearchMemories(flaky, SETTINGS);
      await useCase.execute({ userId: MARISOL, query: "window" });
      down = false;

      // Act
      const result = await useCase.execute({ userId: MARISOL, query: "window" });

      // Assess
      expect(result).toMatchObject({ ok: true, value: { memories: [{ memory: "Prefers a window table." }], warning: null } });
    });
  });
});
