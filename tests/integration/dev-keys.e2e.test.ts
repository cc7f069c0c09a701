import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startServerProcess } from "../support/local-server-process";

const NO_KEYS = { ELEVENLABS_WORKSPACE_KEY: "", ELEVENLABS_HMAC_KEY: "" };

describe("npm start without keys", () => {
  it("generates dev keys into DATA_DIR, prints them once with the URLs and a curl example, and reuses them", async () => {
    const first = await startServerProcess({ env: NO_KEYS });
    const printed = first.output();
    const workspaceKey = /ELEVENLABS_WORKSPACE_KEY=(\S+)/.exec(printed)?.[1] ?? "";
    const accepted = await fetch(`${first.baseUrl}/client-data`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Workspace-Key": workspaceKey },
      body: JSON.stringify({ caller_id: "+15550100133" }),
    });
    const dashboardToken = /DASHBOARD_TOKEN=(\S+)/.exec(printed)?.[1] ?? "";
    const signIn = await fetch(`${first.baseUrl}/dashboard/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: first.baseUrl },
      body: new URLSearchParams({ token: dashboardToken }).toString(),
    });
    await first.kill();

    const second = await startServerProcess({ env: NO_KEYS, dataDir: first.dataDir });
    const reprinted = second.output();
    await second.kill();

    expect(printed).toContain("Generated development keys");
    expect(workspaceKey).toMatch(/^dev_ws_[\w-]{20,}$/);
    expect(printed).toMatch(/ELEVENLABS_HMAC_KEY=dev_whsec_[\w-]{20,}/);
    for (const route of ["/client-data", "/retrieve", "/post-call"]) expect(printed).toContain(`${first.baseUrl}${route}`);
    expect(printed).toContain("curl -s");
    expect(accepted.status).toBe(200);
    expect(statSync(join(first.dataDir, "dev-keys.json")).mode & 0o777).toBe(0o600);
    expect(reprinted).toContain("Using the development keys");
    expect(reprinted).not.toContain(workspaceKey);
    // The dashboard token likewise: generated, printed once, kept for the next start.
    expect(printed).toContain("Generated a dashboard token");
    expect(dashboardToken).toMatch(/^dash_[\w-]{40,}$/);
    expect(signIn.status).toBe(303);
    expect(statSync(join(first.dataDir, "dashboard-token")).mode & 0o777).toBe(0o600);
    expect(reprinted).toContain("Dashboard token: the one in");
    expect(reprinted).not.toContain(dashboardToken);
  });

  it("reads its keys and settings from a .env file in the folder it starts in", async () => {
    const folder = mkdtempSync(join(tmpdir(), "agentic-memory-dotenv-"));
    writeFileSync(join(folder, ".env"), "ELEVENLABS_WORKSPACE_KEY=from-dotenv-workspace-key\nELEVENLABS_HMAC_KEY=from-dotenv-hmac-key\nRETRIEVE_REQUIRE_KEY=false\n");
    const server = await startServerProcess({ cwd: folder, withoutKeys: true });
    try {
      const withDotenvKey = await fetch(`${server.baseUrl}/client-data`, {
        method: "POST",
        headers: { "content-type": "application/json", "X-Workspace-Key": "from-dotenv-workspace-key" },
        body: JSON.stringify({ caller_id: "+15550100134" }),
      });
      const retrieveWithoutKey = await fetch(`${server.baseUrl}/retrieve`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "anything", user_id: "+15550100134" }),
      });

      expect(withDotenvKey.status).toBe(200);
      expect(retrieveWithoutKey.status).toBe(200);
      expect(server.output()).not.toContain("Generated development keys");
    } finally {
      await server.kill();
    }
  });

  it("refuses to start with a clear message naming a malformed setting", async () => {
    const failure = await startServerProcess({ env: { PORT: "not-a-port" } }).then(
      () => "started",
      (error: unknown) => String(error),
    );

    expect(failure).toMatch(/could not start: invalid configuration: PORT: must be a number/);
  });
});
