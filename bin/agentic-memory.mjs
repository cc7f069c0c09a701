#!/usr/bin/env node
// `npx agentic-memory <command>`: the operator CLI. It runs the build of the CLI (`npm run build`,
// dist/cli/agentic-memory.mjs) while that is newer than every source file, because through tsx the
// sources take about 0.7 s more to start (every module is resolved through tsx's loader hooks);
// otherwise it runs the TypeScript sources through tsx, so an edit is never run stale.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "cli", "agentic-memory.mjs");

/** The newest modification time of the CLI's sources (what the build is made from), in ms. */
function newestSource() {
  let newest = statSync(join(root, "package.json")).mtimeMs;
  for (const dir of ["adapters", "application", "domain"]) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../adapters/inbound/cli/main.ts");
}
