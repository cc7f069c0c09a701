// Current facts with their history, over HTTP and the CLI, with the real local server: a caller who
// changes a fact is told the new one, and the old one is kept as history, not shown to the agent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { cli, filesUnder, jsonOf } from "../cli/cli-process";
import { eventually } from "../support/eventually";
import { signed, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";

const CALLER = "+15550100161";
const KEY = { "content-type": "application/json", "X-Workspace-Key": TEST_WORKSPACE_KEY };
const JANUARY = 1_767_268_871;
const MARCH = 1_772_366_400;

let server: ServerProcess;

async function post(path: string, body: unknown, headers: Record<string, string> = KEY): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.baseUrl}${path}`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers });
  return (await response.json()) as Record<string, unknown>;
}
type Found = { memory: string; metadata: { superseded_by?: string; conversation_id: string; fact_key?: string } }[];
const retrieve = async (query: string, extra: Record<string, unknown> = {}) => (await post("/retrieve", { query, user_id: CALLER, limit: 20, ...extra })).memories as Found;
const clientData = async () => (await post("/client-data", { caller_id: CALLER })).dynamic_variables as Record<string, string>;

/** The fixture call of this caller on a given day, with its dietary preference as collected. */
function callOn(conversationId: string, eventTimestamp: number, diet: string): string {
  const event = JSON.parse(transcriptionFor({ conversationId, callerId: CALLER, eventTimestamp })) as {
    data: { analysis: { data_collection_results: Record<string, { value: unknown }> } };
  };
  const diary = event.data.analysis.data_collection_results.dietary_preference;
  if (diary === undefined) throw new Error("fixture: no dietary_preference field");
  diary.value = diet;
  return JSON.stringify(event);
}

/** Until the worker has ingested this many transcriptions (each leaves a done marker). */
async function ingested(transcriptions: number): Promise<void> {
  const done = await eventually(async () => filesUnder(join(server.dataDir, "processed", "post_call_transcription")).length, (n) => n >= transcriptions, 10_000);
  expect(done).toBe(transcriptions);
}

beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => {
  await server.kill();
});

describe("fact versions", () => {
  it("tells the agent the newer fact, keeps the older one as history, and shows both to the operator", async () => {
    // January: vegetarian, and the agent remembers when to call back.
    await post("/remember", { user_id: CALLER, fact: "Call back in the mornings", category: "callback time", conversation_id: "conv_versions_jan" });
    const january = callOn("conv_versions_jan", JANUARY, "vegetarian");
    await post("/post-call", january, signed(january, TEST_HMAC_KEY));
    await ingested(1);
    // March: vegan now, and a new time to call back.
    await post("/remember", { user_id: CALLER, fact: "Call back after 6 pm", category: "Callback time", conversation_id: "conv_versions_mar" });
    const march = callOn("conv_versions_mar", MARCH, "vegan");
    await post("/post-call", march, signed(march, TEST_HMAC_KEY));
    await ingested(2);

    const diet = await retrieve("dietary preference");
    const contact = await retrieve("when to call back");
    const contactHistory = await retrieve("when to call back", { include_history: true });
    const next = await clientData();
    const history = await cli(["history", CALLER, "--key", "callback_time", "--json"], { DATA_DIR: server.dataDir });
    const dietHistory = await cli(["history", CALLER, "--key", "dietary_preference"], { DATA_DIR: server.dataDir });

    // What the agent is told: the current facts only.
    expect(diet.filter((m) => m.memory.startsWith("Dietary preference")).map((m) => m.memory)).toEqual(["Dietary preference: vegan"]);
    expect(contact.map((m) => m.memory)).toContain("Call back after 6 pm");
    expect(contact.map((m) => m.memory)).not.toContain("Call back in the mornings");
    expect(next.memory_summary).toContain("Call back after 6 pm");
    expect(next.memory_summary).not.toContain("Call back in the mornings");
    // With include_history, every version, the older one marked.
    const older = contactHistory.find((m) => m.memory === "Call back in the mornings");
    expect(older?.metadata).toMatchObject({ conversation_id: "conv_versions_jan", fact_key: "callback_time" });
    expect(older?.metadata.superseded_by).toEqual(expect.any(String));
    // The operator's view: each version with its time and call.
    expect(history.code).toBe(0);
    const facts = jsonOf<{ facts: { key: string; versions: { memory: string; conversation_id: string; current: boolean }[] }[] }>(history).facts;
    expect(facts).toEqual([
      {
        key: "callback_time",
        versions: [
          expect.objectContaining({ memory: "Call back after 6 pm", conversation_id: "conv_versions_mar", current: true }),
          expect.objectContaining({ memory: "Call back in the mornings", conversation_id: "conv_versions_jan", current: false }),
        ],
      },
    ]);
    expect(dietHistory.stdout).toMatch(/current\s+2026-03-01T12:00:00.000Z\s+conv_versions_mar\s+Dietary preference: vegan/);
    expect(dietHistory.stdout).toMatch(/superseded\s+2026-01-01T12:01:11.000Z\s+conv_versions_jan\s+Dietary preference: vegetarian/);
  });

  it("exports every version and forgets every version", async () => {
    const exported = jsonOf<{ memories: { memory: string }[] }>(await cli(["export", CALLER], { DATA_DIR: server.dataDir }));
    const forgot = await cli(["forget", CALLER], { DATA_DIR: server.dataDir });
    const after = await cli(["history", CALLER, "--json"], { DATA_DIR: server.dataDir });

    expect(exported.memories.map((m) => m.memory)).toEqual(expect.arrayContaining(["Dietary preference: vegan", "Dietary preference: vegetarian", "Call back in the mornings"]));
    expect(forgot.code).toBe(0);
    expect(jsonOf<{ facts: unknown[] }>(after).facts).toEqual([]);
    expect(await retrieve("dietary preference", { include_history: true })).toEqual([]);
  });
});
