import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { BUNDLE_FUNCTIONS } from "./profile";

/**
 * `BENCH_COMPARE=<dir>`: another build of the bundles (`npm run build -- --out <dir>`, for example of
 * an earlier commit), whose cold starts are timed in the same rounds as `dist/lambda`'s, the order of
 * the two alternating from round to round. Compared in pairs, the two builds see the host in the same
 * state, which moves whole runs by more than most changes. Undefined when unset; a directory that does
 * not hold every function's `index.mjs` fails the bench before anything is measured.
 */
export function compareBuildFrom(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.BENCH_COMPARE?.trim();
  if (value === undefined || value === "") return undefined;
  const dir = resolve(value);
  const missing = BUNDLE_FUNCTIONS.filter((fn) => !existsSync(join(dir, fn, "index.mjs")));
  if (missing.length > 0) {
    throw new Error(`BENCH_COMPARE=${value.slice(0, 200)} holds no ${missing.map((fn) => `${fn}/index.mjs`).join(", ")}: give a directory written by npm run build -- --out <dir>`);
  }
  return dir;
}
