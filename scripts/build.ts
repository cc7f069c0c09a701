/**
 * `npm run build`: one esbuild bundle per declared Lambda function (adapters/function-declarations.ts),
 * `dist/lambda/<fn>/index.mjs` plus the chunks it loads on demand, for the Node.js 22 runtime. Code
 * splitting keeps the composition root's dynamic imports dynamic: a function loads only the use cases
 * and adapters its declaration and configuration select, so better-sqlite3 (external, embedded backend
 * only) is never imported on Lambda and post-call never loads the caller-name rules; and it carries
 * only those its declaration can wire at all (onlyWhatTheDeclarationWires).
 *
 * On Lambda the functions sign their SSM and S3 requests themselves (adapters/outbound/aws/signed-aws-client.ts)
 * and never load the SDK's clients on a cold start. Those clients are still bundled, not taken from the
 * runtime, for what is not signed (erasure, credentials from a profile or SSO): the SDK a Lambda runtime
 * ships changes under a deployed function without notice. mem0ai's unused axios is replaced by a stub.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build, type Plugin } from "esbuild";
import { FUNCTIONS as DECLARED, portsOf, wiredUseCases, type FunctionDeclaration, type FunctionName, type PortName } from "../adapters/function-declarations";

/** Bundle directory → handler source, for every declared function. */
export const FUNCTIONS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(DECLARED).map((declaration) => [declaration.name, declaration.entry]),
);

/** The Node.js version the bundles are compiled for: the Lambda runtime's (infra/functions.ts). */
export const BUNDLE_TARGET = "node22";


/**
 * Which of the composition root's lazily imported adapters a function may load: those of the ports
 * its use cases take (compose imports no other), its metric recorder if it records metrics, and never
 * the operator's CloudWatch reader. An adapter missing here is simply bundled as before.
 */
const ADAPTER_NEEDS: Readonly<Record<string, (ports: ReadonlySet<PortName>, declaration: FunctionDeclaration) => boolean>> = {
  "./outbound/mem0/mem0-memory-store": (ports) => ports.has("memoryStore"),
  "./outbound/embedded/sqlite-memory-store": (ports) => ports.has("memoryStore"),
  "./outbound/aws/s3-caller-profile-store": (ports) => ports.has("callerProfiles"),
  "./outbound/embedded/sqlite-caller-profile-store": (ports) => ports.has("callerProfiles"),
  "./outbound/aws/s3-event-inbox": (ports) => ports.has("eventInbox") || ports.has("conversationArchive"),
  "./outbound/aws/s3-conversation-archive": (ports) => ports.has("eventInbox") || ports.has("conversationArchive"),
  "./outbound/embedded/fs-event-inbox": (ports) => ports.has("eventInbox") || ports.has("conversationArchive"),
  "./outbound/embedded/fs-conversation-archive": (ports) => ports.has("eventInbox") || ports.has("conversationArchive"),
  "./inbound/elevenlabs/elevenlabs-conversation-reader": (ports) => ports.has("conversationReader"),
  "./outbound/elevenlabs/elevenlabs-audio-source": (ports) => ports.has("audioSource"),
  "./outbound/aws/emf-usage-recorder": (_, declaration) => declaration.recordsMetrics,
  "./outbound/embedded/sqlite-usage-store": (_, declaration) => declaration.recordsMetrics,
  "./outbound/aws/cloudwatch-usage-reader": () => false,
  "./outbound/aws/cloudwatch-client": () => false,
};

/**
 * A function's bundle carries only what its declaration can wire: the composition root's lazy import
 * of a use case it does not wire, or of an adapter none of its ports take ({@link ADAPTER_NEEDS}),
 * resolves to a stub that throws saying so. Not for the size alone: esbuild splits code shared by
 * different sets of lazily imported modules into chunks of their own, and with every use case and
 * adapter in every bundle a cold start read 45–50 files, most under 3 KB, at about 0.45 ms each.
 * A scope never imports what its declaration does not select, so no stub is ever loaded: the
 * deploy-parity test drives every function's bundle through a whole life.
 */
function onlyWhatTheDeclarationWires(fn: FunctionName): Plugin {
  const declaration = DECLARED[fn];
  const wired = wiredUseCases(declaration.useCases);
  const ports = portsOf(wired);
  const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const useCases = new Set(wired.map((useCase) => `../application/use-cases/${kebab(useCase)}.use-case`));
  const unused = (path: string): boolean => {
    if (path.startsWith("../application/use-cases/")) return !useCases.has(path);
    const needs = ADAPTER_NEEDS[path];
    return needs !== undefined && !needs(ports, declaration);
  };
  return {
    name: "only-what-the-declaration-wires",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (!args.importer.endsWith(join("adapters", "composition-root.ts")) || args.kind !== "dynamic-import" || !unused(args.path)) return undefined;
        return { path: args.path, namespace: "not-in-this-function" };
      });
      b.onLoad({ filter: /.*/, namespace: "not-in-this-function" }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not wired in the ${fn} function`)});`,
        loader: "js",
      }));
    },
  };
}

/** Bytes of the code a function ships (entry and chunks, without source maps). */
export function bundleBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".mjs"))
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

/** Where `bin/agentic-memory.mjs` looks for the built CLI (it falls back to the sources when this is older). */
export const CLI_BUNDLE = join("dist", "cli", "agentic-memory.mjs");

/**
 * The operator CLI as one ESM file (better-sqlite3, native, stays in node_modules): it starts in a
 * fraction of the time the sources take through tsx (which resolves every module through its loader
 * hooks), and it is the same code. `bin/agentic-memory.mjs` runs it while it is newer than every source.
 */
export async function buildCli(outfile: string = CLI_BUNDLE): Promise<void> {
  const result = await build({
    write: false,
    entryPoints: ["adapters/inbound/cli/main.ts"],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    // As for the functions: the SDK's ESM builds load faster than its CommonJS ones, axios is unused.
    mainFields: ["module", "main"],
    external: ["better-sqlite3"],
    alias: { axios: "./adapters/outbound/mem0/axios-stub.ts" },
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: "warning",
  });
  // Written aside and renamed: a CLI started meanwhile (a test, an operator) runs the old file or the new one, never half of one.
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild wrote no CLI bundle");
  mkdirSync(dirname(outfile), { recursive: true });
  const partial = `${outfile}.${process.pid}.partial`;
  writeFileSync(partial, output.contents);
  renameSync(partial, outfile);
}

async function main(): Promise<void> {
  // `--out DIR` builds elsewhere (tests do, so they never race the bench over dist/).
  const options = parseArgs({ options: { out: { type: "string" }, cli: { type: "boolean", default: false } } }).values;
  // `--cli`: the operator CLI only (the test set-up builds it once per run).
  if (options.cli === true) return buildCli();
  // The CLI is built with the functions only into dist/ (a build elsewhere is a test's or the bench's).
  if (options.out === undefined) await buildCli();
  const out = options.out ?? join("dist", "lambda");
  rmSync(out, { recursive: true, force: true });
  for (const [name, entry] of Object.entries(FUNCTIONS)) {
    const outdir = join(out, name);
    const plugins = [onlyWhatTheDeclarationWires(name as FunctionName)];
    await build({
      entryPoints: { index: entry },
      outdir,
      splitting: true,
      outExtension: { ".js": ".mjs" },
      chunkNames: "chunks/[name]-[hash]",
      bundle: true,
      platform: "node",
      target: BUNDLE_TARGET,
      format: "esm",
      minify: true,
      // Maps for reading a stack trace by hand, without the sources inside (they would quadruple the
      // package); not loaded at run time (no --enable-source-maps: it costs tens of ms per cold start).
      sourcemap: "linked",
      sourcesContent: false,
      // The ESM builds of the AWS SDK (its "module" field) are smaller and faster to load than the
      // CommonJS ones esbuild picks for platform "node" by default.
      mainFields: ["module", "main"],
      legalComments: "none",
      external: ["better-sqlite3"],
      // mem0ai builds an axios instance that none of the calls we make use (they go through its _fetchRawJson).
      alias: { axios: "./adapters/outbound/mem0/axios-stub.ts" },
      plugins,
      // Some dependencies are CommonJS and call require(); give the ESM bundle one.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      logLevel: "warning",
    });
    const entryKb = statSync(join(outdir, "index.mjs")).size / 1024;
    console.log(`${name.padEnd(12)} ${entryKb.toFixed(1).padStart(8)} KB entry, ${(bundleBytes(outdir) / 1024).toFixed(1).padStart(8)} KB in all  ${outdir}`);
  }
}

// Only when run as `npm run build`, not when the bench or tests import `bundleBytes`.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
