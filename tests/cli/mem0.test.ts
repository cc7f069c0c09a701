import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMem0StandIn, type Mem0StandIn } from "../support/mem0-stand-in";
import { cli, jsonOf, tempDir } from "./cli-process";

const DAY_MS = 24 * 60 * 60 * 1000;
const MARISOL = "+15550100123";
const NEIGHBOUR = "+155501001234";

describe("agentic-memory forget and retention with Mem0 as the memory backend", () => {
  let mem0: Mem0StandIn;
  let env: Record<string, string>;
  const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

  beforeAll(async () => {
    mem0 = await startMem0StandIn();
    env = { MEMORY_BACKEND: "mem0", MEM0_API_KEY: mem0.apiKey, MEM0_HOST: mem0.host, DATA_DIR: tempDir() };
    const memory = (userId: string, text: string, days: number) =>
      // Mem0's created_at is the call's time, as the adapter's adds set it (`timestamp`).
      mem0.seed({ userId, text, metadata: { type: "factual", source: "summary", timestamp: daysAgo(days), conversation_id: `conv_${days}` }, createdAt: daysAgo(days) });
    memory(MARISOL, "Marisol booked a table last winter.", 40);
    memory(MARISOL, "Marisol is vegetarian.", 5);
    memory(NEIGHBOUR, "The neighbour called long ago.", 45);
    memory(NEIGHBOUR, "The neighbour called last week.", 7);
    // Not a caller of ours (another integration's user): never swept.
    memory("support-bot", "An old note of another app.", 400);
  });
  afterAll(async () => {
    await mem0.close();
  });

  it("removes each caller's memories older than the cutoff by id, and nothing newer nor anyone else's", async () => {
    const dryRun = jsonOf<{ memories: number }>(await cli(["retention", "--days", "30", "--json"], env));

    const run = await cli(["retention", "--days", "30", "--apply", "--json"], env);

    expect(dryRun.memories).toBe(2);
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({ applied: true, memories: 2 });
    expect(mem0.memories().map((m) => m.memory).sort()).toEqual(["An old note of another app.", "Marisol is vegetarian.", "The neighbour called last week."]);
    expect(mem0.requests.some((r) => r.method === "DELETE" && r.path === "/v1/memories/")).toBe(false);
  });

  it("forgets one caller in Mem0 and leaves the caller whose number shares the prefix", async () => {
    const run = await cli(["forget", MARISOL, "--json"], env);

    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({ caller_id: MARISOL, memories: 1 });
    expect(mem0.memories(MARISOL)).toEqual([]);
    expect(mem0.memories(NEIGHBOUR).map((m) => m.memory)).toEqual(["The neighbour called last week."]);
  });
});
