// `agentic-memory dashboard`: the dashboard alone, on the loopback address, over the DATA_DIR a
// server left behind; signed in with a token printed once when DASHBOARD_TOKEN is unset.
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { signed, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY } from "../support/local-server-process";
import { eventually, filesUnder } from "./cli-process";
import { signIn, startDashboard } from "./dashboard-process";

const CALLER = "+15550100191";

describe("agentic-memory dashboard (local DATA_DIR)", () => {
  const running: ChildProcess[] = [];
  afterEach(() => {
    for (const child of running.splice(0)) child.kill("SIGTERM");
  });

  it("serves on 127.0.0.1 only, prints a one-run token when DASHBOARD_TOKEN is unset, and shows the server's callers after sign-in", async () => {
    const server = await startServerProcess({ env: { DASHBOARD_TOKEN: "server-dashboard-token-0123456789" } });
    const body = transcriptionFor({ conversationId: "conv_cli_dash_1", callerId: CALLER });
    expect((await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(body, TEST_HMAC_KEY), body })).status).toBe(200);
    await eventually(() => filesUnder(`${server.dataDir}/processed`), (files) => files.length === 1, 20_000);
    await server.kill();

    const dashboard = await startDashboard({ DATA_DIR: server.dataDir, ELEVENLABS_WORKSPACE_KEY: TEST_WORKSPACE_KEY, ELEVENLABS_HMAC_KEY: TEST_HMAC_KEY });
    running.push(dashboard.child);
    const token = /generated for this run, shown only once\):\n\s+(\S+)/.exec(dashboard.output())?.[1] ?? "";

    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect((await fetch(`${dashboard.url}/dashboard/callers`)).status).toBe(401);
    expect((await signIn(dashboard.url, "server-dashboard-token-0123456789")).status).toBe(401); // another run's token
    const session = await signIn(dashboard.url, token);
    expect(session.status).toBe(303);
    const page = await fetch(`${dashboard.url}/dashboard/callers`, { headers: { cookie: session.cookie ?? "" } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("+*******0191");
    expect(html).not.toContain(CALLER);
  }, 60_000);

  it("uses DASHBOARD_TOKEN when it is set, and refuses one too short to guard callers' data", async () => {
    const server = await startServerProcess();
    await server.kill();
    const env = { DATA_DIR: server.dataDir, ELEVENLABS_WORKSPACE_KEY: TEST_WORKSPACE_KEY, ELEVENLABS_HMAC_KEY: TEST_HMAC_KEY };

    const dashboard = await startDashboard({ ...env, DASHBOARD_TOKEN: "operator-chosen-token-0123456789" });
    running.push(dashboard.child);
    const short = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ["bin/agentic-memory.mjs", "dashboard", "--port", "0"], { env: { PATH: process.env.PATH ?? "", ...env, DASHBOARD_TOKEN: "short" }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      child.once("exit", (code) => resolve({ code, output }));
    });

    expect(dashboard.output()).toContain("Sign in with DASHBOARD_TOKEN.");
    expect(dashboard.output()).not.toContain("operator-chosen-token");
    expect((await signIn(dashboard.url, "operator-chosen-token-0123456789")).status).toBe(303);
    expect(short.code).toBe(1);
    expect(short.output).toContain("DASHBOARD_TOKEN: must be at least 16 characters");
  }, 60_000);
});
