import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EVERY_DATED_MEMORY, type MemoryStore } from "../../application/ports/memory-store.port";
import type { CallerId } from "../../domain/caller-id";
import type { MemoryDraft, MemorySource, MemoryType } from "../../domain/memory";

export interface MemoryStoreHarness {
  readonly store: MemoryStore;
  /** Some stores (Mem0) index asynchronously; wait until what was added is searchable. */
  settle?(): Promise<void>;
  close?(): Promise<void>;
}

const ALICE = "+15550100123" as CallerId;
const BOB = "+15550100124" as CallerId;

let sequence = 0;
export function draft(
  userId: CallerId,
  text: string,
  options: { conversationId?: string; type?: MemoryType; source?: MemorySource; timestamp?: string; key?: string; factKey?: string } = {},
): MemoryDraft {
  sequence += 1;
  const conversationId = options.conversationId ?? `conv_${sequence}`;
  const type = options.type ?? "factual";
  const source = options.source ?? (type === "factual" ? "summary" : "conversation");
  return {
    key: options.key ?? `${conversationId}:${source}:${sequence}`,
    userId,
    text,
    metadata: {
      type,
      source,
      agent_id: "agent_fixture",
      timestamp: options.timestamp ?? new Date(Date.UTC(2026, 0, 1, 12, 0, sequence)).toISOString(),
      call_duration: 61,
      conversation_id: conversationId,
      ...(options.factKey === undefined ? {} : { fact_key: options.factKey }),
    },
  };
}

/**
 * The behaviour every {@link MemoryStore} adapter must show. Run against the in-memory fake, the
 * embedded SQLite store and the Mem0 adapter alike.
 */
export function describeMemoryStoreContract(name: string, createHarness: () => Promise<MemoryStoreHarness>): void {
  describe(`MemoryStore contract: ${name}`, () => {
    let harness: MemoryStoreHarness;
    let store: MemoryStore;
    const settle = async () => harness.settle?.();

    beforeEach(async () => {
      harness = await createHarness();
      store = harness.store;
    });
    afterEach(async () => {
      await harness.close?.();
    });

    it("lists what was added, newest first, and counts it", async () => {
      await store.add([
        draft(ALICE, "Prefers text messages to calls.", { timestamp: "2026-01-01T10:00:00.000Z" }),
        draft(ALICE, "Booked a table for five on Saturday.", { timestamp: "2026-01-03T10:00:00.000Z" }),
        draft(ALICE, "Is vegetarian.", { timestamp: "2026-01-02T10:00:00.000Z" }),
      ]);
      await settle();

      const listed = await store.list(ALICE);

      expect(listed.map((m) => m.memory)).toEqual(["Booked a table for five on Saturday.", "Is vegetarian.", "Prefers text messages to calls."]);
      expect(listed.every((m) => m.user_id === ALICE && typeof m.id === "string" && m.id !== "")).toBe(true);
      expect(listed[0]?.metadata).toMatchObject({ type: "factual", agent_id: "agent_fixture", call_duration: 61 });
      expect(await store.count(ALICE)).toBe(3);
      expect(await store.list(ALICE, { limit: 2 })).toHaveLength(2);
    });

    it("lists only the memories made from one source when asked", async () => {
      await store.add([
        draft(ALICE, "The caller's name is Alice.", { source: "caller_name", timestamp: "2026-01-01T10:00:00.000Z" }),
        ...Array.from({ length: 5 }, (_, i) => draft(ALICE, `Later call ${i} about jazz.`, { timestamp: `2026-02-0${i + 1}T10:00:00.000Z` })),
        draft(BOB, "The caller's name is Bob.", { source: "caller_name" }),
      ]);
      await settle();

      const names = await store.list(ALICE, { source: "caller_name", limit: 3 });

      expect(names.map((m) => m.memory)).toEqual(["The caller's name is Alice."]);
      expect((await store.list(ALICE, { limit: 2 })).map((m) => m.memory)).toEqual(["Later call 4 about jazz.", "Later call 3 about jazz."]);
    });

    it("writes a re-delivered draft only once", async () => {
      const drafts = [draft(ALICE, "Is vegetarian.", { key: "conv_a:summary:0" }), draft(ALICE, "Sister uses a wheelchair.", { key: "conv_a:evaluation:0" })];

      const first = await store.add(drafts);
      const second = await store.add(drafts);
      await settle();

      expect(first).toEqual({ added: 2, skipped: 0 });
      expect(second).toEqual({ added: 0, skipped: 2 });
      expect(await store.count(ALICE)).toBe(2);
    });

    it("ranks the caller's memories by relevance, best first, with scores in 0..1", async () => {
      await store.add([
        draft(ALICE, "Prefers text messages to calls because she is usually in meetings."),
        draft(ALICE, "Booked a vegetarian dinner for five people on Saturday at seven thirty."),
        draft(ALICE, "Her sister uses a wheelchair, so venues must be step-free."),
      ]);
      await settle();

      const found = await store.search({ userId: ALICE, query: "vegetarian dinner booking", limit: 10 });

      expect(found.length).toBeGreaterThan(0);
      expect(found[0]?.memory).toContain("vegetarian dinner");
      for (const m of found) {
        expect(m.score).toBeGreaterThanOrEqual(0);
        expect(m.score).toBeLessThanOrEqual(1);
      }
      const scores = found.map((m) => m.score ?? -1);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it("never returns another caller's memories, even when they match better", async () => {
      await store.add([
        draft(ALICE, "Alice likes jazz."),
        draft(BOB, "Bob is allergic to peanuts. Peanuts peanuts peanuts."),
        draft(BOB, "Bob booked a peanut-free table."),
      ]);
      await settle();

      const aliceSearch = await store.search({ userId: ALICE, query: "peanuts allergy table", limit: 50 });
      const aliceList = await store.list(ALICE);

      expect(aliceSearch.every((m) => m.user_id === ALICE)).toBe(true);
      expect(aliceSearch.some((m) => m.memory.includes("Bob"))).toBe(false);
      expect(aliceList.map((m) => m.memory)).toEqual(["Alice likes jazz."]);
      expect(await store.count(ALICE)).toBe(1);
    });

    it("respects the limit and finds nothing for an unrelated query", async () => {
      await store.add(Array.from({ length: 12 }, (_, i) => draft(ALICE, `Order number ${i} was a pizza delivery.`)));
      await settle();

      expect(await store.search({ userId: ALICE, query: "pizza delivery", limit: 3 })).toHaveLength(3);
      expect(await store.search({ userId: ALICE, query: "pizza delivery", limit: 1 })).toHaveLength(1);
      expect(await store.search({ userId: ALICE, query: "helicopter", limit: 10 })).toEqual([]);
    });

    describe("search filters, applied by the store", () => {
      const texts = (found: readonly { memory: string }[]) => found.map((m) => m.memory).sort();

      it("narrows to one type of memory, still of the one caller", async () => {
        await store.add([
          draft(ALICE, "Booked a dinner table for Saturday.", { type: "factual" }),
          draft(ALICE, "We talked about the dinner on Saturday evening.", { type: "semantic" }),
          draft(BOB, "Bob booked a dinner table for Saturday.", { type: "factual" }),
        ]);
        await settle();

        const factual = await store.search({ userId: ALICE, query: "dinner Saturday", limit: 10, filters: { type: "factual" } });
        const semantic = await store.search({ userId: ALICE, query: "dinner Saturday", limit: 10, filters: { type: "semantic" } });

        expect(texts(factual)).toEqual(["Booked a dinner table for Saturday."]);
        expect(texts(semantic)).toEqual(["We talked about the dinner on Saturday evening."]);
      });

      it("narrows to one source", async () => {
        await store.add([
          draft(ALICE, "Summary: asked about the dinner booking.", { source: "summary" }),
          draft(ALICE, "Dinner booking party size: 5.", { source: "data_collection" }),
          draft(ALICE, "Remembered: the dinner booking includes her sister.", { source: "remember" }),
        ]);
        await settle();

        const collected = await store.search({ userId: ALICE, query: "dinner booking", limit: 10, filters: { source: "data_collection" } });
        const remembered = await store.search({ userId: ALICE, query: "dinner booking", limit: 10, filters: { source: "remember" } });
        const named = await store.search({ userId: ALICE, query: "dinner booking", limit: 10, filters: { source: "caller_name" } });

        expect(texts(collected)).toEqual(["Dinner booking party size: 5."]);
        expect(texts(remembered)).toEqual(["Remembered: the dinner booking includes her sister."]);
        expect(named).toEqual([]);
      });

      it("narrows to calls between two instants, both included, to the millisecond", async () => {
        await store.add([
          draft(ALICE, "Jazz night booking on the last day of February.", { timestamp: "2026-02-28T23:59:59.000Z" }),
          draft(ALICE, "Jazz night booking at the start of March.", { timestamp: "2026-03-01T00:00:00.000Z" }),
          draft(ALICE, "Jazz night booking at the end of March first.", { timestamp: "2026-03-01T23:59:59.000Z" }),
          draft(ALICE, "Jazz night booking on March second.", { timestamp: "2026-03-02T00:00:00.000Z" }),
          draft(ALICE, "Jazz night booking at noon on March third.", { timestamp: "2026-03-03T12:00:00.600Z" }),
        ]);
        await settle();
        const between = (since?: string, until?: string) =>
          store.search({ userId: ALICE, query: "jazz night booking", limit: 10, filters: { since, until } }).then(texts);

        expect(await between("2026-03-01T00:00:00.000Z", "2026-03-01T23:59:59.999Z")).toEqual([
          "Jazz night booking at the end of March first.",
          "Jazz night booking at the start of March.",
        ]);
        expect(await between("2026-03-02T00:00:00.000Z")).toEqual(["Jazz night booking at noon on March third.", "Jazz night booking on March second."]);
        expect(await between(undefined, "2026-02-28T23:59:59.000Z")).toEqual(["Jazz night booking on the last day of February."]);
        // Within one second: the bounds are exact, not rounded to the second.
        expect(await between("2026-03-03T12:00:00.500Z")).toEqual(["Jazz night booking at noon on March third."]);
        expect(await between("2026-03-03T00:00:00.000Z", "2026-03-03T12:00:00.500Z")).toEqual([]);
      });

      it("narrows to one call, and ANDs every filter given", async () => {
        await store.add([
          draft(ALICE, "Asked for a quiet table.", { conversationId: "conv_quiet_1" }),
          draft(ALICE, "Asked for a quiet room at the hotel.", { conversationId: "conv_quiet_2" }),
          draft(BOB, "Bob asked for a quiet table.", { conversationId: "conv_quiet_1" }),
        ]);
        await settle();

        const one = await store.search({ userId: ALICE, query: "quiet table room", limit: 10, filters: { conversationId: "conv_quiet_1" } });
        const none = await store.search({ userId: ALICE, query: "quiet table room", limit: 10, filters: { conversationId: "conv_quiet_2", type: "semantic" } });

        expect(texts(one)).toEqual(["Asked for a quiet table."]);
        expect(none).toEqual([]);
      });

      it("filters before the limit: two older factual memories under thirty newer semantic ones still come back", async () => {
        await store.add([
          draft(ALICE, "Garden party menu: vegetarian canapes.", { type: "factual", timestamp: "2026-01-05T10:00:00.000Z" }),
          draft(ALICE, "Garden party guest count: twelve.", { type: "factual", timestamp: "2026-01-06T10:00:00.000Z" }),
          ...Array.from({ length: 30 }, (_, i) =>
            draft(ALICE, `Garden party chat number ${i}.`, { type: "semantic", timestamp: new Date(Date.UTC(2026, 1, 1, 10, i)).toISOString() }),
          ),
        ]);
        await settle();
        const search = (filters?: { type?: "factual"; until?: string }) => store.search({ userId: ALICE, query: "garden party", limit: 5, filters });
        const factualPair = ["Garden party guest count: twelve.", "Garden party menu: vegetarian canapes."];

        // Unfiltered, the newer semantic memories fill the five places.
        expect((await search()).every((m) => m.metadata.type === "semantic")).toBe(true);
        expect(texts(await search({ type: "factual" }))).toEqual(factualPair);
        expect(texts(await search({ until: "2026-01-31T23:59:59.999Z" }))).toEqual(factualPair);
      });
    });

    it.each(['"', "*", "NEAR(", "pizza OR", "AND NOT", "-pizza", "col:pizza", "'; DROP TABLE memories; --", "((("])(
      "treats query syntax %j as plain text",
      async (query) => {
        await store.add([draft(ALICE, "Order was a pizza delivery.")]);
        await settle();

        const found = await store.search({ userId: ALICE, query, limit: 10 });

        expect(Array.isArray(found)).toBe(true);
        expect(found.every((m) => m.user_id === ALICE)).toBe(true);
        expect(await store.count(ALICE)).toBe(1);
      },
    );

    describe("fact versions", () => {
      const at = (day: number) => new Date(Date.UTC(2026, 2, day, 10)).toISOString();
      const moved = () => [
        draft(ALICE, "Home address: 12 Elm Street, Leeds", { source: "data_collection", factKey: "home_address", timestamp: at(1), conversationId: "conv_v1" }),
        draft(ALICE, "Home address: 4 Quay Road, Bristol", { source: "data_collection", factKey: "home_address", timestamp: at(9), conversationId: "conv_v2" }),
        draft(ALICE, "Prefers window tables", { source: "data_collection", factKey: "seating", timestamp: at(1), conversationId: "conv_v1" }),
      ];

      it("shows the newer fact with the same key and keeps the older one as history, in lists, counts and search", async () => {
        await store.add(moved());
        await settle();

        const current = await store.list(ALICE);
        const history = await store.list(ALICE, { history: true });
        const found = await store.search({ userId: ALICE, query: "home address street", limit: 10 });
        const foundWithHistory = await store.search({ userId: ALICE, query: "home address street", limit: 10, includeHistory: true });

        expect(current.map((m) => m.memory).sort()).toEqual(["Home address: 4 Quay Road, Bristol", "Prefers window tables"]);
        expect(await store.count(ALICE)).toBe(2);
        expect(found.map((m) => m.memory)).toEqual(["Home address: 4 Quay Road, Bristol"]);
        const newer = history.find((m) => m.memory.includes("Bristol"));
        const older = history.find((m) => m.memory.includes("Leeds"));
        expect(older?.metadata).toMatchObject({ fact_key: "home_address", conversation_id: "conv_v1", timestamp: at(1), superseded_by: newer?.id });
        expect(newer?.metadata.superseded_by).toBeUndefined();
        expect(foundWithHistory.map((m) => m.memory).sort()).toEqual(["Home address: 12 Elm Street, Leeds", "Home address: 4 Quay Road, Bristol"]);
      });

      it("judges by the call's time, not by arrival: an older fact stored later is history at once", async () => {
        const [older, newer] = moved();
        await store.add([newer as MemoryDraft]);
        await store.add([older as MemoryDraft]);
        await settle();

        expect((await store.list(ALICE, { factKey: "home_address" })).map((m) => m.memory)).toEqual(["Home address: 4 Quay Road, Bristol"]);
        expect((await store.list(ALICE, { factKey: "home_address", history: true })).map((m) => m.memory)).toEqual([
          "Home address: 4 Quay Road, Bristol",
          "Home address: 12 Elm Street, Leeds",
        ]);
      });

      it("keeps one caller's versions apart from another's, and erases every version on forget", async () => {
        await store.add([...moved(), draft(BOB, "Home address: 1 Mill Lane, York", { source: "data_collection", factKey: "home_address", timestamp: at(20) })]);
        await settle();

        expect((await store.list(ALICE, { factKey: "home_address" })).map((m) => m.memory)).toEqual(["Home address: 4 Quay Road, Bristol"]);
        expect((await store.list(BOB, { factKey: "home_address" })).map((m) => m.memory)).toEqual(["Home address: 1 Mill Lane, York"]);
        await store.forget(ALICE);
        await settle();
        expect(await store.list(ALICE, { history: true })).toEqual([]);
        expect(await store.count(BOB)).toBe(1);
      });
    });

    it("forgets one caller completely and nobody else", async () => {
      await store.add([draft(ALICE, "Alice likes jazz."), draft(ALICE, "Alice is vegetarian."), draft(BOB, "Bob likes jazz.")]);
      await settle();

      const removed = await store.forget(ALICE);
      await settle();

      expect(removed).toBe(2);
      expect(await store.count(ALICE)).toBe(0);
      expect(await store.list(ALICE)).toEqual([]);
      expect(await store.search({ userId: ALICE, query: "jazz", limit: 10 })).toEqual([]);
      expect((await store.list(BOB)).map((m) => m.memory)).toEqual(["Bob likes jazz."]);
    });

    it("removes only the chosen memories, and only the given caller's", async () => {
      await store.add([draft(ALICE, "Alice likes jazz."), draft(ALICE, "Alice is vegetarian."), draft(BOB, "Bob likes jazz.")]);
      await settle();
      const [jazz] = await store.list(ALICE).then((all) => all.filter((m) => m.memory === "Alice likes jazz."));
      const [bobs] = await store.list(BOB);

      const removed = await store.remove(ALICE, [jazz?.id ?? "", bobs?.id ?? "", "no-such-memory"]);
      await settle();

      expect(removed).toBe(1);
      expect((await store.list(ALICE)).map((m) => m.memory)).toEqual(["Alice is vegetarian."]);
      expect((await store.list(BOB)).map((m) => m.memory)).toEqual(["Bob likes jazz."]);
    });

    it("lists the memories of every caller from calls before a cutoff, and none from after it", async () => {
      await store.add([
        draft(ALICE, "Alice called in spring.", { timestamp: "2025-04-01T10:00:00.000Z" }),
        draft(BOB, "Bob called in summer.", { timestamp: "2025-07-01T10:00:00.000Z" }),
        draft(ALICE, "Alice called right at the cutoff.", { timestamp: "2025-09-01T00:00:00.000Z" }),
        draft(BOB, "Bob called in winter.", { timestamp: "2026-01-01T10:00:00.000Z" }),
      ]);
      await settle();

      const old = await store.listOlderThan("2025-09-01T00:00:00.000Z");

      expect(old.map((m) => [m.user_id, m.memory]).sort()).toEqual([
        [ALICE, "Alice called in spring."],
        [BOB, "Bob called in summer."],
      ]);
      expect(await store.listOlderThan("2020-01-01T00:00:00.000Z")).toEqual([]);
      // What a migration reads: every dated memory of every caller.
      expect((await store.listOlderThan(EVERY_DATED_MEMORY)).map((m) => m.memory).sort()).toEqual([
        "Alice called in spring.",
        "Alice called right at the cutoff.",
        "Bob called in summer.",
        "Bob called in winter.",
      ]);
    });

    it("lists every caller it holds memories for once, the neighbouring number apart, and nobody forgotten", async () => {
      const neighbour = "+155501001234" as CallerId;
      await store.add([draft(ALICE, "Alice called."), draft(ALICE, "Alice called again."), draft(BOB, "Bob called."), draft(neighbour, "The neighbour called.")]);
      await settle();
      await store.forget(BOB);

      const listed: CallerId[] = [];
      for await (const callerId of store.callers()) listed.push(callerId);

      expect(listed.sort()).toEqual([ALICE, neighbour].sort());
    });

    it("keeps the call's language and the fact's key with each memory, as stored", async () => {
      const spanish = draft(ALICE, "Preferencia de contacto: mensajes de texto", { source: "data_collection", factKey: "contact_preference" });
      await store.add([{ ...spanish, metadata: { ...spanish.metadata, language: "es" } }]);
      await settle();

      expect((await store.list(ALICE))[0]?.metadata).toMatchObject({ language: "es", fact_key: "contact_preference" });
    });

    it("keeps unicode text intact", async () => {
      await store.add([draft(ALICE, "Prefers José at the café — señal débil 📞.")]);
      await settle();

      const found = await store.search({ userId: ALICE, query: "café", limit: 5 });

      expect(found[0]?.memory).toBe("Prefers José at the café — señal débil 📞.");
    });
  });
}
