import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";
import { startMem0StandIn, type Mem0StandIn } from "../support/mem0-stand-in";
import { cli, clientData, eventually, jsonOf, tempDir } from "./cli-process";

interface SmokeJson {
  base_url: string;
  caller_id: string;
  conversation_id: string;
  passed: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
  cleanup: { status: string; detail: string };
}

const KEYS = { ELEVENLABS_WORKSPACE_KEY: TEST_WORKSPACE_KEY, ELEVENLABS_HMAC_KEY: TEST_HMAC_KEY };

describe("agentic-memory smoke, against a running local server", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server.kill();
  });

  it("passes every check of the three flows, then forgets the test caller everywhere", async () => {
    const run = await cli(["smoke", server.baseUrl], { DATA_DIR: server.dataDir, ...KEYS });

    expect(run.code).toBe(0);
    expect(run.stdout.split("\n").filter((line) => /^(PASS|FAIL|WARN) /.test(line)).map((line) => line.slice(0, 4))).toEqual(Array(6).fill("PASS"));
    expect(run.stdout).toMatch(/^PASS {2}retrieve: 200, found "vegetarian"/m);
    expect(run.stdout).toMatch(/^PASS {2}unsigned post-call: 401/m);
    expect(run.stdout).toMatch(/^PASS {2}cleanup: forgot \+15550100150 \(\d+ memories, 1 transcript\(s\)/m);
    expect(run.stdout).toContain("All 5 checks passed.");
    expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, "+15550100150")).variables.returning_caller).toBe("no");
    expect(existsSync(join(server.dataDir, "archive", "transcripts", "+15550100150"))).toBe(false);
    expect(readdirSync(join(server.dataDir, "processed", "post_call_transcription"))).toEqual([]);
  });

  it("answers one JSON object with --json, and says when the configured backend is not the deployment's", async () => {
    const elsewhere = tempDir();

    const run = await cli(["smoke", server.baseUrl, "--caller", "+15550100172", "--json"], { DATA_DIR: elsewhere, ...KEYS });
    const report = jsonOf<SmokeJson>(run);
    await cli(["forget", "+15550100172"], { DATA_DIR: server.dataDir });

    expect(run.code).toBe(0);
    expect(report).toMatchObject({ base_url: server.baseUrl, caller_id: "+15550100172", passed: true });
    expect(report.conversation_id).toMatch(/^conv_smoke_/);
    expect(report.checks.map((c) => c.name)).toEqual(["client-data before the call", "signed post-call", "client-data after the call", "retrieve", "unsigned post-call"]);
    expect(report.cleanup.status).toBe("warn");
    expect(report.cleanup.detail).toContain("still knows +15550100172");
    expect(report.cleanup.detail).toContain("agentic-memory forget +15550100172");
  });

  it("fails, exit code 1, when the deployment refuses our signature, and names the check", async () => {
    const run = await cli(["smoke", server.baseUrl, "--caller", "+15550100173", "--timeout", "2"], { DATA_DIR: server.dataDir, ...KEYS, ELEVENLABS_HMAC_KEY: "not-the-server-key" });

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}signed post-call: 401/m);
    expect(run.stdout).toMatch(/^FAIL {2}client-data after the call: not tried/m);
    expect(run.stdout).toMatch(/^PASS {2}unsigned post-call: 401/m);
    expect(run.stdout).toContain("3 of 5 checks failed.");
  });

  it("fails the first check when the test caller is already known, rather than trusting old memories", async () => {
    await cli(["simulate-call", server.baseUrl, "--caller", "+15550100174", "--conversation-id", "conv_leftover"], KEYS);
    await eventually(() => clientData(server.baseUrl, TEST_WORKSPACE_KEY, "+15550100174"), (answer) => answer.variables.returning_caller === "yes");

    const run = await cli(["smoke", server.baseUrl, "--caller", "+15550100174"], { DATA_DIR: server.dataDir, ...KEYS });

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}client-data before the call: \+15550100174 is already known/m);
    expect(run.stdout).toMatch(/^PASS {2}cleanup: forgot \+15550100174/m);
  });
});

describe("agentic-memory smoke, against a local server on Mem0 (the stand-in of Mem0's published API)", () => {
  let mem0: Mem0StandIn;
  let server: ServerProcess;
  let mem0Env: Record<string, string>;
  beforeAll(async () => {
    mem0 = await startMem0StandIn();
    mem0Env = { MEMORY_BACKEND: "mem0", MEM0_API_KEY: mem0.apiKey, MEM0_HOST: mem0.host };
    server = await startServerProcess({ env: mem0Env });
  });
  afterAll(async () => {
    await server.kill();
    await mem0.close();
  });

  it("also checks Mem0 itself: a current-facts read, the queued delete finished, the user entity gone, and says what it cannot check", async () => {
    const run = await cli(["smoke", server.baseUrl, "--caller", "+15550100176", "--json"], { DATA_DIR: server.dataDir, ...KEYS, ...mem0Env });
    const report = jsonOf<SmokeJson & { not_checked: string[] }>(run);

    expect(run.code).toBe(0);
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ["client-data before the call", true],
      ["signed post-call", true],
      ["client-data after the call", true],
      ["retrieve", true],
      ["unsigned post-call", true],
      ["mem0 current facts", true],
      ["mem0 queued delete finished", true],
      ["mem0 user entity gone", true],
    ]);
    expect(report.checks.find((c) => c.name === "mem0 current facts")?.detail).toMatch(/latest_only read is accepted: [1-9]\d* current/);
    expect(report.not_checked).toEqual([expect.stringContaining("Dream supersession")]);
    // What Mem0 was asked: current facts only, and the queued deletes waited for.
    expect(mem0.requests.some((r) => r.path === "/v3/memories/" && (r.body as { latest_only?: boolean }).latest_only === true)).toBe(true);
    expect(mem0.memories("+15550100176")).toEqual([]);
    expect(mem0.users()).not.toContain("+15550100176");
  });

  it("fails the Mem0 checks, exit code 1, when Mem0 keeps the caller's user entity after the forget", async () => {
    // Every entity delete answers 500: the forget fails, the memories may go, the entity stays.
    mem0.failNext(500, 1_000, "/v2/entities/user/%2B15550100177/");

    const run = await cli(["smoke", server.baseUrl, "--caller", "+15550100177", "--json"], { DATA_DIR: server.dataDir, ...KEYS, ...mem0Env });
    const report = jsonOf<SmokeJson>(run);
    mem0.failNext(500, 0);

    expect(run.code).toBe(1);
    expect(report.cleanup.status).toBe("warn");
    expect(report.checks.find((c) => c.name === "mem0 user entity gone")).toMatchObject({ ok: false, detail: "Mem0 still lists a user entity named +15550100177" });
  });
});
