import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddMemoryOptions, GetAllMemoryOptions, MemoryClient as Mem0Client, SearchMemoryOptions } from "mem0ai";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMem0ContractValidator, type Mem0ContractValidator, type RecordedExchange } from "../support/mem0-openapi";
import { startMem0StandIn, type Mem0StandIn } from "../support/mem0-stand-in";

// mem0ai reads these once, at import: no telemetry, and its state directory in a temp dir.
process.env.MEM0_TELEMETRY = "false";
process.env.MEM0_DIR = mkdtempSync(join(tmpdir(), "mem0-contract-dir-"));
const { MemoryClient } = await import("mem0ai");

/**
 * The Mem0 stand-in, driven by the real `mem0ai` client (and raw fetch where the client has no method),
 * checked exchange by exchange against Mem0's published OpenAPI document. If the stand-in drifts from
 * the document (or the document changes), these go red; the last block shows the check can.
 */

type Json = Record<string, unknown>;
type Envelope = { count: number; next: string | null; previous: string | null; results: Json[] };

const ALICE = "+15550100001";
const BOB = "+15550100002";
const AGENT = "voice_agent";

let validator: Mem0ContractValidator;
let standIn: Mem0StandIn;
let client: Mem0Client;

beforeAll(async () => {
  validator = await createMem0ContractValidator();
});

beforeEach(async () => {
  standIn = await startMem0StandIn();
  client = new MemoryClient({ apiKey: standIn.apiKey, host: standIn.host });
  await until(() => standIn.requests.some((r) => r.path === "/v1/ping/" && r.response !== undefined));
});

afterEach(async () => {
  await standIn.close();
});

/**
 * Every recorded exchange conforms to the document: every response always; every request too, except
 * the problems a test provoked on purpose, each of which must show up.
 */
function expectConforming(provoked: RegExp[] = []): void {
  const exchanges = standIn.requests;
  expect(exchanges.length).toBeGreaterThan(1);
  expect(exchanges.filter((e) => e.response === undefined)).toEqual([]);
  expect(exchanges.flatMap((e) => validator.validateResponse(e))).toEqual([]);
  const requestProblems = exchanges.flatMap((e) => validator.validateRequest(e));
  expect(requestProblems.filter((p) => !provoked.some((re) => re.test(p)))).toEqual([]);
  for (const re of provoked) expect(requestProblems.some((p) => re.test(p)), `a request problem matching ${re}`).toBe(true);
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${standIn.host}${path}`, {
    method,
    headers: { Authorization: `Token ${standIn.apiKey}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

/** Poll `GET /v1/event/{id}/` until the event is done; the distinct statuses seen, in order. */
async function watchEvent(eventId: string): Promise<{ statuses: string[]; event: Json }> {
  const statuses: string[] = [];
  const deadline = Date.now() + 5_000;
  for (;;) {
    const { status, body } = await call("GET", `/v1/event/${eventId}/`);
    expect(status).toBe(200);
    if (statuses.at(-1) !== body.status) statuses.push(String(body.status));
    if (body.status === "SUCCEEDED" || body.status === "FAILED") return { statuses, event: body };
    if (Date.now() > deadline) throw new Error(`event ${eventId} still ${String(body.status)}`);
    await sleep(10);
  }
}

async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(5);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const lastResponse = (path: string): Json => standIn.requests.filter((r) => r.path === path).at(-1)?.response?.body as Json;
const texts = (items: readonly Json[]) => items.map((m) => m.memory);
const list = async (options: GetAllMemoryOptions & Json) => (await client.getAll(options)) as unknown as Envelope;
const find = async (query: string, options: SearchMemoryOptions & Json) => (await client.search(query, options)) as unknown as { results: Json[] };
const addTo = async (messages: { role: "user" | "assistant" | "system"; content: string }[], options: AddMemoryOptions & Json) =>
  // mem0ai types roles as user | assistant, but the API (and its document) takes system messages too.
  (await client.add(messages as Parameters<Mem0Client["add"]>[0], options)) as unknown as Json;
const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe("Mem0 stand-in: adds", () => {
  it("queues an inferred add: PENDING at top level, then PENDING → RUNNING → SUCCEEDED, and the facts are listable", async () => {
    standIn.setProcessingMs(400);
    const answer = await addTo(
      [
        { role: "user", content: "I moved to Lisbon last spring." },
        { role: "assistant", content: "Noted, you live in Lisbon now." },
        { role: "system", content: "Be brief." },
      ],
      {
        userId: ALICE,
        metadata: { source: "call", conversation_id: "conv_1" },
        timestamp: 1_767_225_600,
        observationDatetime: "2026-01-01T00:00:00.000Z",
        timezone: "UTC",
      },
    );

    expect(answer).toEqual({ eventId: expect.any(String), status: "PENDING" });
    expect(lastResponse("/v3/memories/add/")).toEqual({ event_id: answer.eventId, status: "PENDING" });
    expect(standIn.memories()).toEqual([]);
    expect(standIn.users()).toEqual([]);

    const { statuses, event } = await watchEvent(String(answer.eventId));

    expect(statuses).toEqual(["PENDING", "RUNNING", "SUCCEEDED"]);
    expect(event).toMatchObject({ id: answer.eventId, event_type: "ADD", status: "SUCCEEDED", payload: { user_id: ALICE } });
    expect(event.results).toHaveLength(2);
    expect(standIn.users()).toEqual([ALICE]);
    // Without an agent_id, what the assistant said is the user's too; system messages are not memories.
    expect(standIn.memories(ALICE)).toMatchObject([
      { memory: "I moved to Lisbon last spring.", user_id: ALICE, agent_id: null, origin: "extraction" },
      { memory: "Noted, you live in Lisbon now.", user_id: ALICE, agent_id: null, origin: "extraction" },
    ]);
    for (const m of standIn.memories(ALICE)) {
      expect(m).toMatchObject({
        metadata: { source: "call", conversation_id: "conv_1" },
        created_at: "2026-01-01T00:00:00.000Z",
        observedAt: "2026-01-01T00:00:00.000Z",
        timezone: "UTC",
      });
    }
    const listed = await list({ filters: { user_id: ALICE } });
    expect(listed).toMatchObject({ count: 2, next: null, previous: null });
    expect(texts(listed.results).sort()).toEqual(["I moved to Lisbon last spring.", "Noted, you live in Lisbon now."]);
    expectConforming();
  });

  it("processes right after answering when processing time is 0, still answering PENDING", async () => {
    const answer = await addTo([{ role: "user", content: "Prefers text messages." }], { userId: ALICE });

    expect(answer.status).toBe("PENDING");
    expect(standIn.memories(ALICE).map((m) => m.memory)).toEqual(["Prefers text messages."]);
    expect((await watchEvent(String(answer.eventId))).statuses).toEqual(["SUCCEEDED"]);
    expectConforming();
  });

  it("attributes an assistant's fact to the agent (user_id null) only when the add names an agent", async () => {
    await addTo(
      [
        { role: "user", content: "I am allergic to peanuts." },
        { role: "assistant", content: "I booked your table for Friday." },
      ],
      { userId: ALICE, agentId: AGENT, runId: "call_1" },
    );

    expect(standIn.memories()).toMatchObject([
      { memory: "I am allergic to peanuts.", user_id: ALICE, agent_id: null, run_id: "call_1" },
      { memory: "I booked your table for Friday.", user_id: null, agent_id: AGENT, run_id: "call_1" },
    ]);
    expect(texts((await list({ filters: { user_id: ALICE } })).results)).toEqual(["I am allergic to peanuts."]);
    expect((await list({ filters: { AND: [{ user_id: ALICE }, { agent_id: AGENT }] } })).count).toBe(0);
    expect((await list({ filters: { OR: [{ user_id: ALICE }, { agent_id: AGENT }] } })).count).toBe(2);
    expect((await client.users()).results.map((e) => [e.type, e.name])).toEqual([
      ["user", ALICE],
      ["agent", AGENT],
      ["run", "call_1"],
    ]);
    expectConforming();
  });

  it("skips a fact the user already has (Merge dedupes)", async () => {
    await addTo([{ role: "user", content: "Is vegetarian." }], { userId: ALICE });
    await addTo([{ role: "user", content: "Is vegetarian." }], { userId: ALICE });
    await addTo([{ role: "user", content: "Is vegetarian." }], { userId: BOB });

    expect(standIn.memories(ALICE)).toHaveLength(1);
    expect(standIn.memories(BOB)).toHaveLength(1);
    expectConforming();
  });

  it("imports directly with infer: false: synchronous SUCCEEDED with results, verbatim, exact repeats deduped", async () => {
    const messages = [
      { role: "user" as const, content: "Alice loves playing badminton" },
      { role: "assistant" as const, content: "That's great! Alice is a fitness freak" },
      { role: "system" as const, content: "ignored" },
    ];
    const first = await addTo(messages, { userId: ALICE, agentId: AGENT, infer: false });
    const again = await addTo(messages, { userId: ALICE, agentId: AGENT, infer: false });

    const sent = lastResponse("/v3/memories/add/");
    expect(sent).toMatchObject({ message: expect.any(String), status: "SUCCEEDED", event_id: expect.any(String), results: [] });
    expect(first).toMatchObject({ status: "SUCCEEDED", results: [{ event: "ADD", data: { memory: messages[0]?.content } }, { event: "ADD", data: { memory: messages[1]?.content } }] });
    expect(again.results).toEqual([]);
    // Direct import writes both ids on each record, so an AND of user and agent finds them.
    expect((await list({ filters: { AND: [{ user_id: ALICE }, { agent_id: AGENT }] } })).count).toBe(2);
    expect(standIn.memories().map((m) => m.origin)).toEqual(["direct-import", "direct-import"]);
    expect((await watchEvent(String(first.eventId))).event).toMatchObject({ status: "SUCCEEDED", event_type: "ADD" });
    expectConforming();
  });

  it("ends an event FAILED when told to, storing nothing and making no entity", async () => {
    standIn.failNextEvents(1);
    const answer = await addTo([{ role: "user", content: "Is vegetarian." }], { userId: ALICE });

    const { statuses, event } = await watchEvent(String(answer.eventId));
    expect(statuses).toEqual(["FAILED"]);
    expect(event.error).toEqual(expect.any(String));
    expect(standIn.memories()).toEqual([]);
    expect(standIn.users()).toEqual([]);
    expectConforming();
  });

  it("refuses an add without an entity id, with a bad role, or with org_id / project_id (400)", async () => {
    await expect(addTo([{ role: "user", content: "x" }], {})).rejects.toThrow();
    await expect(addTo([{ role: "user", content: "x" }], { userId: ALICE, orgId: "org_1", projectId: "proj_1" })).rejects.toThrow();
    const badRole = await call("POST", "/v3/memories/add/", { messages: [{ role: "robot", content: "x" }], user_id: ALICE });

    expect(badRole.status).toBe(400);
    expect(standIn.requests.filter((r) => r.path === "/v3/memories/add/").map((r) => r.response?.status)).toEqual([400, 400, 400]);
    expect(standIn.memories()).toEqual([]);
    expectConforming([/body field 'org_id' is not declared/, /body field 'project_id' is not declared/, /body\.messages\[0\]\.role must be equal to one of the allowed values/]);
  });

  it("answers 404 for an unknown event", async () => {
    const { status, body } = await call("GET", "/v1/event/2c4d1f44-4f7b-4b2f-9f6e-7b5b4f5a1234/");

    expect(status).toBe(404);
    expect(body.error).toEqual(expect.any(String));
    expectConforming();
  });
});

describe("Mem0 stand-in: listing", () => {
  it("always answers the paged envelope, newest first, with absolute next / previous links", async () => {
    const seeded = standIn.seedMany(ALICE, 250);

    const first = await list({ filters: { user_id: ALICE } });
    const second = await list({ filters: { user_id: ALICE }, page: 2, pageSize: 100 });
    const last = await list({ filters: { user_id: ALICE }, page: 3, pageSize: 100 });

    expect(first).toMatchObject({ count: 250, next: `${standIn.host}/v3/memories/?page=2&page_size=100`, previous: null });
    expect(first.results).toHaveLength(100);
    expect(first.results[0]?.id).toBe(seeded.at(-1)?.id);
    expect(second).toMatchObject({ next: `${standIn.host}/v3/memories/?page=3&page_size=100`, previous: `${standIn.host}/v3/memories/?page=1&page_size=100` });
    expect(second.results[0]?.id).toBe(seeded[149]?.id);
    expect(last).toMatchObject({ next: null, previous: `${standIn.host}/v3/memories/?page=2&page_size=100` });
    expect(last.results).toHaveLength(50);
    expect((await list({ filters: { user_id: BOB } })).results).toEqual([]);
    expectConforming();
  });

  it("puts ties on created_at last-stored first, names the run session_id, and shows every documented field", async () => {
    const at = "2026-01-01T00:00:00.000Z";
    standIn.seed({ userId: ALICE, text: "first", createdAt: at, runId: "call_1" });
    standIn.seed({ userId: ALICE, text: "second", createdAt: at });
    standIn.setUserIdShape("present");

    const { results } = await list({ filters: { user_id: ALICE } });
    const raw = (lastResponse("/v3/memories/") as Envelope).results;

    expect(texts(results)).toEqual(["second", "first"]);
    expect(Object.keys(raw[1] ?? {}).sort()).toEqual(
      ["agent_id", "app_id", "categories", "created_at", "expiration_date", "id", "memory", "metadata", "replaced_by", "session_id", "synthesized", "updated_at", "user_id"].sort(),
    );
    expect(raw[1]).toMatchObject({ session_id: "call_1", user_id: ALICE, replaced_by: null, synthesized: false });
    expectConforming();
  });

  it("takes page and page_size from the body too, the query winning, and refuses page_size over 200", async () => {
    standIn.seedMany(ALICE, 12);

    const fromBody = await call("POST", "/v3/memories/", { filters: { user_id: ALICE }, page: 2, page_size: 5 });
    const queryWins = await call("POST", "/v3/memories/?page_size=3", { filters: { user_id: ALICE }, page_size: 5 });
    const tooBig = await call("POST", "/v3/memories/?page=1&page_size=201", { filters: { user_id: ALICE } });

    expect(fromBody.body).toMatchObject({ count: 12, next: `${standIn.host}/v3/memories/?page=3&page_size=5` });
    expect(fromBody.body.results).toHaveLength(5);
    expect(queryWins.body.results).toHaveLength(3);
    expect(tooBig.status).toBe(400);
    expectConforming([/query parameter page_size must be <= 200/]);
  });

  it("shows user_id present, null and absent in turn by default, and as told by setUserIdShape", async () => {
    standIn.seedMany(ALICE, 3);
    standIn.seed({ userId: null, agentId: AGENT, text: "agent fact" });
    const shapes = async () =>
      ((await call("POST", "/v3/memories/", { filters: { OR: [{ user_id: ALICE }, { agent_id: AGENT }] } })).body.results as Json[]).map((m) =>
        "user_id" in m ? m.user_id : "absent",
      );

    const mixed = await shapes();
    standIn.setUserIdShape("present");
    const present = await shapes();
    standIn.setUserIdShape("null");
    const asNull = await shapes();
    standIn.setUserIdShape("absent");
    const absent = await shapes();
    const searched = await call("POST", "/v3/memories/search/", { query: "memory", filters: { user_id: ALICE } });

    expect([...mixed].sort()).toEqual([ALICE, "absent", null, null].sort());
    expect(present.filter((u) => u === ALICE)).toHaveLength(3);
    expect(asNull).toEqual([null, null, null, null]);
    expect(absent).toEqual(["absent", "absent", "absent", "absent"]);
    expect((searched.body.results as Json[]).every((m) => !("user_id" in m))).toBe(true);
    expect(standIn.memories(ALICE)).toHaveLength(3);
    expectConforming();
  });

  it("refuses top-level entity ids, org_id, missing filters and filters without a positive entity scope (400)", async () => {
    const topLevel = await call("POST", "/v3/memories/", { user_id: ALICE, filters: { user_id: ALICE } });
    const org = await call("POST", "/v3/memories/", { org_id: "org_1", filters: { user_id: ALICE } });
    const none = await call("POST", "/v3/memories/", {});
    const unscoped = await Promise.all(
      [{}, { NOT: { user_id: ALICE } }, { user_id: { ne: ALICE } }, { metadata: { type: "x" } }, { OR: [{ user_id: ALICE }, { metadata: { type: "x" } }] }].map(
        async (filters) => (await call("POST", "/v3/memories/", { filters })).status,
      ),
    );

    expect([topLevel.status, org.status, none.status]).toEqual([400, 400, 400]);
    expect(unscoped).toEqual([400, 400, 400, 400, 400]);
    expectConforming([/body field 'user_id' is not declared/, /body field 'org_id' is not declared/, /must have required property 'filters'/]);
  });
});

describe("Mem0 stand-in: filters (v2-memory-filters.mdx)", () => {
  it("reads bare, flat, AND / OR / NOT, eq / ne / in / *, time, metadata, memory_ids and keywords filters", async () => {
    const a1 = standIn.seed({ userId: ALICE, text: "Alice likes Jazz", metadata: { type: "semantic", tags: "music, evening" }, createdAt: "2026-01-10T10:00:00.000Z" });
    const a2 = standIn.seed({ userId: ALICE, text: "Alice is vegetarian", metadata: { type: "factual" }, createdAt: "2026-02-10T10:00:00.000Z" });
    const b1 = standIn.seed({ userId: BOB, text: "Bob likes jazz", metadata: { type: "semantic" }, createdAt: "2026-03-10T10:00:00.000Z", runId: "call_9" });
    const ag = standIn.seed({ userId: null, agentId: AGENT, text: "Agent booked a table", createdAt: "2026-04-10T10:00:00.000Z" });
    const ids = async (filters: Json) => (await list({ filters })).results.map((m) => m.id).sort();
    const expected = (...memories: { id: string }[]) => memories.map((m) => m.id).sort();

    expect(await ids({ user_id: ALICE })).toEqual(expected(a1, a2));
    expect(await ids({ user_id: { eq: ALICE } })).toEqual(expected(a1, a2));
    expect(await ids({ user_id: ALICE, metadata: { type: "semantic" } })).toEqual(expected(a1));
    expect(await ids({ AND: [{ user_id: ALICE }, { metadata: { type: { ne: "semantic" } } }] })).toEqual(expected(a2));
    expect(await ids({ OR: [{ user_id: BOB }, { agent_id: AGENT }] })).toEqual(expected(b1, ag));
    expect(await ids({ AND: [{ user_id: "*" }, { NOT: { user_id: ALICE } }] })).toEqual(expected(b1));
    expect(await ids({ AND: [{ user_id: "*" }, { user_id: { ne: BOB } }] })).toEqual(expected(a1, a2));
    expect(await ids({ user_id: { in: [ALICE, BOB] } })).toEqual(expected(a1, a2, b1));
    expect(await ids({ agent_id: "*" })).toEqual(expected(ag));
    expect(await ids({ AND: [{ user_id: "*" }, { run_id: "*" }] })).toEqual(expected(b1));
    expect(await ids({ AND: [{ user_id: "*" }, { created_at: { gte: "2026-02-01" } }, { created_at: { lt: "2026-03-31T00:00:00Z" } }] })).toEqual(expected(a2, b1));
    expect(await ids({ user_id: "*", timestamp: { gt: "2026-02-10T10:00:00Z" } })).toEqual(expected(b1));
    expect(await ids({ user_id: "*", created_at: "2026-01-10" })).toEqual(expected(a1));
    expect(await ids({ user_id: ALICE, metadata: { tags: { contains: "music" } } })).toEqual(expected(a1));
    expect(await ids({ user_id: "*", memory_ids: [a2.id, b1.id, ag.id] })).toEqual(expected(a2, b1));
    expect(await ids({ user_id: "*", keywords: { contains: "jazz" } })).toEqual(expected(b1));
    expect(await ids({ user_id: "*", keywords: { icontains: "JAZZ" } })).toEqual(expected(a1, b1));
    // Mem0 today drops an OR that sits beside an AND in the same object.
    expect(await ids({ AND: [{ user_id: ALICE }], OR: [{ user_id: BOB }] })).toEqual(expected(a1, a2));
    expectConforming();
  });

  it("refuses an unknown key with Mem0's message, explicit eq on a time field, and operators metadata lacks", async () => {
    const unknown = await call("POST", "/v3/memories/", { filters: { user_id: ALICE, bogus_key: "z" } });
    const nestedUnknown = await call("POST", "/v3/memories/", { filters: { AND: [{ user_id: ALICE }, { bogus_key: "z" }] } });
    const eqTime = await call("POST", "/v3/memories/", { filters: { user_id: ALICE, created_at: { eq: "2026-01-01" } } });
    const metadataIn = await call("POST", "/v3/memories/", { filters: { user_id: ALICE, metadata: { type: { in: ["a", "b"] } } } });
    const symbol = await call("POST", "/v3/memories/", { filters: { user_id: ALICE, created_at: { ">=": "2026-01-01" } } });

    expect(unknown).toEqual({
      status: 400,
      body: {
        error:
          "Top-level key must be a logical operator or an allowed field: ['AND', 'OR', 'NOT', 'user_id', 'agent_id', 'app_id', 'run_id', 'created_at', 'updated_at', 'timestamp', 'expiration_date', 'text', 'categories', 'metadata', 'keywords_search', 'memory_ids', 'keywords']",
      },
    });
    expect([nestedUnknown.status, eqTime.status, metadataIn.status, symbol.status]).toEqual([400, 400, 400, 400]);
    expectConforming();
  });
});

describe("Mem0 stand-in: Dream and expiration on reads", () => {
  it("returns active + superseded by default, active only with latest_only, merged too with include_merged", async () => {
    const old = standIn.seed({ userId: ALICE, text: "Alice drives a 2019 Subaru Outback", createdAt: "2026-01-01T00:00:00.000Z" });
    const current = standIn.seed({ userId: ALICE, text: "Alice sold the Subaru and drives a Tesla", createdAt: "2026-02-01T00:00:00.000Z" });
    const bare = standIn.seed({ userId: ALICE, text: "Alice has a dog named Rex", createdAt: "2026-01-15T00:00:00.000Z" });
    const rich = standIn.seed({ userId: ALICE, text: "Alice's dog Rex is a golden retriever", createdAt: "2026-02-15T00:00:00.000Z" });
    const seededSuperseded = standIn.seed({ userId: ALICE, text: "Alice lives in Lisbon", replacedBy: current.id, createdAt: "2025-12-01T00:00:00.000Z" });
    standIn.supersede(old.id, current.id);
    standIn.merge(bare.id, rich.id);
    const filters = { user_id: ALICE };

    const byDefault = await list({ filters });
    const latest = await list({ filters, latestOnly: true });
    const everything = await list({ filters, includeMerged: true } as GetAllMemoryOptions & Json);
    const searched = await find("Alice Subaru dog Rex Lisbon", { filters, threshold: 0 });
    const searchedLatest = await find("Alice Subaru dog Rex Lisbon", { filters, threshold: 0, latestOnly: true });

    const ids = (items: Json[]) => items.map((m) => m.id).sort();
    const sorted = (...ms: { id: string }[]) => ms.map((m) => m.id).sort();
    expect(ids(byDefault.results)).toEqual(sorted(old, current, rich, seededSuperseded));
    expect(byDefault.results.find((m) => m.id === old.id)?.replacedBy).toBe(current.id);
    expect(ids(latest.results)).toEqual(sorted(current, rich));
    expect(ids(everything.results)).toEqual(sorted(old, current, bare, rich, seededSuperseded));
    expect(ids(searched.results)).toEqual(sorted(old, current, rich, seededSuperseded));
    expect(ids(searchedLatest.results)).toEqual(sorted(current, rich));
    expect(standIn.memories(ALICE).map((m) => m.state)).toEqual(["superseded", "active", "merged", "active", "superseded"]);
    expect(standIn.requests.find((r) => r.path === "/v3/memories/" && (r.body as Json).latest_only === true)).toBeDefined();
    expectConforming();
  });

  it("hides memories whose expiration_date is before today (UTC) unless show_expired", async () => {
    const expired = standIn.seed({ userId: ALICE, text: "Alice is on the Pro trial", expirationDate: dayOffset(-1) });
    const lastDay = standIn.seed({ userId: ALICE, text: "Alice is on the Pro plan", expirationDate: dayOffset(0) });
    await addTo([{ role: "user", content: "Alice wants holiday gift ideas" }], { userId: ALICE, expirationDate: dayOffset(-2), infer: false });

    const shown = await list({ filters: { user_id: ALICE } });
    const all = await list({ filters: { user_id: ALICE }, showExpired: true });
    const searched = await find("Pro", { filters: { user_id: ALICE } });
    const searchedAll = await find("Pro", { filters: { user_id: ALICE }, showExpired: true });

    expect(shown.results.map((m) => m.id)).toEqual([lastDay.id]);
    expect(all.count).toBe(3);
    expect(searched.results.map((m) => m.id)).toEqual([lastDay.id]);
    expect(searchedAll.results.map((m) => m.id).sort()).toEqual([expired.id, lastDay.id].sort());
    expectConforming();
  });
});

describe("Mem0 stand-in: search", () => {
  it("ranks by word overlap with scores in [0, 1], default threshold 0.1 and top_k 10, and names the run run_id", async () => {
    standIn.seed({ userId: ALICE, text: "Alice likes live jazz on Fridays", runId: "call_1" });
    standIn.seed({ userId: ALICE, text: "Alice likes jazz" });
    standIn.seed({ userId: ALICE, text: "Alice is vegetarian" });
    standIn.seedMany(ALICE, 15, (i) => ({ text: `Jazz note ${i}` }));

    const { results } = await find("live jazz", { filters: { user_id: ALICE } });
    const top3 = await find("live jazz", { filters: { user_id: ALICE }, topK: 3 });
    const unfiltered = await find("vegetarian", { filters: { user_id: ALICE }, threshold: 0, topK: 100 });
    const raw = lastResponse("/v3/memories/search/").results as Json[];

    expect(results).toHaveLength(10);
    expect(results[0]).toMatchObject({ memory: "Alice likes live jazz on Fridays", score: 1, runId: "call_1" });
    expect(results.every((m) => typeof m.score === "number" && m.score >= 0.1 && m.score <= 1)).toBe(true);
    expect(texts(top3.results)).toEqual(["Alice likes live jazz on Fridays", expect.any(String), expect.any(String)]);
    expect(unfiltered.results).toHaveLength(18);
    expect(raw.filter((m) => m.score === 0)).toHaveLength(17);
    expect(Object.keys(raw[0] ?? {})).toContain("run_id");
    expect(Object.keys(raw[0] ?? {})).not.toContain("session_id");
    expectConforming();
  });

  it("refuses an empty query, top_k over 1000 and a top-level user_id (400); a keywords filter answers 500 (MEM-5746)", async () => {
    await expect(find("", { filters: { user_id: ALICE } })).rejects.toThrow();
    await expect(find("jazz", { filters: { user_id: ALICE }, topK: 1001 })).rejects.toThrow();
    const topLevel = await call("POST", "/v3/memories/search/", { query: "jazz", user_id: ALICE, filters: { user_id: ALICE } });
    const keywords = await call("POST", "/v3/memories/search/", { query: "jazz", filters: { user_id: ALICE, keywords: { icontains: "jazz" } } });

    expect(standIn.requests.filter((r) => r.path === "/v3/memories/search/").map((r) => r.response?.status)).toEqual([400, 400, 400, 500]);
    expect([topLevel.status, keywords.status]).toEqual([400, 500]);
    expectConforming([/body\.query must NOT have fewer than 1 characters/, /body\.top_k must be <= 1000/, /body field 'user_id' is not declared/]);
  });

  it("returns every user's memories when the user filter is ignored (a server-side bug to test against)", async () => {
    standIn.seed({ userId: ALICE, text: "Alice likes jazz" });
    standIn.seed({ userId: BOB, text: "Bob likes jazz" });
    standIn.ignoreUserFilter(true);

    expect((await list({ filters: { user_id: ALICE } })).count).toBe(2);
    expect((await find("jazz", { filters: { user_id: ALICE } })).results).toHaveLength(2);
    expectConforming();
  });
});

describe("Mem0 stand-in: deletes and entities", () => {
  it("queues deleteAll: the memories go when the DELETE event completes, the user entity stays", async () => {
    standIn.seed({ userId: ALICE, text: "Alice likes jazz" });
    standIn.seed({ userId: BOB, text: "Bob likes jazz" });
    standIn.setProcessingMs(400);

    const answer = (await client.deleteAll({ userId: ALICE })) as unknown as Json;

    expect(answer).toEqual({ message: expect.stringContaining("queued"), eventId: expect.any(String) });
    expect(standIn.memories(ALICE)).toHaveLength(1);
    const { statuses, event } = await watchEvent(String(answer.eventId));
    expect(statuses).toEqual(["PENDING", "RUNNING", "SUCCEEDED"]);
    expect(event).toMatchObject({ event_type: "DELETE", results: [{ event: "DELETE", data: { memory: "Alice likes jazz" } }] });
    expect(standIn.memories(ALICE)).toEqual([]);
    expect(standIn.memories(BOB)).toHaveLength(1);
    expect(standIn.users()).toEqual([ALICE, BOB]);
    expect((await client.users()).results.map((e) => e.name)).toEqual([ALICE, BOB]);
    expectConforming();
  });

  it("deletes everyone's with user_id=*, and refuses a deleteAll without any filter (400)", async () => {
    standIn.seed({ userId: ALICE, text: "Alice likes jazz" });
    standIn.seed({ userId: BOB, text: "Bob likes jazz" });
    standIn.seed({ userId: null, agentId: AGENT, text: "Agent note" });

    await expect(client.deleteAll({})).rejects.toThrow();
    await client.deleteAll({ userId: "*" });
    await standIn.settle();

    expect(standIn.memories().map((m) => m.memory)).toEqual(["Agent note"]);
    expectConforming();
  });

  it("deletes one memory at once; 404 for an unknown one, 400 for an id that is not a uuid", async () => {
    const [keep, drop] = standIn.seedMany(ALICE, 2);

    await client.delete(String(drop?.id));
    await expect(client.delete("2c4d1f44-4f7b-4b2f-9f6e-7b5b4f5a1234")).rejects.toThrow();
    await expect(client.delete("not-a-uuid")).rejects.toThrow();

    expect(standIn.memories().map((m) => m.id)).toEqual([keep?.id]);
    expect(standIn.requests.filter((r) => r.method === "DELETE").map((r) => r.response?.status)).toEqual([200, 404, 400]);
    expectConforming([/path parameter memory_id must match format "uuid"/]);
  });

  it("lists entities in the paged envelope with the documented fields and totals", async () => {
    standIn.seed({ userId: ALICE, text: "Alice likes jazz" });
    standIn.seed({ userId: ALICE, text: "Alice is vegetarian" });
    standIn.seed({ userId: BOB, text: "Bob likes jazz" });

    const all = (await client.users()) as unknown as Envelope & Json;
    const paged = (await client.users({ page: 2, pageSize: 1 })) as unknown as Envelope;

    expect(all).toMatchObject({ count: 2, next: null, previous: null, totalUsers: 2, totalAgents: 0 });
    expect(all.results[0]).toMatchObject({ name: ALICE, type: "user", totalMemories: 2, owner: expect.any(String), id: expect.any(String) });
    expect(paged).toMatchObject({ count: 2, next: null, previous: `${standIn.host}/v1/entities/?page=1&page_size=1` });
    expect(paged.results.map((e) => e.name)).toEqual([BOB]);
    expectConforming();
  });

  it("queues an entity delete: the entity and its memories go when the event completes; 404 unknown; 400 bad type", async () => {
    standIn.seed({ userId: ALICE, text: "Alice likes jazz" });
    standIn.seed({ userId: BOB, text: "Bob likes jazz" });
    standIn.setProcessingMs(400);

    await client.deleteUsers({ userId: ALICE });
    const answer = lastResponse(`/v2/entities/user/${encodeURIComponent(ALICE)}/`);
    expect(answer).toEqual({ message: expect.any(String), event_id: expect.any(String) });
    expect(standIn.users()).toEqual([ALICE, BOB]);
    const { statuses } = await watchEvent(String(answer.event_id));
    await expect(client.deleteUsers({ userId: ALICE })).rejects.toThrow();
    const badType = await call("DELETE", "/v2/entities/robot/r2d2/");

    expect(statuses).toEqual(["PENDING", "RUNNING", "SUCCEEDED"]);
    expect(standIn.users()).toEqual([BOB]);
    expect(standIn.memories().map((m) => m.memory)).toEqual(["Bob likes jazz"]);
    expect(badType).toEqual({ status: 400, body: { message: "Invalid entity type" } });
    expectConforming([/path parameter entity_type must be equal to one of the allowed values/]);
  });
});

describe("Mem0 stand-in: auth, faults and scale", () => {
  it("refuses requests without the Token key (401), and answers injected 500 / 429 faults", async () => {
    const noKey = await call("POST", "/v3/memories/", { filters: { user_id: ALICE } }, { Authorization: "" });
    const wrongKey = await call("GET", "/v1/ping/", undefined, { Authorization: "Token nope" });
    standIn.failNext(500, 1);
    await expect(list({ filters: { user_id: ALICE } })).rejects.toThrow();
    standIn.failNext(429, 1, "/v3/memories/search/");
    await expect(find("jazz", { filters: { user_id: ALICE } })).rejects.toThrow();

    expect([noKey.status, wrongKey.status]).toEqual([401, 401]);
    expect(standIn.requests.slice(-2).map((r) => r.response?.status)).toEqual([500, 429]);
    expectConforming();
  });

  it("seeds 5,000 memories and lists and searches them quickly", async () => {
    const started = performance.now();
    standIn.seedMany(ALICE, 5_000, (i) => ({ text: `Fact ${i} about ${i % 2 === 0 ? "jazz" : "food"}`, metadata: { n: i } }));
    standIn.seed({ userId: BOB, text: "Bob likes jazz" });
    const seeded = performance.now();

    const first = await list({ filters: { user_id: ALICE }, page: 1, pageSize: 200 });
    const page25 = await list({ filters: { user_id: ALICE }, page: 25, pageSize: 200 });
    const found = await find("jazz", { filters: { user_id: ALICE }, topK: 1000 });
    const done = performance.now();

    expect(first.count).toBe(5_000);
    expect(first.results[0]?.memory).toBe("Fact 4999 about food");
    expect(page25.results.at(-1)?.memory).toBe("Fact 0 about jazz");
    expect(found.results).toHaveLength(1000);
    expect(seeded - started).toBeLessThan(2_000);
    expect(done - seeded).toBeLessThan(3_000);
    expectConforming();
  });
});

describe("the contract check itself goes red on drift", () => {
  const memoryId = "2c4d1f44-4f7b-4b2f-9f6e-7b5b4f5a1234";
  const item = { id: memoryId, memory: "Alice likes jazz", user_id: null, metadata: null, categories: null, created_at: "2026-01-01T00:00:00Z" };
  const listed = (body: unknown, status = 200): RecordedExchange => ({ method: "POST", path: "/v3/memories/", query: {}, body: { filters: { user_id: ALICE } }, response: { status, body } });

  it("accepts a conforming exchange, with nullable fields null", () => {
    expect(validator.validateExchange(listed({ count: 1, next: null, previous: null, results: [item] }))).toEqual([]);
  });

  it("flags a list envelope without count", () => {
    const problems = validator.validateExchange(listed({ next: null, previous: null, results: [item] }));
    expect(problems).toEqual([expect.stringMatching(/must have required property 'count'/)]);
  });

  it("flags an item whose id is not a uuid, a non-nullable field that is null, and a relative next link", () => {
    const problems = validator.validateExchange(listed({ count: 1, next: "/v3/memories/?page=2", previous: null, results: [{ ...item, id: "mem-1", memory: null }] }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/body\.results\[0\]\.id must match format "uuid"/),
        expect.stringMatching(/body\.results\[0\]\.memory must be string/),
        expect.stringMatching(/body\.next must match format "uri"/),
      ]),
    );
  });

  it("flags a search request with an empty query, and one sending org_id", () => {
    const search = (body: Json): RecordedExchange => ({ method: "POST", path: "/v3/memories/search/", query: {}, body, response: { status: 200, body: { results: [] } } });
    expect(validator.validateExchange(search({ query: "", filters: { user_id: ALICE } }))).toEqual([expect.stringMatching(/body\.query must NOT have fewer than 1 characters/)]);
    expect(validator.validateExchange(search({ query: "jazz", filters: { user_id: ALICE }, org_id: "org_1" }))).toEqual([expect.stringMatching(/body field 'org_id' is not declared/)]);
  });

  it("flags a search item with a score above 1 or no score type, and the add answer wrapped with a bad event id", () => {
    const searched: RecordedExchange = {
      method: "POST",
      path: "/v3/memories/search/",
      query: {},
      body: { query: "jazz", filters: { user_id: ALICE } },
      response: { status: 200, body: { results: [{ ...item, categories: [], score: 1.5 }] } },
    };
    const added: RecordedExchange = {
      method: "POST",
      path: "/v3/memories/add/",
      query: {},
      body: { messages: [{ role: "user", content: "x" }], user_id: ALICE },
      response: { status: 200, body: { event_id: "evt-1", status: "QUEUED" } },
    };
    expect(validator.validateExchange(searched)).toEqual([expect.stringMatching(/body\.results\[0\]\.score must be <= 1/)]);
    expect(validator.validateExchange(added)).toEqual(
      expect.arrayContaining([expect.stringMatching(/body\.event_id must match format "uuid"/), expect.stringMatching(/body\.status must be equal to one of the allowed values/)]),
    );
  });

  it("flags a path or method the document lacks, an undocumented status, and a non-object allow-listed answer", () => {
    const entityDelete = (status: number, body: unknown): RecordedExchange => ({ method: "DELETE", path: "/v2/entities/user/alice/", query: {}, body: undefined, response: { status, body } });
    expect(validator.validateExchange({ method: "POST", path: "/v3/memories/search", query: {}, body: { query: "x", filters: {} }, response: { status: 200, body: {} } })).toEqual([
      expect.stringMatching(/no operation in the Mem0 OpenAPI document/),
    ]);
    expect(validator.validateExchange({ method: "PATCH", path: "/v3/memories/", query: {}, body: {}, response: { status: 200, body: {} } })).toEqual([
      expect.stringMatching(/no operation in the Mem0 OpenAPI document/),
    ]);
    expect(validator.validateExchange(entityDelete(409, { detail: "conflict" }))).toEqual([expect.stringMatching(/lists no 409/)]);
    expect(validator.validateExchange(entityDelete(404, { detail: "Not found." }))).toEqual([]);
    expect(validator.validateExchange(entityDelete(404, "Not found"))).toEqual([expect.stringMatching(/must still answer a JSON object/)]);
  });

  it("flags an entity list item without an owner, and an unknown query parameter", () => {
    const entities: RecordedExchange = {
      method: "GET",
      path: "/v1/entities/",
      query: { page: "1", limit: "5" },
      body: undefined,
      response: { status: 200, body: { count: 1, next: null, previous: null, results: [{ id: "1", name: ALICE, type: "user", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" }] } },
    };
    expect(validator.validateExchange(entities)).toEqual(
      expect.arrayContaining([expect.stringMatching(/query parameter must NOT have additional properties \('limit'\)/), expect.stringMatching(/must have required property 'owner'/)]),
    );
  });
});
