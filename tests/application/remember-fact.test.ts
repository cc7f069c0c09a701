// The remember tool's use case: a fact stored at once, found in the same call, greeted with in the next.
import { describe, expect, it } from "vitest";
import type { MemoryStore } from "../../application/ports/memory-store.port";
import { RememberFact } from "../../application/use-cases/remember-fact.use-case";
import { SearchMemories } from "../../application/use-cases/search-memories.use-case";
import { InMemoryCallerProfileStore } from "../fakes/in-memory-caller-profile-store";
import { InMemoryMemoryStore } from "../fakes/in-memory-memory-store";
import { FixedClock } from "../fakes/fixed-clock";
import { CONVERSATION, MARISOL, NOW_SECS, TRANSCRIPTION, callSettings, callerProfiles, hanging, overriding, postCallWorld, prepareCallContextOver } from "./support/harness";

const SETTINGS = callSettings();

function world(store: MemoryStore = new InMemoryMemoryStore()) {
  const profiles = new InMemoryCallerProfileStore();
  const clock = new FixedClock(NOW_SECS * 1000);
  const remember = new RememberFact(store, callerProfiles(store, profiles, clock), clock, SETTINGS);
  return { store, profiles, remember, search: new SearchMemories(store, SETTINGS), prepare: prepareCallContextOver(store, SETTINGS, profiles) };
}

async function ok<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: Error }>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw settled.error;
  return settled.value;
}

describe("RememberFact", () => {
  it("stores the fact at once: retrieve finds it in the same call, and the next call starts with it", async () => {
    const { remember, search, prepare, profiles } = world();

    const stored = await ok(remember.execute({ userId: MARISOL, fact: "Prefers text messages over calls", conversationId: "conv_live_1" }));
    const found = await ok(search.execute({ userId: MARISOL, query: "how to contact by text", limit: 5 }));
    const next = await ok(prepare.execute({ callerId: MARISOL }));

    expect(stored).toMatchObject({ status: "stored", rememberedInConversation: 1, degradedReason: null });
    expect(found.memories.map((m) => m.memory)).toEqual(["Prefers text messages over calls"]);
    expect(found.memories[0]?.metadata).toMatchObject({ type: "factual", source: "remember", conversation_id: "conv_live_1" });
    expect(next).toMatchObject({ returning: true, memoryCount: 1 });
    // From the profile rebuilt right after the fact was stored, not from a read of the memories.
    expect((await profiles.get(MARISOL as never))?.profile.memoryCount).toBe(1);
    expect(next.memorySummary).toContain("Prefers text messages over calls");
  });

  it("stores the same fact once per call, however it is punctuated, and again in another call", async () => {
    const { remember, store } = world();

    const first = await ok(remember.execute({ userId: MARISOL, fact: "Prefers text messages.", conversationId: "conv_live_1" }));
    const again = await ok(remember.execute({ userId: MARISOL, fact: "prefers TEXT messages", conversationId: "conv_live_1" }));
    const otherCall = await ok(remember.execute({ userId: MARISOL, fact: "Prefers text messages.", conversationId: "conv_live_2" }));

    expect([first.status, again.status, otherCall.status]).toEqual(["stored", "already_remembered", "stored"]);
    expect(again.message).toMatch(/already remembered/);
    expect(await store.count(MARISOL as never)).toBe(2);
  });

  it("stores at most 20 facts per call, then refuses with a message the model can read", async () => {
    const { remember, store } = world();
    for (let i = 1; i <= 20; i += 1) await ok(remember.execute({ userId: MARISOL, fact: `Fact number ${i}`, conversationId: "conv_flood" }));

    const over = await remember.execute({ userId: MARISOL, fact: "Fact number 21", conversationId: "conv_flood" });
    const nextCall = await ok(remember.execute({ userId: MARISOL, fact: "Fact number 21", conversationId: "conv_next" }));

    expect(over.ok).toBe(false);
    if (!over.ok) {
      expect(over.error.code).toBe("TOO_MANY_FACTS");
      expect(over.error.message).toBe("at most 20 facts can be remembered per call, and this call has reached that; this fact was not stored");
    }
    expect(nextCall.status).toBe("stored");
    expect(await store.count(MARISOL as never)).toBe(21);
  });

  it("answers an anonymous caller that nothing was stored, and stores nothing", async () => {
    const { remember, store } = world();

    const withheld = await ok(remember.execute({ userId: "anonymous", fact: "Lives in Leeds", conversationId: "conv_anon" }));
    const empty = await ok(remember.execute({ userId: "", fact: "Lives in Leeds", conversationId: "conv_anon" }));

    expect([withheld.status, empty.status]).toEqual(["not_stored", "not_stored"]);
    expect(withheld.message).toContain("withheld or unknown");
    expect(await store.listOlderThan("9999-12-31T23:59:59.999Z")).toEqual([]);
  });

  it("refuses a user_id that is no phone number and a bad fact or category, naming the field", async () => {
    const { remember } = world();

    const results = await Promise.all([
      remember.execute({ userId: "not-a-number", fact: "Lives in Leeds" }),
      remember.execute({ userId: MARISOL, fact: "   " }),
      remember.execute({ userId: MARISOL, fact: "Lives in Leeds", category: "a/b" }),
    ]);

    expect(results.map((r) => (r.ok ? "ok" : `${r.error.code}:${r.error.field}`))).toEqual(["INVALID_CALLER_ID:user_id", "INVALID_PAYLOAD:fact", "INVALID_PAYLOAD:category"]);
  });

  it("says the fact was not stored when the memory store fails or hangs, and never throws", async () => {
    const real = new InMemoryMemoryStore();
    const failing = world(overriding<MemoryStore>(real, { add: () => Promise.reject(new Error("Mem0 answered 503")) }));
    const hangingStore = world(overriding<MemoryStore>(real, { list: () => hanging() }));

    const failed = await ok(failing.remember.execute({ userId: MARISOL, fact: "Lives in Leeds", conversationId: "conv_x" }));
    const hung = await ok(hangingStore.remember.execute({ userId: MARISOL, fact: "Lives in Leeds", conversationId: "conv_x" }));

    expect(failed).toMatchObject({ status: "not_stored", degradedReason: "Error: Mem0 answered 503" });
    expect(failed.message).toContain("was not stored");
    expect(hung).toMatchObject({ status: "not_stored", degradedReason: expect.stringContaining("DeadlineExceededError") as string });
  });

  it("groups facts sent without a conversation id by day, for the once-only rule", async () => {
    const { remember, store } = world();

    await ok(remember.execute({ userId: MARISOL, fact: "Lives in Leeds" }));
    const again = await ok(remember.execute({ userId: MARISOL, fact: "Lives in Leeds" }));

    expect(again.status).toBe("already_remembered");
    expect((await store.list(MARISOL as never))[0]?.metadata.conversation_id).toBe(`remembered-${new Date(NOW_SECS * 1000).toISOString().slice(0, 10)}`);
  });
});

describe("ingestion after a call with remembered facts", () => {
  it("does not store a remembered fact a second time from the call's data collection", async () => {
    const world = postCallWorld();
    const remember = new RememberFact(world.store, callerProfiles(world.store, world.profiles, world.clock), world.clock, SETTINGS);
    await ok(remember.execute({ userId: MARISOL, fact: "Vegetarian", category: "diet", conversationId: CONVERSATION }));

    await world.deliverAndIngest(TRANSCRIPTION);

    const facts = (await world.store.list(MARISOL as never)).filter((m) => m.metadata.type === "factual").map((m) => `${m.metadata.source}: ${m.memory}`);
    expect(facts.filter((f) => /vegetarian$/i.test(f))).toEqual(["remember: Vegetarian"]);
    expect(facts).toContain("data_collection: Party size: 5");
  });
});
