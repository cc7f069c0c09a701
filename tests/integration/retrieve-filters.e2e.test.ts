import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { signed, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";

const CALLER = "+15550100131";
const JANUARY_CALL = "conv_filters_january";
const FEBRUARY_CALL = "conv_filters_february";
const QUERY = "Saturday dinner booking vegetarian sister step-free";

interface Found {
  memory: string;
  user_id: string;
  metadata: { type: string; source: string; timestamp: string; conversation_id: string };
}

async function retrieve(server: ServerProcess, filters: Record<string, unknown>): Promise<{ status: number; json: { memories?: Found[]; error?: { code: string; message: string } } }> {
  const response = await fetch(`${server.baseUrl}/retrieve`, {
    method: "POST",
    headers: { "content-type": "application/json", "X-Workspace-Key": TEST_WORKSPACE_KEY },
    body: JSON.stringify({ query: QUERY, user_id: CALLER, limit: 50, ...filters }),
  });
  return { status: response.status, json: (await response.json()) as { memories?: Found[] } };
}

const memoriesOf = (answer: { json: { memories?: Found[] } }): Found[] => answer.json.memories ?? [];
const callsOf = (found: readonly Found[]) => [...new Set(found.map((m) => m.metadata.conversation_id))].sort();

describe("POST /retrieve filters over the local server", () => {
  let server: ServerProcess;
  let everything: Found[];

  beforeAll(async () => {
    server = await startServerProcess();
    // The same call twice, on 10 January and on 20 February 2026 (noon UTC), from one caller.
    for (const [conversationId, at] of [
      [JANUARY_CALL, "2026-01-10T12:00:00Z"],
      [FEBRUARY_CALL, "2026-02-20T12:00:00Z"],
    ] as const) {
      const body = transcriptionFor({ conversationId, callerId: CALLER, eventTimestamp: Date.parse(at) / 1000 });
      const ack = await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(body, TEST_HMAC_KEY), body });
      expect(ack.status).toBe(200);
    }
    everything = memoriesOf(await eventually(() => retrieve(server, {}), (r) => callsOf(memoriesOf(r)).length === 2, 5000));
  });
  afterAll(async () => {
    await server.kill();
  });

  it("finds memories of both calls, of both types, without filters", () => {
    expect(callsOf(everything)).toEqual([FEBRUARY_CALL, JANUARY_CALL]);
    expect(new Set(everything.map((m) => m.metadata.type))).toEqual(new Set(["factual", "semantic"]));
  });

  it.each([
    ["type factual", { type: "factual" }, (m: Found) => m.metadata.type === "factual"],
    ["type semantic", { type: "semantic" }, (m: Found) => m.metadata.type === "semantic"],
    ["source data_collection", { source: "data_collection" }, (m: Found) => m.metadata.source === "data_collection"],
    ["since a date (from that day on)", { since: "2026-02-01" }, (m: Found) => m.metadata.conversation_id === FEBRUARY_CALL],
    ["until a date (that whole day included)", { until: "2026-01-10" }, (m: Found) => m.metadata.conversation_id === JANUARY_CALL],
    ["since and until the same day", { since: "2026-02-20", until: "2026-02-20" }, (m: Found) => m.metadata.conversation_id === FEBRUARY_CALL],
    ["conversation_id", { conversation_id: JANUARY_CALL }, (m: Found) => m.metadata.conversation_id === JANUARY_CALL],
    ["type and conversation_id together", { type: "factual", conversation_id: FEBRUARY_CALL }, (m: Found) => m.metadata.type === "factual" && m.metadata.conversation_id === FEBRUARY_CALL],
  ])("%s narrows the answer to the memories that match", async (_name, filters, matches) => {
    const answer = await retrieve(server, filters);
    const found = memoriesOf(answer);

    expect(answer.status).toBe(200);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((m) => m.user_id === CALLER && matches(m))).toBe(true);
    expect(found.map((m) => m.memory).sort()).toEqual(everything.filter(matches).map((m) => m.memory).sort());
    expect(found.length).toBeLessThan(everything.length);
  });

  it("answers no memories for a window without calls", async () => {
    expect(await retrieve(server, { since: "2026-01-11", until: "2026-02-19" })).toEqual({ status: 200, json: { memories: [] } });
  });

  it.each([
    ["type", { type: "episodic" }],
    ["source", { source: "evaluation" }],
    ["since", { since: "last week" }],
    ["until", { until: "2026-02-30" }],
    ["since", { since: "2026-02-21", until: "2026-02-20" }],
    ["conversation_id", { conversation_id: "../conv" }],
  ])("answers 400 naming %s for %j", async (field, filters) => {
    const answer = await retrieve(server, filters);

    expect(answer.status).toBe(400);
    expect(answer.json.error?.code).toBe("INVALID_REQUEST");
    expect(answer.json.error?.message.startsWith(`${field}: `)).toBe(true);
  });
});
