// The remember_fact server tool over HTTP, with the real local server: a fact the agent saves
// mid-call is found by retrieve in the same call, and the next call is greeted with it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { signed, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";

const CALLER = "+15550100151";
const CONVERSATION = "conv_remember_e2e_1";
const KEY = { "content-type": "application/json", "X-Workspace-Key": TEST_WORKSPACE_KEY };

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

let server: ServerProcess;

async function post(path: string, body: unknown, headers: Record<string, string> = KEY): Promise<Answer> {
  const response = await fetch(`${server.baseUrl}${path}`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
const remember = (body: Record<string, unknown>, headers?: Record<string, string>) => post("/remember", body, headers);
const retrieve = async (query: string) => (await post("/retrieve", { query, user_id: CALLER, limit: 50 })).json.memories as { memory: string; metadata: { source: string } }[];
const clientData = async () => (await post("/client-data", { caller_id: CALLER })).json as { dynamic_variables: Record<string, string>; conversation_config_override?: { agent: { first_message?: string } } };

beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => {
  await server.kill();
});

describe("POST /remember", () => {
  it("stores a fact mid-call: retrieve finds it in the same call, the next call is greeted with it, and the call's own ingestion does not store it again", async () => {
    const before = await clientData();
    const saved = await remember({ user_id: CALLER, fact: "Prefers text messages over calls", category: "contact preference", conversation_id: CONVERSATION });
    const vegetarian = await remember({ user_id: CALLER, fact: "Vegetarian", category: "diet", conversation_id: CONVERSATION });
    const sameCall = await retrieve("text messages");

    const body = transcriptionFor({ conversationId: CONVERSATION, callerId: CALLER });
    const ack = await post("/post-call", body, signed(body, TEST_HMAC_KEY));
    const next = await eventually(clientData, (answer) => answer.dynamic_variables.caller_name === "Marisol", 5_000);
    const afterCall = await retrieve("vegetarian diet dietary preference");

    expect(before.dynamic_variables.returning_caller).toBe("no");
    expect(saved).toEqual({ status: 200, json: { status: "stored", message: "Remembered (1 of at most 20 facts in this call)." } });
    expect(vegetarian.json.status).toBe("stored");
    expect(sameCall.map((m) => m.memory)).toContain("Prefers text messages over calls");
    expect(ack.status).toBe(200);
    expect(next.dynamic_variables).toMatchObject({ returning_caller: "yes", caller_name: "Marisol" });
    expect(next.conversation_config_override?.agent.first_message).toBe("Hi Marisol, welcome back! How can I help you today?");
    expect(next.dynamic_variables.memory_summary).toContain("Prefers text messages over calls");
    // The call's data collection said "vegetarian" too: one memory of it, the one remembered mid-call.
    expect(afterCall.filter((m) => /vegetarian$/i.test(m.memory)).map((m) => `${m.metadata.source}: ${m.memory}`)).toEqual(["remember: Vegetarian"]);
  });

  it("answers a repeated fact as already remembered, and the 21st fact of a call with a 429 the model can read", async () => {
    const conversation = "conv_remember_e2e_flood";
    const again = [
      await remember({ user_id: CALLER, fact: "Has a dog called Biscuit", conversation_id: conversation }),
      await remember({ user_id: CALLER, fact: "has a dog called biscuit.", conversation_id: conversation }),
    ];
    for (let i = 2; i <= 20; i += 1) await remember({ user_id: CALLER, fact: `Detail number ${i}`, conversation_id: conversation });
    const over = await remember({ user_id: CALLER, fact: "Detail number 21", conversation_id: conversation });

    expect(again.map((a) => a.json.status)).toEqual(["stored", "already_remembered"]);
    expect(over).toEqual({
      status: 429,
      json: { error: { code: "TOO_MANY_FACTS", message: "at most 20 facts can be remembered per call, and this call has reached that; this fact was not stored" } },
    });
  });

  it("tells the agent nothing is stored for a withheld number, and stores nothing", async () => {
    const answer = await remember({ user_id: "anonymous", fact: "Lives in Leeds", conversation_id: "conv_remember_e2e_anon" });

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: "not_stored", message: expect.stringContaining("withheld or unknown") as string });
  });

  it.each([
    [{ user_id: CALLER }, "fact: is required"],
    [{ user_id: CALLER, fact: 42 }, "fact: must be a string"],
    [{ user_id: CALLER, fact: "x".repeat(501) }, "fact must be at most 500 characters"],
    [{ user_id: CALLER, fact: "Lives in Leeds", category: "a/b" }, "category must be"],
    [{ user_id: CALLER, fact: "Lives in Leeds", conversation_id: "../etc" }, "conversation_id: must be a conversation id"],
    [{ user_id: "hello", fact: "Lives in Leeds" }, "user_id is not a usable phone number"],
  ])("refuses %j with a 400 naming the field", async (body, message) => {
    const answer = await remember(body);

    expect(answer.status).toBe(400);
    expect((answer.json.error as { message: string }).message).toContain(message);
  });

  it("needs the workspace key, like retrieve", async () => {
    const answer = await remember({ user_id: CALLER, fact: "Lives in Leeds" }, { "content-type": "application/json", "X-Workspace-Key": "wrong" });

    expect(answer.status).toBe(401);
  });
});
