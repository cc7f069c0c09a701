import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { fixtureText, signed, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";

const MARISOL = "+15550100123";
const SOMEONE_ELSE = "+15550100124";

interface ClientDataBody {
  type: string;
  dynamic_variables: Record<string, string>;
  conversation_config_override?: { agent: { first_message?: string; prompt?: { prompt: string } } };
}

async function post(server: ServerProcess, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${server.baseUrl}${path}`, { method: "POST", body, headers });
  return { status: response.status, json: await response.json() };
}

const clientData = (server: ServerProcess, callerId: string) =>
  post(server, "/client-data", JSON.stringify({ caller_id: callerId }), {
    "content-type": "application/json",
    "X-Workspace-Key": TEST_WORKSPACE_KEY,
  }) as Promise<{ status: number; json: ClientDataBody }>;

const retrieve = (server: ServerProcess, userId: string, query: string) =>
  post(server, "/retrieve", JSON.stringify({ query, user_id: userId, limit: 5 }), {
    "content-type": "application/json",
    "X-Workspace-Key": TEST_WORKSPACE_KEY,
  }) as Promise<{ status: number; json: { memories: { memory: string; user_id: string; score: number }[] } }>;

function pendingFiles(dataDir: string): number {
  try {
    return readdirSync(join(dataDir, "inbox", "post_call_transcription")).filter((n) => n.endsWith(".json")).length;
  } catch {
    return 0;
  }
}

describe("npm start: the three ElevenLabs flows over HTTP", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server.kill();
  });

  it("acknowledges a signed post-call and remembers the caller on the next call", async () => {
    const body = fixtureText("post-call-transcription.json");

    const ack = await post(server, "/post-call", body, signed(body, TEST_HMAC_KEY));
    const next = await eventually(() => clientData(server, "+1 (555) 010-0123"), (r) => r.json.dynamic_variables.returning_caller === "yes", 2000);

    expect(ack).toEqual({ status: 200, json: { status: "ok" } });
    expect(next.status).toBe(200);
    expect(next.json.type).toBe("conversation_initiation_client_data");
    expect(next.json.dynamic_variables).toMatchObject({ caller_id: MARISOL, returning_caller: "yes", caller_name: "Marisol" });
    expect(Number(next.json.dynamic_variables.memory_count)).toBeGreaterThan(0);
    expect(next.json.dynamic_variables.memory_summary).toMatch(/Saturday/);
    expect(next.json.dynamic_variables.memory_summary?.length).toBeLessThanOrEqual(300);
    expect(next.json.conversation_config_override?.agent.first_message).toContain("Marisol");
  });

  it("finds a fact the caller stated, for that caller only", async () => {
    const mine = await eventually(() => retrieve(server, MARISOL, "is she vegetarian?"), (r) => r.json.memories.length > 0, 2000);
    const theirs = await retrieve(server, SOMEONE_ELSE, "is she vegetarian?");

    expect(mine.status).toBe(200);
    expect(mine.json.memories[0]?.memory.toLowerCase()).toContain("vegetarian");
    expect(mine.json.memories.every((m) => m.user_id === MARISOL)).toBe(true);
    expect(theirs).toEqual({ status: 200, json: { memories: [] } });
  });

  it("answers 401 to an unsigned or tampered post-call and stores nothing", async () => {
    const body = transcriptionFor({ conversationId: "conv_tampered_1", callerId: SOMEONE_ELSE });
    const headers = signed(body, TEST_HMAC_KEY);

    const unsigned = await post(server, "/post-call", body, { "content-type": "application/json" });
    const tampered = await post(server, "/post-call", body.replace("vegetarian", "carnivore"), headers);
    const wrongKey = await post(server, "/post-call", body, signed(body, "not-the-key"));
    await new Promise((r) => setTimeout(r, 300));

    for (const r of [unsigned, tampered, wrongKey]) {
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ error: { code: expect.stringMatching(/^SIGNATURE_/), message: expect.any(String) } });
    }
    expect((await clientData(server, SOMEONE_ELSE)).json.dynamic_variables.memory_count).toBe("0");
  });

  it("writes the memories of one call when the webhook is delivered three times", async () => {
    const body = transcriptionFor({ conversationId: "conv_dup_1", callerId: "+15550100125" });
    const first = await post(server, "/post-call", body, signed(body, TEST_HMAC_KEY));
    const afterOne = await eventually(() => clientData(server, "+15550100125"), (r) => r.json.dynamic_variables.memory_count !== "0", 2000);

    const again = [await post(server, "/post-call", body, signed(body, TEST_HMAC_KEY)), await post(server, "/post-call", body, signed(body, TEST_HMAC_KEY))];
    await new Promise((r) => setTimeout(r, 500));
    const afterThree = await clientData(server, "+15550100125");

    expect([first.status, ...again.map((r) => r.status)]).toEqual([200, 200, 200]);
    expect(Number(afterOne.json.dynamic_variables.memory_count)).toBeGreaterThan(0);
    expect(afterThree.json.dynamic_variables.memory_count).toBe(afterOne.json.dynamic_variables.memory_count);
  });

  it("answers health, errors as JSON with a code, and a request without caller id as a new caller", async () => {
    const health = await fetch(`${server.baseUrl}/health`);
    const unknown = await fetch(`${server.baseUrl}/nope`);
    const noKey = await post(server, "/client-data", JSON.stringify({ caller_id: MARISOL }), { "content-type": "application/json" });
    const noCaller = await post(server, "/client-data", "{}", { "content-type": "application/json", "X-Workspace-Key": TEST_WORKSPACE_KEY });

    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", backends: { memory: "embedded", archive: "filesystem" } });
    expect(unknown.status).toBe(404);
    expect(noKey).toMatchObject({ status: 401, json: { error: { code: "WORKSPACE_KEY_INVALID" } } });
    // A call never fails to start over its caller id: the answer is a new caller's.
    expect(noCaller).toMatchObject({ status: 200, json: { dynamic_variables: { caller_id: "", returning_caller: "no" } } });
  });
});

describe("npm start: nothing acknowledged is lost", () => {
  it("ingests every acknowledged event after the server is killed with SIGKILL and restarted", async () => {
    const first = await startServerProcess();
    const callers = Array.from({ length: 30 }, (_, i) => `+1555010${1000 + i}`);
    const bodies = callers.map((callerId, i) => transcriptionFor({ conversationId: `conv_kill_${i}`, callerId }));

    const acks = await Promise.all(bodies.map((body) => post(first, "/post-call", body, signed(body, TEST_HMAC_KEY))));
    await first.kill("SIGKILL");
    const pendingAtKill = pendingFiles(first.dataDir);

    const second = await startServerProcess({ dataDir: first.dataDir });
    try {
      await eventually(async () => pendingFiles(first.dataDir), (n) => n === 0, 10_000);
      const counts = await Promise.all(callers.map(async (c) => (await clientData(second, c)).json.dynamic_variables.memory_count));

      expect(acks.every((a) => a.status === 200)).toBe(true);
      expect(pendingAtKill).toBeGreaterThan(0);
      expect(counts.every((n) => Number(n) > 0)).toBe(true);
    } finally {
      await second.kill();
    }
  });
});
