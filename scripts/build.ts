/**
 * `npm run build`: one esbuild bundle per declared Lambda function (adapters/function-declarations.ts),
 * `dist/lambda/<fn>/index.mjs` plus the chunks it loads on demand, for the Node.js 22 runtime. Each
 * bundle takes the use cases and adapters its declaration wires as one static module graph, and
 * leaves out what it never wires (wiredAsDeclared): post-call carries no Mem0 client and no
 * caller-name rules, no function carries the embedded stores (better-sqlite3 stays external, for the
 * local server and the CLI). Code splitting keeps what only some events need in chunks of its own.
 *
 * On Lambda the functions sign their SSM and S3 requests themselves (adapters/outbound/aws/signed-aws-client.ts)
 * and never load the SDK's clients on a cold start. Those clients are still bundled, not taken from the
 * runtime, for what is not signed (erasure, credentials from a profile or SSO): the SDK a Lambda runtime
 * ships changes under a deployed function without notice. mem0ai's unused axios is replaced by a stub,
 * and libphonenumber's numbering plans are parsed country by country on first use (phonePlansParsedOnUse).
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
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


/** How a function's bundle takes one of the composition root's lazy imports (see {@link wiredAsDeclared}). */
type Take = "static" | "absent";

/**
 * Every module the composition root (and the secret reader it builds) imports lazily, and how each
 * function's bundle takes it: `static` where the function's declaration wires it, `absent` where it
 * never can. The embedded stores are never in a function: Lambda's disk is read-only but for a /tmp
 * that lives as long as one instance, and the Pulumi program gives every function Mem0 and the bucket
 * (infra/functions.ts) from the same declaration. A lazy import not listed here fails the build.
 */
const COMPOSITION_IMPORTS: Readonly<Record<string, (ports: ReadonlySet<PortName>, declaration: FunctionDeclaration) => Take>> = {
  "../application/caller-profiles": (ports) => (ports.has("callerProfiles") ? "static" : "absent"),
  "./outbound/mem0/mem0-memory-store": (ports) => (ports.has("memoryStore") ? "static" : "absent"),
  "./outbound/aws/s3-caller-profile-store": (ports) => (ports.has("callerProfiles") ? "static" : "absent"),
  "./outbound/aws/s3-access": (ports) => (ports.has("callerProfiles") || ports.has("eventInbox") || ports.has("conversationArchive") ? "static" : "absent"),
  "./outbound/aws/s3-event-inbox": (ports) => (ports.has("eventInbox") || ports.has("conversationArchive") ? "static" : "absent"),
  "./outbound/aws/s3-conversation-archive": (ports) => (ports.has("eventInbox") || ports.has("conversationArchive") ? "static" : "absent"),
  "./inbound/elevenlabs/elevenlabs-conversation-reader": (ports) => (ports.has("conversationReader") ? "static" : "absent"),
  "./outbound/elevenlabs/elevenlabs-audio-source": (ports) => (ports.has("audioSource") ? "static" : "absent"),
  "./outbound/aws/emf-usage-recorder": (_, declaration) => (declaration.recordsMetrics ? "static" : "absent"),
  "./aws/ssm-secrets": (_, declaration) => (declaration.secrets.length > 0 ? "static" : "absent"),
  "./aws/ssm-parameter-reader": (_, declaration) => (declaration.secrets.length > 0 ? "static" : "absent"),
  "./outbound/embedded/sqlite-memory-store": () => "absent",
  "./outbound/embedded/sqlite-caller-profile-store": () => "absent",
  "./outbound/embedded/sqlite-usage-store": () => "absent",
  "./outbound/embedded/fs-event-inbox": () => "absent",
  "./outbound/embedded/fs-conversation-archive": () => "absent",
  "./outbound/aws/cloudwatch-usage-reader": () => "absent",
  "./outbound/aws/cloudwatch-client": () => "absent",
};

/** The files whose lazy imports {@link COMPOSITION_IMPORTS} decides. */
const COMPOSING_FILES = /[\\/]adapters[\\/](composition-root|outbound[\\/]secret-reader)\.ts$/;

/**
 * A function's bundle takes the composition root's lazy imports as its declaration wires them: what
 * it wires becomes a static import, what it never wires is left out (the import rejects, naming it).
 * Every use case and adapter a function wires runs on its first event anyway, and as separate chunks
 * they cost a cold start more than their code: node's ESM loader spends ~1 ms on each module it
 * resolves, reads, links and evaluates, and esbuild split the code they share into many small chunks
 * (a worker's cold start read 38 files, 30 of them under 3 KB). Static, they join the entry's one
 * module graph. What only some events need stays lazy, in the modules that import it: mem0ai (a call
 * answered from the caller's profile never loads it, and it must see MEM0_TELEMETRY first), the AWS
 * SDK clients, the language identification. The local server and the CLI run the sources, lazily.
 */
function wiredAsDeclared(fn: FunctionName): Plugin {
  const declaration = DECLARED[fn];
  const wired = wiredUseCases(declaration.useCases);
  const ports = portsOf(wired);
  const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const useCases = new Set(wired.map((useCase) => `../application/use-cases/${kebab(useCase)}.use-case`));
  const take = (file: string, spec: string): Take => {
    if (spec.startsWith("../application/use-cases/")) return useCases.has(spec) ? "static" : "absent";
    const rule = COMPOSITION_IMPORTS[spec];
    if (rule === undefined) throw new Error(`${file} imports ${spec} lazily: say in scripts/build.ts (COMPOSITION_IMPORTS) how each function's bundle takes it`);
    return rule(ports, declaration);
  };
  return {
    name: "wired-as-declared",
    setup(b) {
      b.onLoad({ filter: COMPOSING_FILES, namespace: "file" }, async (args) => {
        const source = await readFile(args.path, "utf8");
        const statics = new Map<string, string>();
        const contents = source.replace(/\bimport\(\s*("[^"]+")\s*\)/g, (_, literal: string) => {
          const spec = JSON.parse(literal) as string;
          if (take(args.path, spec) === "absent") {
            const why = spec.includes("/embedded/")
              ? "a function keeps memories in Mem0 and the archive in S3 (MEMORY_BACKEND=mem0 and ARCHIVE_BUCKET, as the Pulumi program sets them)"
              : "its declaration never wires it";
            return `Promise.reject(new Error(${JSON.stringify(`${spec} is not in the ${fn} function's bundle: ${why}`)}))`;
          }
          const name = statics.get(spec) ?? `__wired${statics.size}`;
          statics.set(spec, name);
          return `Promise.resolve(${name})`;
        });
        const imports = [...statics].map(([spec, name]) => `import * as ${name} from ${JSON.stringify(spec)};`);
        return { contents: `${imports.join("\n")}\n${contents}`, loader: "ts" };
      });
    },
  };
}

/** node's built-in modules, by the names a source may import them with (`fs`, `node:fs`, `fs/promises`, `node:test`). */
const BUILTIN = new RegExp(`^(?:node:)?(?:${builtinModules.join("|")})$|^node:`);

/**
 * Every built-in module a bundle imports, taken as node's own CommonJS module (through the banner's
 * `require`) instead of as an ES module. node builds the ES module of a built-in by reading each of its
 * exports once, which runs every lazy getter the module has: `node:process` builds
 * `allowedNodeEnvironmentFlags` and opens stdin, stdout and stderr, `node:fs` loads its streams,
 * `node:crypto` webcrypto, `node:http` all of undici (nodejs/node#57649). On Node 22, importing the
 * worker's bundle in a fresh process took 3–4 ms less this way, post-call's ~2 ms (medians of 40
 * alternating pairs). Named imports still work: esbuild reads a CommonJS module's exports where they
 * are used. No maintained esbuild plugin does this; it is one resolve rule and a one-line module.
 */
function builtinsAsNodeModules(): Plugin {
  return {
    name: "builtins-as-node-modules",
    setup(b) {
      // One such module per importing file, so that each stays in its importer's chunk: shared by
      // several, esbuild would move it into a chunk of its own, one more file for node to load.
      b.onResolve({ filter: BUILTIN }, (args) =>
        // The module below requires it: that require() stays node's (esbuild leaves built-ins external).
        args.kind === "require-call" ? undefined : { path: `${args.path.replace(/^(?!node:)/, "node:")}#${args.importer}`, namespace: "node-builtin" },
      );
      b.onLoad({ filter: /.*/, namespace: "node-builtin" }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path.split("#")[0])});`, loader: "js" }));
    },
  };
}

/** libphonenumber-js's "min" numbering plans, as its builds import them (`import metadata from '…/metadata.min.json.js'`). */
const PHONE_METADATA_MODULE = /[\\/]libphonenumber-js[\\/]metadata\.min\.json\.js$/;

/**
 * libphonenumber-js's numbering plans with each country's plan kept as JSON text and parsed the first
 * time a number is read in it. As the package ships them they are one object literal of ~80 KB that
 * every cold start compiled and built in full, for the one or two countries a call's numbers belong to
 * (importing the worker's entry in a fresh process: 3–5 ms faster without it, 40 alternating pairs). The plans are the package's own,
 * unchanged: the library reads them by country code (`countries[code]`, `hasOwnProperty`, `Object.keys`),
 * which enumerable getters answer alike. Any other shape of the file fails the build.
 */
export function phonePlansParsedOnUse(): Plugin {
  return {
    name: "phone-plans-parsed-on-use",
    setup(b) {
      b.onLoad({ filter: PHONE_METADATA_MODULE, namespace: "file" }, async (args) => {
        const json = await readFile(args.path.replace(/\.js$/, ""), "utf8");
        return { contents: phonePlansModule(JSON.parse(json) as Record<string, unknown>, args.path), loader: "js" };
      });
    },
  };
}

/** The module {@link phonePlansParsedOnUse} puts in place of libphonenumber-js's metadata (exported for its test). */
export function phonePlansModule(metadata: Record<string, unknown>, from: string): string {
  const { version, country_calling_codes: callingCodes, countries, nonGeographic, ...other } = metadata;
  const isPlans = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
  if (Object.keys(other).length > 0 || typeof version !== "number" || !isPlans(callingCodes) || !isPlans(countries) || !isPlans(nonGeographic)) {
    throw new Error(`${from} is not the metadata shape scripts/build.ts (phonePlansParsedOnUse) knows: keys ${Object.keys(metadata).join(", ")}`);
  }
  const texts = (plans: Record<string, unknown>) => `{${Object.entries(plans).map(([code, plan]) => `${JSON.stringify(code)}:${JSON.stringify(JSON.stringify(plan))}`).join(",")}}`;
  return [
    "const parsedOnUse = (texts) => {",
    "  const plans = {};",
    "  for (const code of Object.keys(texts)) {",
    "    let plan;",
    "    Object.defineProperty(plans, code, { enumerable: true, get: () => (plan ??= JSON.parse(texts[code])) });",
    "  }",
    "  return plans;",
    "};",
    `export default { version: ${version}, country_calling_codes: ${JSON.stringify(callingCodes)}, countries: parsedOnUse(${texts(countries)}), nonGeographic: parsedOnUse(${texts(nonGeographic)}) };`,
  ].join("\n");
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
    const plugins = [wiredAsDeclared(name as FunctionName), phonePlansParsedOnUse(), builtinsAsNodeModules()];
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
