import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signatureHeader } from "../../domain/webhook-signature";
import { fixtureText } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";
import { cli, clientData, eventually, jsonOf, tempDir } from "./cli-process";

const FIXTURE = "tests/fixtures/post-call-transcription.json";
/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const KEYS = { ELEVENLABS_WORKSPACE_KEY: TEST_WORKSPACE_KEY, ELEVENLABS_HMAC_KEY: TEST_HMAC_KEY };

describe("agentic-memory sign", () => {
  it("prints the header ElevenLabs would send for the file's exact bytes", async () => {
    const run = await cli(["sign", FIXTURE, "--timestamp", "1767268871"], KEYS);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${signatureHeader(TEST_HMAC_KEY, fixtureText("post-call-transcription.json"), 1767268871)}\n`);
  });

  it("signs for now by default, reads stdin for -, and answers JSON with --json", async () => {
    const body = '{"type":"post_call_audio"}';

    const run = await cli(["sign", "-", "--json"], KEYS, { input: body });
    const { header, timestamp } = jsonOf<{ header: string; timestamp: number }>(run);

    expect(run.code).toBe(0);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(header).toBe(signatureHeader(TEST_HMAC_KEY, body, timestamp));
  });

  it("uses the dev keys the local server generated in DATA_DIR when no key is configured", async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, "dev-keys.json"), JSON.stringify({ workspaceKey: "dev_ws_fixture", hmacKey: "dev_whsec_fixture" }));

    const run = await cli(["sign", FIXTURE, "--timestamp", "1"], { DATA_DIR: dataDir });

    expect(run.stdout.trim()).toBe(signatureHeader("dev_whsec_fixture", fixtureText("post-call-transcription.json"), 1));
  });

  it("says which key is missing, and which file cannot be read", async () => {
    const noKey = await cli(["sign", FIXTURE], { DATA_DIR: join(tempDir(), "absent") });
    const noFile = await cli(["sign", "no/such/file.json"], KEYS);

    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain("ELEVENLABS_HMAC_KEY is not set");
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("cannot read no/such/file.json");
  });
});

describe("agentic-memory simulate-call, against a running local server", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server.kill();
  });

  it("sends the fixture as a signed post-call to a base URL, prints the answer, and the caller is remembered", async () => {
    const run = await cli(["simulate-call", server.baseUrl, "--caller", "+1 555 010 0161", "--conversation-id", "conv_simulated_1"], KEYS);
    const next = await eventually(
      () => clientData(server.baseUrl, TEST_WORKSPACE_KEY, "+15550100161"),
      (answer) => answer.variables.returning_caller === "yes",
    );

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`POST ${server.baseUrl}/post-call → 200 {"status":"ok"}\n`);
    expect(next.variables).toMatchObject({ returning_caller: "yes", caller_name: "Marisol" });
  });

  it("accepts the full /post-call URL and another file, and answers JSON with --json", async () => {
    const run = await cli(["simulate-call", `${server.baseUrl}/post-call/`, "--file", "tests/fixtures/post-call-audio.json", "--json"], KEYS);

    expect(run.code).toBe(0);
    expect(jsonOf(run)).toEqual({ url: `${server.baseUrl}/post-call`, status: 200, body: { status: "ok" } });
  });

  it("exits 1 and shows the answer when the deployment refuses the webhook", async () => {
    const run = await cli(["simulate-call", server.baseUrl], { ...KEYS, ELEVENLABS_HMAC_KEY: "not-the-server-key" });

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/→ 401 .*SIGNATURE_MISMATCH/);
  });

  it("exits 1 with the reason when nothing answers, and 2 for a bad URL or caller", async () => {
    const unreachable = await cli(["simulate-call", `http://127.0.0.1:${await closedPort()}`], KEYS);
    const badUrl = await cli(["simulate-call", "memory.example.com"], KEYS);
    const badCaller = await cli(["simulate-call", server.baseUrl, "--caller", "restricted"], KEYS);

    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/fetch failed \(ECONNREFUSED\)/);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain("is not a URL");
    expect(badCaller.code).toBe(2);
    expect(badCaller.stderr).toContain("withheld");
  });

  it("prints a header the server accepts for a curl-style request", async () => {
    const body = fixtureText("post-call-seed-format.json");
    const run = await cli(["sign", "tests/fixtures/post-call-seed-format.json"], KEYS);

    const response = await fetch(`${server.baseUrl}/post-call`, {
      method: "POST",
      headers: { "content-type": "application/json", "ElevenLabs-Signature": run.stdout.trim() },
      body,
    });

    expect(response.status).toBe(200);
  });
});
