// Each function is wired from its declaration: only its use cases, only its secrets, only the
// backends those use cases need.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFunctionScope } from "../../adapters/composition-root";
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
    expect(Object.keys(scope).filter((key) => !["env", "settings", "logger", "metrics", "close"].includes(key))).toEqual(["acceptPostCall"]);
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
  it("is built with the scope of a function whose every event uses memories (retrieve), and only when first needed in client-data", async () => {
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
