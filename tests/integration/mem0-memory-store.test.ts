import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMem0MemoryStore, type Mem0MemoryStore, type Mem0MemoryStoreOptions } from "../../adapters/outbound/mem0/mem0-memory-store";
import { DeadlineExceededError } from "../../application/deadline";
import type { CallerId } from "../../domain/caller-id";
import type { MemoryDraft } from "../../domain/memory";
import { describeMemoryStoreContract, draft } from "../contract/memory-store.contract";
import { startMem0StandIn, type Mem0StandIn, type RecordedRequest } from "../support/mem0-stand-in";
import { createMem0ContractValidator } from "../support/mem0-openapi";

// The client's state directory for this file: a temp dir, so nothing lands in ~/.mem0.
const MEM0_DIR = mkdtempSync(join(tmpdir(), "agentic-memory-mem0-dir-"));
process.env.MEM0_DIR = MEM0_DIR;

const ALICE = "+15550100123" as CallerId;
const BOB = "+15550100124" as CallerId;

/** A store on the real `mem0ai` client, once the client's constructor ping has reached the stand-in. */
async function storeOn(standIn: Mem0StandIn, options: Partial<Mem0MemoryStoreOptions> = {}): Promise<Mem0MemoryStore> {
  const store = await createMem0MemoryStore({ apiKey: standIn.apiKey, host: standIn.host, ...options });
  await vi.waitFor(() => expect(standIn.requests.some((r) => r.path === "/v1/ping/")).toBe(true));
  return store;
}

function semantic(userId: CallerId, turns: [string, string], key: string): MemoryDraft {
  return {
    ...draft(userId, `${turns[0]}\n${turns[1]}`, { type: "semantic", key }),
    messages: [
      { role: "user", content: turns[0] },
      { role: "assistant", content: turns[1] },
    ],
  };
}

/** The request `deleteUsers({ userId })` sends for one caller (the client percent-encodes the `+`). */
const entityPath = (callerId: CallerId): string => `/v2/entities/user/${encodeURIComponent(callerId)}/`;

const sent = (standIn: Mem0StandIn, method: string, path: string): RecordedRequest[] =>
  standIn.requests.filter((r) => r.method === method && r.path === path);
const bodyOf = (r: RecordedRequest | undefined): Record<string, unknown> => (r?.body ?? {}) as Record<string, unknown>;

const validator = await createMem0ContractValidator();

/** Every request the adapter sent and every answer the stand-in gave, checked against Mem0's OpenAPI document. */
function contractProblems(standIn: Mem0StandIn): string[] {
  return standIn.requests.flatMap((exchange) => validator.validateExchange(exchange).map((problem) => `${exchange.method} ${exchange.path}: ${problem}`));
}

describeMemoryStoreContract("Mem0 (real mem0ai client → stand-in over HTTP)", async () => {
  const standIn = await startMem0StandIn();
  const store = await createMem0MemoryStore({ apiKey: standIn.apiKey, host: standIn.host });
  return {
    store,
    settle: () => standIn.settle(),
    close: async () => {
      const problems = contractProblems(standIn);
      await standIn.close();
      if (problems.length > 0) throw new Error(`traffic outside Mem0's published API:\n${problems.join("\n")}`);
    },
  };
});

describe("Mem0 memory store: what goes over the wire", () => {
  let standIn: Mem0StandIn;
  let store: Mem0MemoryStore;
  beforeEach(async () => {
    standIn = await startMem0StandIn();
    store = await storeOn(standIn);
  });
  afterEach(async () => {
    await standIn.close();
  });

  it("searches one caller's current facts through filters.user_id with a clamped top_k and a threshold, never a top-level user_id", async () => {
    await store.add([draft(ALICE, "Booked a vegetarian dinner for five.")]);

    await store.search({ userId: ALICE, query: "vegetarian dinner", limit: 3 });
    await store.search({ userId: ALICE, query: "vegetarian dinner", limit: 500 });
    await store.search({ userId: ALICE, query: "vegetarian dinner", limit: 0 });

    const searches = sent(standIn, "POST", "/v3/memories/search/").map(bodyOf);
    expect(searches.map((b) => b.top_k)).toEqual([3, 50, 1]);
    for (const body of searches) {
      expect(body).toMatchObject({ query: "vegetarian dinner", filters: { user_id: ALICE }, threshold: 0.1, latest_only: true });
      expect(body).not.toHaveProperty("user_id");
      expect(body).not.toHaveProperty("userId");
    }
  });

  it("sends a search's filters to Mem0 with the caller's, ANDed: metadata equalities and created_at bounds (since to the second)", async () => {
    await store.search({
      userId: ALICE,
      query: "vegetarian dinner",
      limit: 5,
      filters: { type: "factual", source: "data_collection", conversationId: "conv_1", since: "2026-03-01T09:30:00.250Z", until: "2026-03-01T23:59:59.999Z" },
    });

    const [body] = sent(standIn, "POST", "/v3/memories/search/").map(bodyOf);
    expect(body).toMatchObject({
      top_k: 5,
      filters: {
        AND: [
          { user_id: ALICE },
          { metadata: { type: "factual" } },
          { metadata: { source: "data_collection" } },
          { metadata: { conversation_id: "conv_1" } },
          { created_at: { gte: "2026-03-01T09:30:00.000Z" } },
          { created_at: { lte: "2026-03-01T23:59:59.999Z" } },
        ],
      },
    });
    expect(contractProblems(standIn)).toEqual([]);
  });

  it("adds factual drafts verbatim and semantic drafts as turns, each with our metadata and key, dated by the call, to the caller alone", async () => {
    const fact = draft(ALICE, "Caller's name is Marisol.", { type: "factual", source: "caller_name", key: "conv_1:caller_name:0", timestamp: "2026-01-05T09:30:00.000Z" });
    const chunk = semantic(ALICE, ["I'm vegetarian, can you move it to Saturday?", "Noted, moved to Saturday."], "conv_1:conversation:0");

    const result = await store.add([fact, chunk]);

    expect(result).toEqual({ added: 2, skipped: 0 });
    const [factual, inferred] = sent(standIn, "POST", "/v3/memories/add/").map(bodyOf);
    expect(factual).toEqual({
      messages: [{ role: "user", content: "Caller's name is Marisol." }],
      user_id: ALICE,
      infer: false,
      metadata: { ...fact.metadata, draft_key: "conv_1:caller_name:0" },
      timestamp: Date.parse("2026-01-05T09:30:00.000Z") / 1000,
      observation_datetime: "2026-01-05T09:30:00.000Z",
      timezone: "UTC",
    });
    expect(inferred).toMatchObject({
      messages: [
        { role: "user", content: "I'm vegetarian, can you move it to Saturday?" },
        { role: "assistant", content: "Noted, moved to Saturday." },
      ],
      user_id: ALICE,
      infer: true,
      metadata: { ...chunk.metadata, draft_key: "conv_1:conversation:0" },
      // Mem0 reads "Saturday" against the day of the call, not the day it processes the add.
      observation_datetime: chunk.metadata.timestamp,
    });
    // No agent_id: Mem0 would give what the agent said to the agent, out of reach of the caller's reads and erasure.
    for (const body of [factual, inferred]) {
      expect(body).not.toHaveProperty("agent_id");
      expect(body).not.toHaveProperty("org_id");
      expect(body).not.toHaveProperty("project_id");
    }
    expect(standIn.memories().every((m) => m.user_id === ALICE)).toBe(true);
    const listed = await store.list(ALICE);
    expect(listed.map((m) => [m.memory, m.metadata.type])).toEqual(
      expect.arrayContaining([
        ["Caller's name is Marisol.", "factual"],
        ["I'm vegetarian, can you move it to Saturday?", "semantic"],
      ]),
    );
    expect(listed.every((m) => !("draft_key" in m.metadata))).toBe(true);
  });

  it("checks for drafts already written with one listing of that call's memories, not of the caller's history", async () => {
    standIn.seedMany(ALICE, 1_000, (i) => ({ text: `Older call ${i}.`, metadata: { type: "factual", source: "summary", conversation_id: `conv_old_${i}`, draft_key: `conv_old_${i}:summary:0` } }));
    const chunk = semantic(ALICE, ["Please book for Saturday at seven.", "Booked."], "conv_2:conversation:0");

    const first = await store.add([chunk, draft(ALICE, "Wants a window table.", { conversationId: chunk.metadata.conversation_id, key: "conv_2:summary:0" })]);
    const second = await store.add([chunk]);

    expect(first).toEqual({ added: 2, skipped: 0 });
    expect(second).toEqual({ added: 0, skipped: 1 });
    expect(sent(standIn, "POST", "/v3/memories/add/")).toHaveLength(2);
    const checks = sent(standIn, "POST", "/v3/memories/").map(bodyOf);
    expect(checks).toHaveLength(2);
    for (const body of checks) expect(body.filters).toEqual({ AND: [{ user_id: ALICE }, { metadata: { conversation_id: chunk.metadata.conversation_id } }] });
  });

  it("waits for queued adds to be processed, so the next listing and idempotency check see them", async () => {
    standIn.setProcessingMs(300);
    const drafts = [draft(ALICE, "Prefers text messages.", { key: "conv_3:summary:0" }), semantic(ALICE, ["I moved to Harbour Street.", "Updated."], "conv_3:conversation:0")];

    await store.add(drafts);
    const listed = await store.list(ALICE);
    const again = await store.add(drafts);

    expect(listed.map((m) => m.memory)).toContain("I moved to Harbour Street.");
    expect(again).toEqual({ added: 0, skipped: 2 });
    expect(standIn.requests.some((r) => r.method === "GET" && r.path.startsWith("/v1/event/"))).toBe(true);
  });

  it("fails the add when Mem0 reports the event failed, and a retry writes the draft exactly once", async () => {
    standIn.failNextEvents(1);
    const drafts = [semantic(ALICE, ["I'm vegetarian.", "Noted."], "conv_4:conversation:0")];

    await expect(store.add(drafts)).rejects.toMatchObject({ name: "Mem0EventFailedError" });
    const retried = await store.add(drafts);

    expect(retried).toEqual({ added: 1, skipped: 0 });
    expect((await store.list(ALICE)).map((m) => m.memory)).toContain("I'm vegetarian.");
  });

  it.each(["null", "absent", "mixed"] as const)("reads memories whose items carry user_id %s as the caller's, so a known caller is never greeted as new", async (shape) => {
    const call = { conversationId: "conv_shape" };
    await store.add([draft(ALICE, "Alice likes jazz.", { ...call, key: "k1" }), draft(ALICE, "Alice is vegetarian.", { ...call, key: "k2" }), draft(ALICE, "Alice has a dog.", { ...call, key: "k3" })]);
    standIn.setUserIdShape(shape);

    const listed = await store.list(ALICE, { limit: 10 });
    const found = await store.search({ userId: ALICE, query: "jazz", limit: 5 });
    const again = await store.add([draft(ALICE, "Alice likes jazz.", { ...call, key: "k1" })]);

    expect(listed.map((m) => m.memory).sort()).toEqual(["Alice has a dog.", "Alice is vegetarian.", "Alice likes jazz."]);
    expect(listed.every((m) => m.user_id === ALICE)).toBe(true);
    expect(found.map((m) => m.memory)).toEqual(["Alice likes jazz."]);
    expect(again).toEqual({ added: 0, skipped: 1 });
  });

  it("tells the agent current facts only: a fact Dream superseded is neither listed, counted nor searched, yet exported", async () => {
    const [lisbon] = [standIn.seed({ userId: ALICE, text: "Lives in Lisbon.", metadata: { type: "factual", source: "summary", timestamp: "2026-01-01T10:00:00.000Z" }, createdAt: "2026-01-01T10:00:00.000Z" })];
    const berlin = standIn.seed({ userId: ALICE, text: "Moved to Berlin.", metadata: { type: "factual", source: "summary", timestamp: "2026-03-01T10:00:00.000Z" }, createdAt: "2026-03-01T10:00:00.000Z" });
    standIn.supersede(lisbon.id, berlin.id);

    const listed = await store.list(ALICE, { limit: 10 });
    const found = await store.search({ userId: ALICE, query: "where does she live Lisbon Berlin", limit: 5 });
    const count = await store.count(ALICE);
    const history = await store.list(ALICE, { history: true });

    expect(listed.map((m) => m.memory)).toEqual(["Moved to Berlin."]);
    expect(found.map((m) => m.memory)).toEqual(["Moved to Berlin."]);
    expect(count).toBe(1);
    expect(history.map((m) => m.memory)).toEqual(["Moved to Berlin.", "Lives in Lisbon."]);
    for (const body of sent(standIn, "POST", "/v3/memories/").map(bodyOf).slice(0, 2)) expect(body.latest_only).toBe(true);
  });

  it("makes the same few requests for client-data's reads whether the caller has 20 memories or 5,000", async () => {
    const CAROL = "+15550100125" as CallerId;
    const memory = (i: number) => ({ text: `Call ${i} was about a booking.`, metadata: { type: "factual", source: i % 50 === 0 ? "caller_name" : "summary", timestamp: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() } });
    standIn.seedMany(ALICE, 20, memory);
    standIn.seedMany(CAROL, 5_000, memory);
    const reads = async (caller: CallerId) => {
      const before = standIn.requests.length;
      const [recent, names, count] = await Promise.all([store.list(caller, { limit: 10 }), store.list(caller, { source: "caller_name", limit: 5 }), store.count(caller)]);
      return { requests: standIn.requests.length - before, recent: recent.length, names: names.length, count };
    };

    const few = await reads(ALICE);
    const many = await reads(CAROL);

    expect(few).toEqual({ requests: 3, recent: 10, names: 1, count: 20 });
    expect(many).toEqual({ requests: 3, recent: 10, names: 5, count: 5_000 });
    const pages = sent(standIn, "POST", "/v3/memories/").map((r) => r.query.page_size);
    expect(pages).toEqual(expect.arrayContaining(["10", "5", "1"]));
  });

  it("forgets one caller: waits for Mem0's queued deletes of the memories and of the user entity, and refuses ids that could widen it", async () => {
    await store.add([draft(ALICE, "Alice likes jazz."), draft(ALICE, "Alice is vegetarian."), draft(BOB, "Bob likes jazz.")]);
    standIn.setProcessingMs(400);

    const removed = await store.forget(ALICE);
    const leftRightAfter = standIn.memories(ALICE).length;
    const usersRightAfter = standIn.users();
    await expect(store.forget("" as CallerId)).rejects.toThrow(TypeError);
    await expect(store.forget("*" as CallerId)).rejects.toThrow(TypeError);
    await expect(store.search({ userId: "*" as CallerId, query: "jazz", limit: 5 })).rejects.toThrow(TypeError);

    expect(removed).toBe(2);
    expect(leftRightAfter).toBe(0);
    expect(usersRightAfter).toEqual([BOB]);
    const deletes = standIn.requests.filter((r) => r.method === "DELETE").map((r) => ({ path: r.path, query: r.query }));
    expect(deletes).toEqual([
      { path: "/v1/memories/", query: { user_id: ALICE } },
      { path: entityPath(ALICE), query: {} },
    ]);
    expect(standIn.memories().map((m) => m.memory)).toEqual(["Bob likes jazz."]);
  });

  it("says the erasure is not done when Mem0's queued delete does not finish in time, and a later forget completes it", async () => {
    await store.add([draft(ALICE, "Alice likes jazz.")]);
    const impatient = await storeOn(standIn, { deleteWaitMs: 200 });
    standIn.setProcessingMs(2_000);

    const failed = await impatient.forget(ALICE).catch((error: unknown) => error);
    standIn.setProcessingMs(0);
    await standIn.settle();
    const retried = await store.forget(ALICE);

    expect(failed).toMatchObject({ name: "Mem0EventPendingError" });
    expect(retried).toBe(0);
    expect(standIn.memories(ALICE)).toEqual([]);
    expect(standIn.users()).toEqual([]);
  });

  it("removes the caller's user entity too, which outlives a delete of the memories, and keeps everyone else's", async () => {
    await store.add([draft(ALICE, "Alice likes jazz."), draft(BOB, "Bob likes jazz.")]);
    const before = standIn.users();

    await store.forget(ALICE);

    expect(before).toEqual([ALICE, BOB]);
    expect(standIn.memories(ALICE)).toEqual([]);
    expect(standIn.users()).toEqual([BOB]);
    expect((await store.list(BOB)).map((m) => m.memory)).toEqual(["Bob likes jazz."]);
  });

  it("forgets a caller Mem0 has no entity for (404) without an error, and again after a first erasure", async () => {
    await store.add([draft(BOB, "Bob likes jazz.")]);

    const never = await store.forget(ALICE);
    await store.add([draft(ALICE, "Alice likes jazz.")]);
    const first = await store.forget(ALICE);
    const again = await store.forget(ALICE);

    expect([never, first, again]).toEqual([0, 1, 0]);
    expect(sent(standIn, "DELETE", entityPath(ALICE))).toHaveLength(3);
    expect(standIn.users()).toEqual([BOB]);
  });

  it("fails the erasure when Mem0 fails to delete an entity that exists, and a retry removes it", async () => {
    await store.add([draft(ALICE, "Alice likes jazz.")]);
    standIn.failNext(500, 1, entityPath(ALICE));

    const failed = await store.forget(ALICE).catch((error: unknown) => error);
    const usersAfterFailure = standIn.users();
    await store.forget(ALICE);

    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toContain("500");
    expect(usersAfterFailure).toEqual([ALICE]);
    expect(standIn.users()).toEqual([]);
  });

  it("drops another caller's memories when Mem0 wrongly returns them and they name their owner", async () => {
    await store.add([draft(ALICE, "Alice likes jazz."), draft(BOB, "Bob likes jazz and peanuts.")]);
    standIn.setUserIdShape("present");
    standIn.ignoreUserFilter(true);

    const found = await store.search({ userId: ALICE, query: "jazz peanuts", limit: 10 });
    const listed = await store.list(ALICE);

    expect(standIn.memories()).toHaveLength(2);
    expect(found.map((m) => m.memory)).toEqual(["Alice likes jazz."]);
    expect(listed.map((m) => m.memory)).toEqual(["Alice likes jazz."]);
  });

  it("finds retention candidates with a created_at filter per caller, and only callers' entities", async () => {
    standIn.seed({ userId: ALICE, text: "Old booking.", metadata: { type: "factual", source: "summary", timestamp: "2025-01-01T10:00:00.000Z" }, createdAt: "2025-01-01T10:00:00.000Z" });
    standIn.seed({ userId: ALICE, text: "New booking.", metadata: { type: "factual", source: "summary", timestamp: "2026-06-01T10:00:00.000Z" }, createdAt: "2026-06-01T10:00:00.000Z" });
    standIn.seed({ userId: "support-bot", text: "Another app's note.", createdAt: "2024-01-01T10:00:00.000Z" });

    const old = await store.listOlderThan("2026-01-01T00:00:00.000Z");

    expect(old.map((m) => m.memory)).toEqual(["Old booking."]);
    const listings = sent(standIn, "POST", "/v3/memories/").map(bodyOf);
    expect(listings).toEqual([expect.objectContaining({ filters: { AND: [{ user_id: ALICE }, { created_at: { lt: "2026-01-01T00:00:00.000Z" } }] } })]);
  });

  it("gives memories Mem0 made on its own neutral metadata: semantic, from the conversation, dated by Mem0", async () => {
    standIn.seed({ userId: ALICE, text: "Enjoys live jazz on Fridays.", metadata: null, createdAt: "2026-02-01T08:00:00.000Z" });

    const [memory] = await store.list(ALICE);

    expect(memory).toMatchObject({
      memory: "Enjoys live jazz on Fridays.",
      user_id: ALICE,
      metadata: { type: "semantic", source: "conversation", agent_id: "", timestamp: "2026-02-01T08:00:00.000Z", call_duration: null, conversation_id: "" },
    });
  });

  it("reports what smoke checks: current facts, history and the user entity", async () => {
    await store.add([draft(ALICE, "Alice likes jazz.")]);

    const before = await store.inspect(ALICE);
    await store.forget(ALICE);
    const after = await store.inspect(ALICE);

    expect(before).toEqual({ current: 1, withHistory: 1, entity: true });
    expect(after).toEqual({ current: 0, withHistory: 0, entity: false });
  });

  afterEach(() => {
    expect(contractProblems(standIn)).toEqual([]);
  });
});

describe("Mem0 memory store: the client stays private", () => {
  it("sends no telemetry and never calls the global fetch: every request goes to Mem0 over node:http, and nothing lands in its state directory", async () => {
    // mem0ai's telemetry would go through fetch, and so did every Mem0 call before: any use of it now is a failure.
    const fetched: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input: string | URL | Request) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      return Promise.reject(new Error("the global fetch must not be used"));
    };
    const standIn = await startMem0StandIn();
    try {
      const store = await storeOn(standIn);
      standIn.setProcessingMs(200);

      const added = await store.add([draft(ALICE, "Alice likes jazz."), semantic(ALICE, ["I love jazz.", "Great!"], "conv_t:conversation:0")]);
      const found = await store.search({ userId: ALICE, query: "jazz", limit: 5 });
      const listed = await store.list(ALICE);
      const forgotten = await store.forget(ALICE);
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(added).toEqual({ added: 2, skipped: 0 });
      expect(found.map((m) => m.memory).sort()).toEqual(["Alice likes jazz.", "I love jazz."]);
      // The stand-in extracts each turn as a memory: the fact, "I love jazz." and "Great!".
      expect(listed).toHaveLength(3);
      expect(forgotten).toBe(3);
      expect([standIn.memories(ALICE), standIn.users()]).toEqual([[], []]);
      expect(process.env.MEM0_TELEMETRY).toBe("false");
      expect(fetched).toEqual([]);
      expect(standIn.requests.find((r) => r.path === "/v1/ping/")?.response?.status).toBe(200);
      const paths = new Set(standIn.requests.map((r) => r.path.replace(/^\/v1\/event\/[^/]+\/$/, "/v1/event/{id}/")));
      expect([...paths].sort()).toEqual([
        "/v1/event/{id}/",
        "/v1/memories/",
        "/v1/ping/",
        "/v2/entities/user/%2B15550100123/",
        "/v3/memories/",
        "/v3/memories/add/",
        "/v3/memories/search/",
      ]);
      expect(readdirSync(MEM0_DIR)).toEqual([]);
    } finally {
      globalThis.fetch = realFetch;
      await standIn.close();
    }
  });

  it("puts the client's state directory under the temp dir when none is configured (Lambda: /tmp/.mem0)", async () => {
    const standIn = await startMem0StandIn();
    delete process.env.MEM0_DIR;
    try {
      await storeOn(standIn);

      expect(process.env.MEM0_DIR).toBe(join(tmpdir(), ".mem0"));
    } finally {
      process.env.MEM0_DIR = MEM0_DIR;
      await standIn.close();
    }
  });
});

describe("Mem0 memory store: when Mem0 fails or hangs", () => {
  const DEADLINE_MS = 300;
  let standIn: Mem0StandIn;
  let store: Mem0MemoryStore;
  beforeEach(async () => {
    standIn = await startMem0StandIn();
    store = await storeOn(standIn, { deadlineMs: DEADLINE_MS, eventWaitMs: 1000 });
    await store.add([draft(ALICE, "Alice likes jazz.")]);
  });
  afterEach(async () => {
    await standIn.close();
  });

  const operations: [string, (s: Mem0MemoryStore) => Promise<unknown>][] = [
    ["search", (s) => s.search({ userId: ALICE, query: "jazz", limit: 5 })],
    ["list", (s) => s.list(ALICE)],
    ["count", (s) => s.count(ALICE)],
    ["add", (s) => s.add([draft(ALICE, "Alice is vegetarian.")])],
    ["forget", (s) => s.forget(ALICE)],
  ];

  describe.each([
    [500, "MemoryError"],
    [429, "RateLimitError"],
  ] as const)("Mem0 answering %i (%s)", (status, errorName) => {
    it.each(operations)("%s rejects, and the next call works again", async (_name, operation) => {
      standIn.failNext(status, 1);

      await expect(operation(store)).rejects.toMatchObject({ name: errorName });
      await expect(operation(store)).resolves.toBeDefined();
    });
  });

  it.each(operations)("%s rejects within its deadline when Mem0 hangs", async (_name, operation) => {
    standIn.setDelay(5000);
    const started = performance.now();

    await expect(operation(store)).rejects.toBeInstanceOf(DeadlineExceededError);

    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
    expect(elapsed).toBeLessThan(1500);
  });
});
