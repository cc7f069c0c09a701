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

describeMemoryStoreContract("Mem0 (real mem0ai client → stand-in over HTTP)", async () => {
  const standIn = await startMem0StandIn();
  const store = await createMem0MemoryStore({ apiKey: standIn.apiKey, host: standIn.host });
  return { store, close: () => standIn.close() };
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

  it("searches one caller through filters.user_id with a clamped top_k and a threshold, never a top-level user_id", async () => {
    await store.add([draft(ALICE, "Booked a vegetarian dinner for five.")]);

    await store.search({ userId: ALICE, query: "vegetarian dinner", limit: 3 });
    await store.search({ userId: ALICE, query: "vegetarian dinner", limit: 500 });
    await store.search({ userId: ALICE, query: "vegetarian dinner", limit: 0 });

    const searches = sent(standIn, "POST", "/v3/memories/search/").map(bodyOf);
    expect(searches.map((b) => b.top_k)).toEqual([3, 50, 1]);
    for (const body of searches) {
      expect(body).toMatchObject({ query: "vegetarian dinner", filters: { user_id: ALICE }, threshold: 0.1 });
      expect(body).not.toHaveProperty("user_id");
      expect(body).not.toHaveProperty("userId");
    }
    const listings = sent(standIn, "POST", "/v3/memories/").map(bodyOf);
    expect(listings.length).toBeGreaterThan(0);
    for (const body of listings) expect(body).toEqual({ filters: { user_id: ALICE } });
  });

  it("adds factual drafts verbatim and semantic drafts as the turns Mem0 learns from, each with our metadata and key", async () => {
    const fact = draft(ALICE, "Caller's name is Marisol.", { type: "factual", source: "caller_name", key: "conv_1:caller_name:0", timestamp: "2026-01-05T09:30:00.000Z" });
    const chunk = semantic(ALICE, ["I'm vegetarian and my sister uses a wheelchair.", "Noted, I'll find a step-free venue."], "conv_1:conversation:0");

    const result = await store.add([fact, chunk]);

    expect(result).toEqual({ added: 2, skipped: 0 });
    const [factual, inferred] = sent(standIn, "POST", "/v3/memories/add/").map(bodyOf);
    expect(factual).toEqual({
      messages: [{ role: "user", content: "Caller's name is Marisol." }],
      user_id: ALICE,
      infer: false,
      metadata: { ...fact.metadata, draft_key: "conv_1:caller_name:0" },
      timestamp: Date.parse("2026-01-05T09:30:00.000Z") / 1000,
    });
    expect(inferred).toMatchObject({
      messages: [
        { role: "user", content: "I'm vegetarian and my sister uses a wheelchair." },
        { role: "assistant", content: "Noted, I'll find a step-free venue." },
      ],
      user_id: ALICE,
      infer: true,
      metadata: { ...chunk.metadata, draft_key: "conv_1:conversation:0" },
    });
    const listed = await store.list(ALICE);
    expect(listed.map((m) => [m.memory, m.metadata.type])).toEqual(
      expect.arrayContaining([
        ["Caller's name is Marisol.", "factual"],
        ["I'm vegetarian and my sister uses a wheelchair.", "semantic"],
      ]),
    );
    expect(listed.every((m) => !("draft_key" in m.metadata))).toBe(true);
  });

  it("skips a re-delivered semantic draft once Mem0 has extracted a memory from it", async () => {
    const chunk = semantic(ALICE, ["Please book for Saturday at seven.", "Booked."], "conv_2:conversation:0");

    const first = await store.add([chunk]);
    const second = await store.add([chunk]);

    expect(first).toEqual({ added: 1, skipped: 0 });
    expect(second).toEqual({ added: 0, skipped: 1 });
    expect(sent(standIn, "POST", "/v3/memories/add/")).toHaveLength(1);
    expect(await store.count(ALICE)).toBe(1);
  });

  it("waits for queued adds to be processed, so the next listing and idempotency check see them", async () => {
    standIn.setProcessingMs(300);
    const drafts = [draft(ALICE, "Prefers text messages.", { key: "conv_3:summary:0" })];

    await store.add(drafts);
    const listed = await store.list(ALICE);
    const again = await store.add(drafts);

    expect(listed.map((m) => m.memory)).toEqual(["Prefers text messages."]);
    expect(again).toEqual({ added: 0, skipped: 1 });
    expect(standIn.requests.some((r) => r.method === "GET" && r.path.startsWith("/v1/event/"))).toBe(true);
  });

  it("fails the add when Mem0 reports the event failed, and a retry writes the draft exactly once", async () => {
    standIn.failNextEvents(1);
    const drafts = [draft(ALICE, "Is vegetarian.", { key: "conv_4:summary:0" })];

    await expect(store.add(drafts)).rejects.toMatchObject({ name: "Mem0AddFailedError" });
    const retried = await store.add(drafts);

    expect(retried).toEqual({ added: 1, skipped: 0 });
    expect((await store.list(ALICE)).map((m) => m.memory)).toEqual(["Is vegetarian."]);
  });

  it("forgets one caller with deletes naming that caller, and refuses ids that could widen it", async () => {
    await store.add([draft(ALICE, "Alice likes jazz."), draft(ALICE, "Alice is vegetarian."), draft(BOB, "Bob likes jazz.")]);

    const removed = await store.forget(ALICE);
    await expect(store.forget("" as CallerId)).rejects.toThrow(TypeError);
    await expect(store.forget("*" as CallerId)).rejects.toThrow(TypeError);
    await expect(store.search({ userId: "*" as CallerId, query: "jazz", limit: 5 })).rejects.toThrow(TypeError);

    expect(removed).toBe(2);
    const deletes = standIn.requests.filter((r) => r.method === "DELETE");
    expect(deletes).toEqual([
      { method: "DELETE", path: "/v1/memories/", query: { user_id: ALICE }, body: undefined },
      { method: "DELETE", path: entityPath(ALICE), query: {}, body: undefined },
    ]);
    expect(standIn.memories().map((m) => m.memory)).toEqual(["Bob likes jazz."]);
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
    expect((failed as Error).message).toContain(ALICE);
    expect(usersAfterFailure).toEqual([ALICE]);
    expect(standIn.users()).toEqual([]);
  });

  it("drops another caller's memories even when Mem0 wrongly returns them", async () => {
    await store.add([draft(ALICE, "Alice likes jazz."), draft(BOB, "Bob likes jazz and peanuts.")]);
    standIn.ignoreUserFilter(true);

    const found = await store.search({ userId: ALICE, query: "jazz peanuts", limit: 10 });
    const listed = await store.list(ALICE);

    expect(standIn.memories()).toHaveLength(2);
    expect(found.map((m) => m.memory)).toEqual(["Alice likes jazz."]);
    expect(listed.map((m) => m.memory)).toEqual(["Alice likes jazz."]);
    expect(await store.count(ALICE)).toBe(1);
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

  it("forwards the configured organisation and project, and surfaces Mem0 refusing them", async () => {
    const scoped = await storeOn(standIn, { orgId: standIn.orgId, projectId: standIn.projectId });
    const foreign = await storeOn(standIn, { orgId: "org_other", projectId: "proj_other" });

    await scoped.add([draft(ALICE, "Alice likes jazz.")]);
    await scoped.search({ userId: ALICE, query: "jazz", limit: 5 });
    await scoped.forget(ALICE);

    const scope = { org_id: standIn.orgId, project_id: standIn.projectId };
    // The client's deleteUsers has no way to send a scope: that one request goes without it.
    const unscoped = (r: RecordedRequest) => r.path === "/v1/ping/" || r.path.startsWith("/v1/event/") || r.path === entityPath(ALICE);
    const memoryCalls = standIn.requests.filter((r) => !unscoped(r));
    expect(memoryCalls.map((r) => `${r.method} ${r.path}`)).toContain("DELETE /v1/memories/");
    for (const r of memoryCalls) expect(r.method === "DELETE" ? r.query : r.body).toMatchObject(scope);
    expect(sent(standIn, "DELETE", entityPath(ALICE))).toHaveLength(1);
    await expect(foreign.search({ userId: ALICE, query: "jazz", limit: 5 })).rejects.toMatchObject({ name: "AuthenticationError" });
  });
});

describe("Mem0 memory store: the client stays private", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("sends no telemetry, contacts no host but Mem0's, and writes nothing to its state directory", async () => {
    const fetches = vi.spyOn(globalThis, "fetch");
    const standIn = await startMem0StandIn();
    try {
      const store = await storeOn(standIn);

      await store.add([draft(ALICE, "Alice likes jazz."), semantic(ALICE, ["I love jazz.", "Great!"], "conv_t:conversation:0")]);
      await store.search({ userId: ALICE, query: "jazz", limit: 5 });
      await store.list(ALICE);
      await store.forget(ALICE);
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(process.env.MEM0_TELEMETRY).toBe("false");
      const urls = fetches.mock.calls.map(([input]) => String(input instanceof Request ? input.url : input));
      expect(urls.length).toBeGreaterThan(0);
      expect(urls.filter((u) => !u.startsWith(`${standIn.host}/`))).toEqual([]);
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
