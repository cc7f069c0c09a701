// Each function is wired from its declaration: only its use cases, only its secrets, only the
// backends those use cases need.
import { mkdtempSync } from "node:fs";
import { createServer, get } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFunctionScope, lambdaScope, primeOnLambda } from "../../adapters/composition-root";
import { ConfigError, loadEnv } from "../../adapters/config";
import { SecretReader } from "../../adapters/outbound/secret-reader";
import { eventually } from "../support/eventually";
import { startMem0StandIn } from "../support/mem0-stand-in";

const dataDir = () => mkdtempSync(join(tmpdir(), "function-scope-"));

describe("a function's scope", () => {
  it("wires post-call with the HMAC secret and the inbox only: Mem0 configured without its key does not stop it", async () => {
    // Prepare: what a deployment with the memory backend switched to Mem0 but no Mem0 key would give it.
    const env = loadEnv({ MEMORY_BACKEND: "mem0", DATA_DIR: dataDir(), ELEVENLABS_HMAC_KEY: "hmac" });

    // Act
    const scope = await buildFunctionScope("post-call", env);

    // Assess
    expect(Object.keys(scope).filter((key) => !["env", "settings", "logger", "metrics", "close", "prime"].includes(key))).toEqual(["acceptPostCall"]);
    await scope.close();
  });

  it("refuses to start client-data on Mem0 without the Mem0 key, naming it", async () => {
    const env = loadEnv({ MEMORY_BACKEND: "mem0", DATA_DIR: dataDir(), ELEVENLABS_WORKSPACE_KEY: "key" });

    const error = await buildFunctionScope("client-data", env).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("MEM0_API_KEY (or MEM0_API_KEY_PARAM)");
  });

  it("refuses to start post-call without its HMAC secret, naming both ways to give it", async () => {
    const env = loadEnv({ DATA_DIR: dataDir() });

    const error = await buildFunctionScope("post-call", env).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe("missing secrets: ELEVENLABS_HMAC_KEY (or ELEVENLABS_HMAC_KEY_PARAM)");
  });
});

describe("a function's Mem0 client", () => {
  it("is built with the scope of a function whose events use memories (retrieve), and only when first needed in client-data", async () => {
    const mem0 = await startMem0StandIn();
    const pings = () => mem0.requests.filter((r) => r.method === "GET" && r.path === "/v1/ping/").length;
    const env = loadEnv({ MEMORY_BACKEND: "mem0", MEM0_API_KEY: mem0.apiKey, MEM0_HOST: mem0.host, DATA_DIR: dataDir(), ELEVENLABS_WORKSPACE_KEY: "key" });
    try {
      // Act: client-data's scope first, then retrieve's; no event reaches either.
      const clientData = await buildFunctionScope("client-data", env);
      const retrieve = await buildFunctionScope("retrieve", env);

      // Assess: mem0ai pings Mem0 when its client is constructed; only retrieve's was.
      expect(await eventually(pings, (n) => n >= 1)).toBe(1);
      expect(mem0.requests.filter((r) => r.path !== "/v1/ping/")).toEqual([]);
      await Promise.all([clientData.close(), retrieve.close()]);
    } finally {
      await mem0.close();
    }
  });
});

describe("a function's initialisation on Lambda (primeOnLambda)", () => {
  it("builds the scope and the Mem0 client of retrieve before its first event, its connection open, and nothing off Lambda", async () => {
    const mem0 = await startMem0StandIn();
    const env = loadEnv({ MEMORY_BACKEND: "mem0", MEM0_API_KEY: mem0.apiKey, MEM0_HOST: mem0.host, DATA_DIR: dataDir(), ELEVENLABS_WORKSPACE_KEY: "key" });
    let builds = 0;
    let built: Awaited<ReturnType<typeof buildFunctionScope<"retrieve">>> | undefined;
    const scope = async () => {
      builds += 1;
      built ??= await buildFunctionScope("retrieve", env);
      return built;
    };
    try {
      // Act: where the Lambda runtime's variable is missing (tests, the local server), then where it is set.
      await primeOnLambda(scope, { env: {} });
      const offLambda = builds;
      await primeOnLambda(scope, { env: { AWS_LAMBDA_FUNCTION_NAME: "elevenlabs-agentic-memory-prod-retrieve" } });

      // Assess: built once, with its Mem0 client, whose ping (sent on construction) Mem0 has already
      // answered: the first event's request finds the connection open. No memory read.
      expect(offLambda).toBe(0);
      expect(builds).toBe(1);
      expect(mem0.requests.filter((r) => r.path === "/v1/ping/").map((r) => r.response?.status)).toEqual([200]);
      expect(mem0.requests.filter((r) => r.path !== "/v1/ping/")).toEqual([]);
      expect(mem0.connections).toBe(1);
    } finally {
      await built?.close();
      await mem0.close();
    }
  });

  it("waits about a second at most for a Mem0 that does not answer the ping, then leaves the connection to the first event", async () => {
    const mem0 = await startMem0StandIn();
    mem0.setDelay(30_000);
    const env = loadEnv({ MEMORY_BACKEND: "mem0", MEM0_API_KEY: mem0.apiKey, MEM0_HOST: mem0.host, DATA_DIR: dataDir(), ELEVENLABS_WORKSPACE_KEY: "key" });
    const built = buildFunctionScope("retrieve", env);
    const started = Date.now();
    try {
      await primeOnLambda(() => built, { env: { AWS_LAMBDA_FUNCTION_NAME: "elevenlabs-agentic-memory-prod-retrieve" } });

      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(900);
      expect(waited).toBeLessThan(5_000);
      expect(mem0.requests.map((r) => [r.path, r.response])).toEqual([["/v1/ping/", undefined]]);
    } finally {
      await (await built).close();
      await mem0.close();
    }
  });

  it("never fails the initialisation: a scope that cannot be built is built again, and its error reported, by the first event", async () => {
    // Prepare: no workspace key, which retrieve cannot start without.
    const scope = lambdaScope("retrieve");
    const previous = { ...process.env };
    delete process.env.ELEVENLABS_WORKSPACE_KEY;
    delete process.env.ELEVENLABS_WORKSPACE_KEY_PARAM;
    try {
      // Act
      await primeOnLambda(scope, { env: { AWS_LAMBDA_FUNCTION_NAME: "elevenlabs-agentic-memory-prod-retrieve" } });

      // Assess: the first event's build fails with the reason.
      await expect(scope()).rejects.toThrow("missing secrets: ELEVENLABS_WORKSPACE_KEY");
    } finally {
      process.env = previous;
    }
  });

  it("rehearses the handler's pure code only on Lambda, and an initialisation never fails over a rehearsal", async () => {
    let rehearsals = 0;
    let primes = 0;
    const scope = async () => ({ prime: async () => void (primes += 1) });
    const onLambda = { AWS_LAMBDA_FUNCTION_NAME: "elevenlabs-agentic-memory-prod-client-data" };

    await primeOnLambda(scope, { env: {}, rehearse: () => void (rehearsals += 1) });
    await primeOnLambda(scope, { env: onLambda, rehearse: () => void (rehearsals += 1) });
    await primeOnLambda(scope, { env: onLambda, rehearse: () => { throw new Error("sample no longer parses"); } });

    expect(rehearsals).toBe(1);
    expect(primes).toBe(2);
  });

  it("rehearses once the scope is built and the requests of its Init are handed over, before waiting for their answers", async () => {
    const order: string[] = [];
    const scope = async () => {
      // As compose does: the secrets' read is started, not awaited; node's HTTP client takes it on a later tick.
      void Promise.resolve().then(() => process.nextTick(() => order.push("secrets request handed to the HTTP client")));
      order.push("scope built");
      return {
        prime: async () => {
          order.push("profile read started");
          await new Promise((answered) => setTimeout(answered, 20));
          order.push("primed");
        },
      };
    };

    await primeOnLambda(scope, { env: { AWS_LAMBDA_FUNCTION_NAME: "elevenlabs-agentic-memory-prod-worker" }, rehearse: () => void order.push("rehearsal") });

    expect(order).toEqual(["scope built", "profile read started", "secrets request handed to the HTTP client", "rehearsal", "primed"]);
  });

  it("lets node's HTTP client work between the rehearsal's steps: a request of its Init is answered while the rehearsal runs", async () => {
    let answered = false;
    // The server answers a few turns of the event loop after the request (turns, not time: no clock in this test).
    const server = createServer((_, res) => {
      let turns = 4;
      const later = () => (--turns === 0 ? res.end("ok") : setImmediate(later));
      setImmediate(later);
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    const { port } = server.address() as AddressInfo;
    const scope = async () => ({
      prime: () =>
        new Promise<void>((primed) => {
          get({ host: "127.0.0.1", port, agent: false }, (res) => {
            res.resume();
            res.on("end", () => {
              answered = true;
              primed();
            });
          });
        }),
    });
    // What each step saw: in one piece, a rehearsal runs before any of the request's I/O.
    const seen: boolean[] = [];
    function* rehearsal(): Generator<void> {
      for (let step = 0; step < 20; step += 1) {
        seen.push(answered);
        yield;
      }
    }

    try {
      await primeOnLambda(scope, { env: { AWS_LAMBDA_FUNCTION_NAME: "elevenlabs-agentic-memory-prod-worker" }, rehearse: rehearsal });
    } finally {
      server.close();
    }

    expect(seen).toHaveLength(20);
    expect(seen[0]).toBe(false);
    expect(seen.at(-1)).toBe(true);
  });

  it("waits no longer than its budget for a step that hangs, such as an SSM read that never answers", async () => {
    const hanging = { prime: () => new Promise<void>(() => undefined) };
    const started = Date.now();

    await primeOnLambda(async () => hanging, { env: { AWS_LAMBDA_FUNCTION_NAME: "elevenlabs-agentic-memory-prod-worker" }, budgetMs: 50 });

    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("SecretReader", () => {
  it("reads a declared secret from the environment", async () => {
    const reader = new SecretReader(loadEnv({ ELEVENLABS_HMAC_KEY: "hmac" }), ["ELEVENLABS_HMAC_KEY"], ["ELEVENLABS_HMAC_KEY"]);

    expect(await reader.get("ELEVENLABS_HMAC_KEY")).toBe("hmac");
  });

  it("never reads a secret the function did not declare, even one the environment holds", async () => {
    const reader = new SecretReader(loadEnv({ ELEVENLABS_HMAC_KEY: "hmac", ELEVENLABS_WORKSPACE_KEY: "key" }), ["ELEVENLABS_HMAC_KEY"], []);

    await expect(reader.get("ELEVENLABS_WORKSPACE_KEY")).rejects.toThrow("ELEVENLABS_WORKSPACE_KEY is not among this function's declared secrets");
    expect(() => reader.isConfigured("ELEVENLABS_WORKSPACE_KEY")).toThrow("ELEVENLABS_WORKSPACE_KEY is not among this function's declared secrets");
  });

  it("answers undefined for an optional secret that is not configured, and names it when it is required", async () => {
    const reader = new SecretReader(loadEnv({}), ["ELEVENLABS_API_KEY"], []);

    expect(await reader.find("ELEVENLABS_API_KEY")).toBeUndefined();
    await expect(reader.get("ELEVENLABS_API_KEY")).rejects.toThrow("ELEVENLABS_API_KEY is not configured (set ELEVENLABS_API_KEY or ELEVENLABS_API_KEY_PARAM)");
  });
});
