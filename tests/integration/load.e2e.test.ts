import { existsSync } from "node:fs";
import { join } from "node:path";
import autocannon, { type AutocannonRequest } from "autocannon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { signatureHeader } from "../../domain/webhook-signature";
import { transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";
import Database from "better-sqlite3";

/** autocannon also calls `onResponse` per request entry (not in the bench's type declarations). */
type LoadRequest = AutocannonRequest & { onResponse?: (status: number, body: string, context: Record<string, unknown>) => void };

const CALLERS = Array.from({ length: 20 }, (_, i) => `+155501001${String(50 + i)}`);
const keyed = { "content-type": "application/json", "x-workspace-key": TEST_WORKSPACE_KEY };

async function memoryCount(server: ServerProcess, caller: string): Promise<number> {
  const res = await fetch(`${server.baseUrl}/client-data`, { method: "POST", headers: keyed, body: JSON.stringify({ caller_id: caller }) });
  return Number(((await res.json()) as { dynamic_variables: { memory_count: string } }).dynamic_variables.memory_count);
}

/** Every memory the embedded store holds for a caller, current or history, read beside the running server (WAL allows it). */
function storedMemories(server: ServerProcess, caller: string): number {
  const db = new Database(join(server.dataDir, "memories.db"), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM memories WHERE user_id = ?").get(caller) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("load: 100 concurrent connections on loopback", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server.kill();
  });

  it("answers every request without an error and ingests every acknowledged event exactly once", async () => {
    // Prepare: how many memories one call of the fixture makes.
    const probe = "+15550100149";
    const one = transcriptionFor({ conversationId: "conv_load_probe", callerId: probe });
    await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: { "content-type": "application/json", "elevenlabs-signature": signatureHeader(TEST_HMAC_KEY, one, Math.floor(Date.now() / 1000)) }, body: one });
    await eventually(() => memoryCount(server, probe), (n) => n > 0, 2000);
    const perCall = storedMemories(server, probe);

    const sent = new Map<string, string>(); // conversation id → caller, for every request built
    const acknowledged = new Set<string>();
    let sequence = 0;
    const postCall: LoadRequest = {
      method: "POST",
      path: "/post-call",
      setupRequest: (request, context) => {
        sequence += 1;
        const conversationId = `conv_load_${sequence}`;
        const caller = CALLERS[sequence % CALLERS.length] ?? probe;
        const body = transcriptionFor({ conversationId, callerId: caller });
        context.conversation = conversationId;
        sent.set(conversationId, caller);
        return {
          ...request,
          headers: { "content-type": "application/json", "elevenlabs-signature": signatureHeader(TEST_HMAC_KEY, body, Math.floor(Date.now() / 1000)) },
          body,
        };
      },
      onResponse: (status: number, _body: string, context: Record<string, unknown>) => {
        if (status === 200) acknowledged.add(String(context.conversation));
      },
    };
    const requests: LoadRequest[] = [
      { method: "POST", path: "/client-data", headers: keyed, body: JSON.stringify({ caller_id: CALLERS[0] }) },
      { method: "POST", path: "/retrieve", headers: keyed, body: JSON.stringify({ query: "vegetarian dinner", user_id: CALLERS[1], limit: 5 }) },
      postCall,
    ];

    // Act
    const result = await autocannon({ url: server.baseUrl, connections: 100, duration: 4, timeout: 10, requests });
    const pendingEvents = async () => ((await (await fetch(`${server.baseUrl}/health`)).json()) as { pendingEvents: number }).pendingEvents;
    const pending = await eventually(pendingEvents, (n) => n === 0, 20_000, 100);

    // Assess
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(result.requests.sent).toBeGreaterThan(300);
    expect(acknowledged.size).toBeGreaterThan(50);
    expect(pending).toBe(0);
    const processed = (id: string) => existsSync(join(server.dataDir, "processed", "post_call_transcription", `${id}.json`));
    expect([...acknowledged].filter((id) => !processed(id))).toEqual([]);
    // Requests still in flight when the run stopped may have been stored without their answer being
    // read: they count too. Exactly once = each caller holds one call's memories per stored event
    // (every version: a later call's facts supersede the earlier ones, which stay as history).
    const expected = new Map<string, number>();
    for (const [id, caller] of sent) if (processed(id)) expected.set(caller, (expected.get(caller) ?? 0) + perCall);
    for (const [caller, count] of expected) expect(storedMemories(server, caller)).toBe(count);
  }, 60_000);
});
