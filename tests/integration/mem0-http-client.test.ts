import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HttpExchange } from "../../adapters/outbound/http/http-exchange";
import { createMem0Client } from "../../adapters/outbound/mem0/mem0-http-client";
import { createMem0MemoryStore } from "../../adapters/outbound/mem0/mem0-memory-store";
import type { CallerId } from "../../domain/caller-id";
import { describeError } from "../../domain/error-description";
import { startMem0StandIn, type Mem0StandIn } from "../support/mem0-stand-in";

// mem0ai reads these once, at import: no telemetry, and its state directory in a temp dir.
process.env.MEM0_TELEMETRY = "false";
process.env.MEM0_DIR = mkdtempSync(join(tmpdir(), "mem0-http-client-dir-"));
const mem0 = await import("mem0ai");

const ALICE = "+15550100123" as CallerId;

/** A port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("Mem0 over node:http", () => {
  let standIn: Mem0StandIn;
  beforeEach(async () => {
    standIn = await startMem0StandIn();
    // The client logs its failed background ping (a bad key, no server) and the identity it then lacks; that is mem0ai's, and expected here.
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await standIn.close();
  });

  describe("what a failing Mem0 looks like", () => {
    it("refuses a wrong API key with mem0ai's AuthenticationError, Mem0's own message in it", async () => {
      const store = await createMem0MemoryStore({ apiKey: "m0-not-the-key", host: standIn.host });

      const searched = await store.search({ userId: ALICE, query: "jazz", limit: 5 }).catch((error: unknown) => error);
      const listed = await store.list(ALICE).catch((error: unknown) => error);

      for (const error of [searched, listed]) {
        expect(error).toBeInstanceOf(mem0.MemoryError);
        expect(error).toMatchObject({ name: "AuthenticationError", errorCode: "HTTP_401", message: expect.stringContaining("Invalid API key") });
      }
      expect(standIn.requests.filter((r) => r.response?.status === 401).map((r) => r.path)).toEqual(expect.arrayContaining(["/v3/memories/search/", "/v3/memories/"]));
    });

    it("says which network error it was when Mem0 cannot be reached, as fetch did", async () => {
      const store = await createMem0MemoryStore({ apiKey: standIn.apiKey, host: `http://127.0.0.1:${await closedPort()}` });

      const error = await store.search({ userId: ALICE, query: "jazz", limit: 5 }).catch((e: unknown) => e);

      expect(error).toMatchObject({ name: "Mem0RequestError" });
      expect(describeError(error)).toContain("ECONNREFUSED");
    });

    it("drops a request Mem0 never answers once the connection has been silent too long, instead of hanging", async () => {
      const client = createMem0Client(mem0, { apiKey: standIn.apiKey, host: standIn.host }, new HttpExchange({ connectTimeoutMs: 1_000, socketTimeoutMs: 200 }));
      await vi.waitFor(() => expect(standIn.requests.find((r) => r.path === "/v1/ping/")?.response?.status).toBe(200));
      standIn.setDelay(60_000);
      const started = performance.now();

      const error = await client.search("jazz", { filters: { user_id: ALICE } }).catch((e: unknown) => e);

      expect(performance.now() - started).toBeLessThan(5_000);
      expect(error).toMatchObject({ name: "Mem0RequestError" });
      expect(describeError(error)).toContain("no answer within 200 ms");
      // It reached Mem0, which is still holding its answer.
      const [last] = standIn.requests.slice(-1);
      expect([last?.path, last?.response]).toEqual(["/v3/memories/search/", undefined]);
    });
  });

  describe("the connection a cold start opens", () => {
    it("tells when Mem0 answered the client's ping, and a request made after it uses that connection", async () => {
      const store = await createMem0MemoryStore({ apiKey: standIn.apiKey, host: standIn.host });

      await store.connected();
      const pingAnswered = standIn.requests.find((r) => r.path === "/v1/ping/")?.response?.status;
      await store.search({ userId: ALICE, query: "jazz", limit: 5 });

      expect(pingAnswered).toBe(200);
      expect(standIn.connections).toBe(1);
    });

    it("opens a second connection for a request made while the ping is still out (what connected() saves a first event)", async () => {
      const store = await createMem0MemoryStore({ apiKey: standIn.apiKey, host: standIn.host });

      await store.search({ userId: ALICE, query: "jazz", limit: 5 });
      await store.connected();

      expect(standIn.connections).toBe(2);
    });

    it("settles, never rejects, when the ping fails: a wrong key, or no Mem0 at all", async () => {
      const refused = await createMem0MemoryStore({ apiKey: "m0-not-the-key", host: standIn.host });
      const unreachable = await createMem0MemoryStore({ apiKey: standIn.apiKey, host: `http://127.0.0.1:${await closedPort()}` });

      await expect(refused.connected()).resolves.toBeUndefined();
      await expect(unreachable.connected()).resolves.toBeUndefined();
      expect(standIn.requests.find((r) => r.path === "/v1/ping/")?.response?.status).toBe(401);
    });
  });
});
