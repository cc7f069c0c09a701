import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUNDLE_LIMIT_KB } from "../../bench/support/targets";
import { FUNCTIONS as DECLARED, type FunctionName } from "../../adapters/function-declarations";
import { bundleBytes, FUNCTIONS } from "../../scripts/build";
import { apiEvent } from "../support/lambda-events";
import { startMem0StandIn } from "../support/mem0-stand-in";

const ROOT = resolve(import.meta.dirname, "..", "..");
/**
 * The files a cold start loads before its first event: the entry and the few chunks it shares with
 * what loads on demand (today 4–5). Each ESM module costs node ~1 ms to resolve, read, link and
 * evaluate; with the wired adapters as lazy imports a worker's cold start read 38 files.
 */
const STATIC_FILES_LIMIT = 6;
let isolated: string;

/** The bundle's files a cold start loads before its first event: the entry and, transitively, the chunks it imports statically. */
function staticGraph(fn: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, "utf8");
    for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[^"'();]*?from\s*)?["'](\.[^"']+)["']/g)) visit(join(dirname(file), m[1] as string));
  };
  visit(join(isolated, fn, "index.mjs"));
  return [...seen];
}

/** The sources (from each file's source map) of the given bundle files, as paths in the project: `node_modules/mem0ai/dist/index.mjs`, `adapters/...`. */
function sourcesOf(files: readonly string[]): string[] {
  // The maps name sources relative to where the build wrote them: npm run build -- --out <isolated>.
  return files.flatMap((file) => (JSON.parse(readFileSync(`${file}.map`, "utf8")) as { sources: string[] }).sources.map((source) => relative(ROOT, resolve(dirname(file), source))));
}

/**
 * `script` (an ES module's text) run by a fresh node, with a loader hook that records every specifier
 * the files of `fn`'s bundle import as ES modules (what node resolves; a `require` it never sees).
 */
async function withEsImportsRecorded(fn: string, script: string, env: NodeJS.ProcessEnv): Promise<{ imported: string[]; stdout: string; stderr: string }> {
  const hooks = mkdtempSync(join(tmpdir(), "esm-imports-"));
  try {
    const log = join(hooks, "imports.log");
    writeFileSync(
      join(hooks, "hooks.mjs"),
      `import { appendFileSync } from "node:fs";
      export async function resolve(specifier, context, next) {
        if (context.parentURL?.startsWith(${JSON.stringify(pathToFileURL(join(isolated, fn)).href)})) appendFileSync(${JSON.stringify(log)}, specifier + "\\n");
        return next(specifier, context);
      }`,
    );
    writeFileSync(join(hooks, "register.mjs"), `import { register } from "node:module"; register("./hooks.mjs", import.meta.url);`);
    // Not execFileSync: a stand-in may answer from this very process.
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", pathToFileURL(join(hooks, "register.mjs")).href, "--input-type=module", "-e", script], {
      cwd: isolated,
      encoding: "utf8",
      env,
    });
    return { imported: readFileSync(log, "utf8").split("\n").filter(Boolean), stdout, stderr };
  } finally {
    rmSync(hooks, { recursive: true, force: true });
  }
}

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
  it("leaves out of each bundle what its declaration never wires: no Mem0 client nor caller-id parser in post-call, no ingestion outside the worker and the sweep", () => {
    const carries = (fn: string, text: string) =>
      readdirSync(join(isolated, fn), { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".mjs"))
        .some((file) => readFileSync(join(isolated, fn, file), "utf8").includes(text));

    expect(carries("post-call", "api.mem0.ai")).toBe(false);
    // Post-call stores the raw bytes and reads no caller id: libphonenumber's parser stays out (its metadata checks DEFAULT_REGION).
    const postCallFiles = readdirSync(join(isolated, "post-call"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".mjs")).map((file) => join(isolated, "post-call", file));
    expect(sourcesOf(postCallFiles).filter((source) => /libphonenumber-js\/.*parse/i.test(source))).toEqual([]);
    expect(carries("retrieve", "api.mem0.ai")).toBe(true);
    expect(Object.keys(FUNCTIONS).filter((fn) => carries(fn, "waiting_for_transcription")).sort()).toEqual(["sweep", "worker"]);
  });

  // scripts/build.ts (wiredAsDeclared): what a function wires is one static module graph; what only some events need stays lazy.
  it.each(Object.keys(FUNCTIONS))(`%s loads its wired use cases and adapters in at most ${STATIC_FILES_LIMIT} files, and nothing it needs only sometimes`, (fn) => {
    const declaration = DECLARED[fn as FunctionName];
    const files = staticGraph(fn);
    const sources = sourcesOf(files);
    const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

    expect(files.length).toBeLessThanOrEqual(STATIC_FILES_LIMIT);
    expect(sources).toEqual(expect.arrayContaining(declaration.useCases.map((useCase) => `application/use-cases/${kebab(useCase)}.use-case.ts`)));
    // The AWS SDK clients (erasure, credentials from a profile), mem0ai (not needed for a caller answered from the profile) and the language identification.
    expect(sources.filter((source) => /node_modules\/(@aws-sdk\/client-|mem0ai\/|franc)/.test(source))).toEqual([]);
  });

  it.each(Object.keys(FUNCTIONS))("%s carries no embedded store: on Lambda memories live in Mem0 and the archive in S3", (fn) => {
    const every = readdirSync(join(isolated, fn), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".mjs")).map((file) => join(isolated, fn, file));

    expect(sourcesOf(every).filter((source) => source.includes("adapters/outbound/embedded/"))).toEqual([]);
  });

  it("a function started without Mem0 configured says why it cannot store memories, instead of looking for better-sqlite3", () => {
    const event = apiEvent("/retrieve", JSON.stringify({ query: "jazz", user_id: "+15550100123", limit: 5 }), { "x-workspace-key": "bundle-key" });
    const context = `{ functionName: "retrieve", awsRequestId: "1", getRemainingTimeInMillis: () => 30000 }`;
    const script = `const { handler } = await import(${JSON.stringify(join(isolated, "retrieve", "index.mjs"))});
      console.log(JSON.stringify(await handler(${JSON.stringify(event)}, ${context})));`;

    const { stdout, stderr } = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: isolated, encoding: "utf8", env: { PATH: process.env.PATH ?? "", ELEVENLABS_WORKSPACE_KEY: "bundle-key" } });

    expect(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}")).toMatchObject({ statusCode: 500 });
    expect(stdout + stderr).toContain("is not in the retrieve function's bundle: a function keeps memories in Mem0 and the archive in S3 (MEMORY_BACKEND=mem0 and ARCHIVE_BUCKET");
  });

  // Mem0 goes over node:http (mem0-http-client.ts): fetch's undici costs ~70 ms on the first call of a cold start.
  // And node:http is taken as node's own module (http-exchange.ts): on Node 22, the Lambda runtime's, its
  // ES module loads undici too (~40 ms; nodejs/node#57649), which this machine's Node 20 would not show
  // by the modules loaded, so the ES modules the bundle imports are recorded by a loader hook.
  it("retrieve answers from Mem0 without loading fetch (undici) or node:http as an ES module", async () => {
    const mem0 = await startMem0StandIn();
    try {
      mem0.seed({ userId: "+15550100123", text: "Loves live jazz.", metadata: { type: "factual", source: "summary" } });
      const event = apiEvent("/retrieve", JSON.stringify({ query: "jazz", user_id: "+15550100123", limit: 5 }), { "x-workspace-key": "bundle-key" });
      const context = `{ functionName: "retrieve", awsRequestId: "1", getRemainingTimeInMillis: () => 30000 }`;
      const script = `const { handler } = await import(${JSON.stringify(join(isolated, "retrieve", "index.mjs"))});
        const answer = await handler(${JSON.stringify(event)}, ${context});
        console.error(JSON.stringify({ answer, undici: process.moduleLoadList.some((m) => m.includes("undici")) }));`;

      const { imported, stderr } = await withEsImportsRecorded("retrieve", script, {
        PATH: process.env.PATH ?? "",
        MEMORY_BACKEND: "mem0",
        MEM0_API_KEY: mem0.apiKey,
        MEM0_HOST: mem0.host,
        ELEVENLABS_WORKSPACE_KEY: "bundle-key",
      });
      const { answer, undici } = JSON.parse(stderr.trim().split("\n").at(-1) ?? "{}") as { answer: { statusCode: number; body: string }; undici: boolean };

      expect(answer.statusCode).toBe(200);
      expect((JSON.parse(answer.body) as { memories: { memory: string }[] }).memories.map((m) => m.memory)).toEqual(["Loves live jazz."]);
      expect(mem0.requests.map((r) => r.path)).toContain("/v3/memories/search/");
      expect(undici).toBe(false);
      // The hook saw the bundle's ES imports: of node's built-ins, only its banner's node:module (see the next test).
      expect([...new Set(imported.filter((specifier) => isBuiltin(specifier)))]).toEqual(["node:module"]);
    } finally {
      await mem0.close();
    }
  });

  // node builds a built-in's ES module by reading every export once, lazy getters included: node:process
  // builds allowedNodeEnvironmentFlags and opens stdin, stdout and stderr, node:fs loads its streams,
  // node:crypto webcrypto (scripts/build.ts, builtinsAsNodeModules). Recorded by a loader hook, as above.
  it.each(Object.keys(FUNCTIONS))("%s takes node's built-ins as node's own modules: its only built-in ES import is the banner's node:module", async (fn) => {
    const script = `const m = await import(${JSON.stringify(join(isolated, fn, "index.mjs"))}); console.log(typeof m.handler);`;

    const { imported, stdout } = await withEsImportsRecorded(fn, script, { PATH: process.env.PATH ?? "" });

    expect(stdout.trim()).toBe("function");
    // The entry's chunks were seen too: the hook watched the whole static graph.
    expect(imported.some((specifier) => specifier.startsWith("./chunks/"))).toBe(true);
    expect([...new Set(imported.filter((specifier) => isBuiltin(specifier)))]).toEqual(["node:module"]);
  });
});
