import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { signed, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";
import { startMem0StandIn, type Mem0StandIn } from "../support/mem0-stand-in";

const run = promisify(execFile);

const failedFiles = (dataDir: string) => {
  try {
    return readdirSync(join(dataDir, "failed", "post_call_transcription"));
  } catch {
    return [];
  }
};

describe("ingestion when the memory service fails (npm start with MEMORY_BACKEND=mem0)", () => {
  let mem0: Mem0StandIn;
  let server: ServerProcess;
  const env = () => ({
    MEMORY_BACKEND: "mem0",
    MEM0_API_KEY: mem0.apiKey,
    MEM0_HOST: mem0.host,
    MEM0_DIR: join(server?.dataDir ?? "/tmp", ".mem0"),
    WORKER_MAX_ATTEMPTS: "3",
    WORKER_RETRY_BASE_MS: "50",
  });

  beforeAll(async () => {
    mem0 = await startMem0StandIn();
    server = await startServerProcess({ env: env() });
  });
  afterAll(async () => {
    await server?.kill();
    await mem0?.close();
  });

  it.each([
    ["500", "+15550100141", () => mem0.failNext(500, 10_000)],
    ["429", "+15550100142", () => mem0.failNext(429, 10_000)],
    ["a hang", "+15550100143", () => mem0.setDelay(30_000)],
  ])("parks the event in failed/ with its reason after bounded retries on %s, and replay writes its memories exactly once", async (label, caller, inject) => {
    const conversationId = `conv_fault_${label.replace(/\W/g, "")}`;
    const body = transcriptionFor({ conversationId, callerId: caller });
    inject();

    const ack = await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(body, TEST_HMAC_KEY), body });
    const parked = await eventually(() => failedFiles(server.dataDir), (f) => f.includes(`${conversationId}.json`), 20_000);
    const note = JSON.parse(readFileSync(join(server.dataDir, "failed-reasons", "post_call_transcription", `${conversationId}.json`), "utf8")) as { reason: string };
    const memoriesWhileFailing = mem0.memories(caller).length;

    mem0.reset();
    const replay = await run(process.execPath, ["bin/agentic-memory.mjs", "replay", "--json"], { env: { ...process.env, DATA_DIR: server.dataDir, ELEVENLABS_WORKSPACE_KEY: TEST_WORKSPACE_KEY, ELEVENLABS_HMAC_KEY: TEST_HMAC_KEY, ...env() } });
    const report = JSON.parse(replay.stdout) as { replayed: number; failed: number; events: { id: string; status: string }[] };
    const afterReplay = mem0.memories(caller).length;
    const again = await run(process.execPath, ["bin/agentic-memory.mjs", "replay", "--json"], { env: { ...process.env, DATA_DIR: server.dataDir, ...env() } });

    expect(ack.status).toBe(200);
    expect(parked).toContain(`${conversationId}.json`);
    expect(note.reason).toMatch(/3 attempts failed/);
    expect(memoriesWhileFailing).toBe(0);
    expect(report.failed).toBe(0);
    expect(report.events).toContainEqual({ id: `post_call_transcription/${conversationId}`, previousReason: note.reason, status: "ingested" });
    expect(afterReplay).toBeGreaterThan(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ replayed: 0, failed: 0 });
    expect(mem0.memories(caller).length).toBe(afterReplay);
    expect(failedFiles(server.dataDir)).not.toContain(`${conversationId}.json`);
  }, 60_000);
});
