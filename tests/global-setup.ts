// Once per `vitest run`, before any test file:
// - every temporary file of the run goes under one directory, removed when the run ends: tests make
//   their directories with mkdtemp under os.tmpdir() (and moto, the CLI and Chromium use TMPDIR too), and
//   not every test removes its own (a full run left about 240 directories in /tmp, one holding an 8 MB recording);
// - the operator CLI's build, which `bin/agentic-memory.mjs` runs while it is newer than the sources (as
//   an operator's `npm run build` leaves it). Without it every CLI test would start the sources through
//   tsx, about 0.6 s more per command on this machine.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCli } from "../scripts/build";

export default async function setup(): Promise<() => void> {
  const runDir = mkdtempSync(join(tmpdir(), "agentic-memory-test-run-"));
  // Set before vitest starts its workers, which inherit it (as do the processes the tests start).
  process.env.TMPDIR = runDir;
  await buildCli();
  return () => rmSync(runDir, { recursive: true, force: true });
}
