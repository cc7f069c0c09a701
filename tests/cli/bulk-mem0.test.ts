import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServerProcess, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";
import { createMem0ContractValidator } from "../support/mem0-openapi";
import { startMem0StandIn, type Mem0StandIn } from "../support/mem0-stand-in";
import { cli, clientData, jsonOf, tempDir } from "./cli-process";

const MARISOL = "+15550100123";
const MEMBER = "+15550100125";
const FACT = "Prefers to be called back after 6 pm.";

function fileWith(name: string, lines: readonly string[]): string {
  const path = join(tempDir(), name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("agentic-memory import, export --all and forget --file with Mem0 as the memory backend", { timeout: 60_000 }, () => {
  let mem0: Mem0StandIn;
  let server: ServerProcess;
  let env: Record<string, string>;
  const adds = () => mem0.requests.filter((r) => r.method === "POST" && r.path === "/v3/memories/add/");

  beforeAll(async () => {
    mem0 = await startMem0StandIn();
    const mem0Env = { MEMORY_BACKEND: "mem0", MEM0_API_KEY: mem0.apiKey, MEM0_HOST: mem0.host };
    server = await startServerProcess({ env: { ...mem0Env, AGENT_BASE_PROMPT: "You are the Lumen Line concierge." } });
    env = { ...mem0Env, DATA_DIR: server.dataDir, ELEVENLABS_WORKSPACE_KEY: TEST_WORKSPACE_KEY };
    mem0.seed({ userId: MARISOL, text: "Marisol is vegetarian.", metadata: { type: "factual", source: "summary", timestamp: "2026-01-01T12:00:00.000Z", conversation_id: "conv_1" } });
    // Not a caller of ours (another integration's user): never exported.
    mem0.seed({ userId: "support-bot", text: "A note of another app." });
  });
  afterAll(async () => {
    await server.kill();
    const validator = await createMem0ContractValidator();
    const problems = mem0.requests.flatMap((exchange) => validator.validateExchange(exchange).map((p) => `${exchange.method} ${exchange.path}: ${p}`));
    await mem0.close();
    expect(problems).toEqual([]);
  });

  it("stores the good lines in Mem0 as written, never for inference, once however often the file is imported", async () => {
    const file = fileWith("crm.jsonl", [
      JSON.stringify({ caller_id: MEMBER, memory: FACT, key: "callback_time" }),
      JSON.stringify({ caller_id: MEMBER, memory: "Talked about her garden.", type: "semantic" }),
      JSON.stringify({ caller_id: MARISOL }),
    ]);

    const first = await cli(["import", file], env);
    const addsAfterFirst = adds().length;
    const again = await cli(["import", file, "--json"], env);

    expect(first.code).toBe(1);
    expect(first.stderr).toContain("line 3: memory: is missing");
    expect(first.stdout).toBe("Imported 2 memories (0 already stored) for 1 caller(s); 1 bad line(s) skipped (3).\n");
    expect(adds().map((r) => (r.body as { infer?: unknown }).infer)).toEqual([false, false]);
    expect(mem0.memories(MEMBER).map((m) => m.memory).sort()).toEqual([FACT, "Talked about her garden."]);
    expect(jsonOf(again)).toMatchObject({ imported: 0, already_stored: 2, bad_lines: [3] });
    expect(adds().length).toBe(addsAfterFirst);
    const answer = await clientData(server.baseUrl, TEST_WORKSPACE_KEY, MEMBER);
    expect(answer.variables).toMatchObject({ returning_caller: "yes", memory_count: "2" });
  });

  it("exports every caller Mem0 lists, a page of entities at a time, and nobody else", async () => {
    const out = join(tempDir(), "everyone");

    const run = await cli(["export", "--all", "--out", out], env);

    expect(run.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([`${MARISOL}.json`, `${MEMBER}.json`]);
    const marisol = JSON.parse(readFileSync(join(out, `${MARISOL}.json`), "utf8")) as { memories: { memory: string }[] };
    expect(marisol.memories.map((m) => m.memory)).toEqual(["Marisol is vegetarian."]);
    expect(mem0.requests.some((r) => r.method === "GET" && r.path === "/v1/entities/")).toBe(true);
  });

  it("forgets the callers of a file in Mem0, their user entities too", async () => {
    const file = fileWith("callers.txt", ["# erasure requests", MEMBER, MARISOL]);

    const run = await cli(["forget", "--file", file, "--json"], env);

    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({ callers: 2, memories: 3, bad_lines: [], failed_lines: [] });
    expect(mem0.users()).toEqual(["support-bot"]);
    expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, MEMBER)).variables).toMatchObject({ returning_caller: "no", memory_count: "0" });
  });
});
