/**
 * `npm run build`: one esbuild bundle per Lambda function, `dist/lambda/<fn>/index.mjs`, for the
 * Node.js 20 runtime. The AWS SDK v3 stays external (the runtime provides it), and so does
 * better-sqlite3 (only the embedded backend loads it, never on Lambda). mem0ai's unused axios is
 * replaced by a stub.
 */
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

export const FUNCTIONS = {
  "client-data": "adapters/inbound/lambda/client-data.handler.ts",
  retrieve: "adapters/inbound/lambda/retrieve.handler.ts",
  "post-call": "adapters/inbound/lambda/post-call.handler.ts",
  worker: "adapters/inbound/lambda/worker.handler.ts",
} as const;

const OUT = join("dist", "lambda");

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  for (const [name, entry] of Object.entries(FUNCTIONS)) {
    const outfile = join(OUT, name, "index.mjs");
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      minify: true,
      sourcemap: "linked",
      legalComments: "none",
      external: ["@aws-sdk/*", "@smithy/*", "better-sqlite3"],
      // mem0ai builds an axios instance that none of the calls we make use (they go through fetch).
      alias: { axios: "./adapters/outbound/mem0/axios-stub.ts" },
      // Some dependencies are CommonJS and call require(); give the ESM bundle one.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      logLevel: "warning",
    });
    console.log(`${name.padEnd(12)} ${(statSync(outfile).size / 1024).toFixed(1).padStart(8)} KB  ${outfile}`);
  }
}

await main();
