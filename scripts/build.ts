/**
 * `npm run build`: one esbuild bundle per declared Lambda function (adapters/function-declarations.ts),
 * `dist/lambda/<fn>/index.mjs` plus the chunks it loads on demand, for the Node.js 22 runtime. Code
 * splitting keeps the composition root's dynamic imports dynamic: a function loads only the adapters
 * its declaration and configuration select, so better-sqlite3 (external, embedded backend only) is
 * never imported on Lambda and client-data never loads the S3 client.
 *
 * The AWS SDK clients are bundled, not taken from the runtime: the inbox relies on S3 conditional
 * writes (`If-None-Match`) and on the request timeouts and retry settings we test with, and the SDK
 * a Lambda runtime ships changes under a deployed function without notice. mem0ai's unused axios is
 * replaced by a stub.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { FUNCTIONS as DECLARED } from "../adapters/function-declarations";

/** Bundle directory → handler source, for every declared function. */
export const FUNCTIONS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(DECLARED).map((declaration) => [declaration.name, declaration.entry]),
);

/** The Node.js version the bundles are compiled for: the Lambda runtime's (infra/functions.ts). */
export const BUNDLE_TARGET = "node22";


/** Bytes of the code a function ships (entry and chunks, without source maps). */
export function bundleBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".mjs"))
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

async function main(): Promise<void> {
  // `--out DIR` builds elsewhere (tests do, so they never race the bench over dist/).
  const out = parseArgs({ options: { out: { type: "string", default: join("dist", "lambda") } } }).values.out;
  rmSync(out, { recursive: true, force: true });
  for (const [name, entry] of Object.entries(FUNCTIONS)) {
    const outdir = join(out, name);
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
      // mem0ai builds an axios instance that none of the calls we make use (they go through fetch).
      alias: { axios: "./adapters/outbound/mem0/axios-stub.ts" },
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
