import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUNDLE_LIMIT_KB } from "../../bench/support/targets";
import { FUNCTIONS as DECLARED, type FunctionName } from "../../adapters/function-declarations";
import { bundleBytes, FUNCTIONS } from "../../scripts/build";
import { apiEvent } from "../support/lambda-events";
import { startMem0StandIn } from "../support/mem0-stand-in";

const ROOT = resolve(import.meta.dirname, "..", "..");
/**
 * The entry a cold start always loads (today ~100 KB): the adapters, the AWS SDK clients and mem0ai
 * stay in chunks imported on demand. A build without code splitting puts them all here.
 */
const ENTRY_LIMIT_KB = 200;
let isolated: string;

describe("npm run build: the Lambda bundles", () => {
  beforeAll(() => {
    // Built outside the project, as on Lambda: the bundle alone, no node_modules (the AWS SDK is bundled, not the runtime's).
    isolated = mkdtempSync(join(tmpdir(), "lambda-bundles-"));
    execFileSync("npm", ["run", "build", "--", "--out", isolated], { cwd: ROOT, stdio: "pipe" });
  }, 120_000);

  afterAll(() => rmSync(isolated, { recursive: true, force: true }));

  it.each(Object.keys(FUNCTIONS))("%s loads with no node_modules beside it and exports a handler", (fn) => {
    const script = `import(${JSON.stringify(join(isolated, fn, "index.mjs"))}).then((m) => console.log(typeof m.handler))`;

    const printed = execFileSync(process.execPath, ["-e", script], { cwd: isolated, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });

    expect(printed.trim()).toBe("function");
  });

  // The AWS SDK clients are bundled (about 1 MB of code per function); the guard catches a heavy new dependency.
  it.each(Object.keys(FUNCTIONS))(`%s ships at most ${BUNDLE_LIMIT_KB} KB of code`, (fn) => {
    expect(bundleBytes(join(isolated, fn)) / 1024).toBeLessThanOrEqual(BUNDLE_LIMIT_KB);
  });

  // The operator dashboard shows every caller's data: it runs on the operator's machine (npm start,
  // `agentic-memory dashboard`), never behind API Gateway. No function routes to it or carries its code.
  it.each(Object.keys(FUNCTIONS))("%s neither routes to nor carries the operator dashboard", (fn) => {
    const trigger = DECLARED[fn as FunctionName].trigger;
    const code = readdirSync(join(isolated, fn), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".mjs"))
      .map((file) => readFileSync(join(isolated, fn, file), "utf8"));

    expect(trigger.kind === "http" ? trigger.path : "").not.toMatch(/dashboard/);
    expect(code.some((text) => text.includes("agentic_memory_dashboard") || text.includes("Sign in to the dashboard"))).toBe(false);
  });

  // scripts/build.ts: fewer modules shared by fewer lazy imports, so a cold start reads fewer files.
  it("leaves out of each bundle what its declaration never wires: no Mem0 client in post-call, no ingestion outside the worker and the sweep", () => {
    const carries = (fn: string, text: string) =>
      readdirSync(join(isolated, fn), { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".mjs"))
        .some((file) => readFileSync(join(isolated, fn, file), "utf8").includes(text));

    expect(carries("post-call", "api.mem0.ai")).toBe(false);
    expect(carries("retrieve", "api.mem0.ai")).toBe(true);
    expect(Object.keys(FUNCTIONS).filter((fn) => carries(fn, "waiting_for_transcription")).sort()).toEqual(["sweep", "worker"]);
  });

  it.each(Object.keys(FUNCTIONS))(`%s has an entry of at most ${ENTRY_LIMIT_KB} KB: the rest loads on demand`, (fn) => {
    expect(statSync(join(isolated, fn, "index.mjs")).size / 1024).toBeLessThanOrEqual(ENTRY_LIMIT_KB);
  });

  // Mem0 goes over node:http (mem0-http-client.ts): fetch's undici costs ~70 ms on the first call of a cold start.
  it("retrieve answers from Mem0 without ever loading fetch (undici)", async () => {
    const mem0 = await startMem0StandIn();
    try {
      mem0.seed({ userId: "+15550100123", text: "Loves live jazz.", metadata: { type: "factual", source: "summary" } });
      const event = apiEvent("/retrieve", JSON.stringify({ query: "jazz", user_id: "+15550100123", limit: 5 }), { "x-workspace-key": "bundle-key" });
      const context = `{ functionName: "retrieve", awsRequestId: "1", getRemainingTimeInMillis: () => 30000 }`;
      const script = `const { handler } = await import(${JSON.stringify(join(isolated, "retrieve", "index.mjs"))});
        const answer = await handler(${JSON.stringify(event)}, ${context});
        console.error(JSON.stringify({ answer, undici: process.moduleLoadList.some((m) => m.includes("undici")) }));`;

      // Not execFileSync: the Mem0 stand-in answers from this very process.
      const { stderr } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
        cwd: isolated,
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", MEMORY_BACKEND: "mem0", MEM0_API_KEY: mem0.apiKey, MEM0_HOST: mem0.host, ELEVENLABS_WORKSPACE_KEY: "bundle-key" },
      });
      const { answer, undici } = JSON.parse(stderr.trim().split("\n").at(-1) ?? "{}") as { answer: { statusCode: number; body: string }; undici: boolean };

      expect(answer.statusCode).toBe(200);
      expect((JSON.parse(answer.body) as { memories: { memory: string }[] }).memories.map((m) => m.memory)).toEqual(["Loves live jazz."]);
      expect(mem0.requests.map((r) => r.path)).toContain("/v3/memories/search/");
      expect(undici).toBe(false);
    } finally {
      await mem0.close();
    }
  });
});
