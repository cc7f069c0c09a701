import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signed, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, type ServerProcess } from "../support/local-server-process";

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true }).map(String);
  } catch {
    return [];
  }
}

describe("post-call when the inbox cannot store the event", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server.kill();
  });

  it("retries within the request, then answers a retryable 503 with nothing half-written; the next delivery is stored", async () => {
    const body = transcriptionFor({ conversationId: "conv_outage_1", callerId: "+15550100132" });
    // A file where the inbox folder should be: every write into it fails, as with a full or broken disk.
    writeFileSync(join(server.dataDir, "inbox"), "not a folder");

    const started = Date.now();
    const refused = await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(body, TEST_HMAC_KEY), body });
    const elapsed = Date.now() - started;
    const leftovers = [...filesUnder(join(server.dataDir, "processed")), ...filesUnder(join(server.dataDir, "archive"))];
    // Looked for before the retry: once it is stored, the worker writes (and renames) temp files of its own.
    const tempFiles = filesUnder(server.dataDir).filter((f) => f.includes(".tmp-"));

    rmSync(join(server.dataDir, "inbox"));
    const retried = await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(body, TEST_HMAC_KEY), body });

    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: "SERVICE_UNAVAILABLE" } });
    expect(elapsed).toBeGreaterThanOrEqual(100);
    expect(elapsed).toBeLessThan(5000);
    expect(leftovers).toEqual([]);
    expect(tempFiles).toEqual([]);
    expect(retried.status).toBe(200);
  });
});
