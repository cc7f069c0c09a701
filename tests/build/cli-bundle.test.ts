// `bin/agentic-memory.mjs` runs the built CLI only while it is newer than every source, so an edit is
// never run stale; otherwise it runs the sources through tsx.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..");

/** A tree shaped like the package: its bin, package.json, node_modules, one source and one build, each saying which it is. */
function packageTree(): string {
  const dir = mkdtempSync(join(tmpdir(), "cli-bin-"));
  mkdirSync(join(dir, "bin"));
  cpSync(join(ROOT, "bin", "agentic-memory.mjs"), join(dir, "bin", "agentic-memory.mjs"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "agentic-memory", type: "module" }));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  for (const folder of ["application", "domain"]) mkdirSync(join(dir, folder));
  mkdirSync(join(dir, "adapters", "inbound", "cli"), { recursive: true });
  writeFileSync(join(dir, "adapters", "inbound", "cli", "main.ts"), 'const from: string = "sources";\nconsole.log(from);\n');
  mkdirSync(join(dir, "dist", "cli"), { recursive: true });
  writeFileSync(join(dir, "dist", "cli", "agentic-memory.mjs"), 'console.log("build");\n');
  return dir;
}

const run = (dir: string) => execFileSync(process.execPath, [join(dir, "bin", "agentic-memory.mjs")], { encoding: "utf8" }).trim();

describe("bin/agentic-memory.mjs", () => {
  it("runs the build while it is newer than every source, and the sources once one is edited", () => {
    const dir = packageTree();
    const source = join(dir, "adapters", "inbound", "cli", "main.ts");
    const past = new Date(Date.now() - 60_000);
    for (const file of [source, join(dir, "package.json")]) utimesSync(file, past, past);

    const fresh = run(dir);
    utimesSync(source, new Date(), new Date(Date.now() + 60_000));
    const afterEdit = run(dir);

    expect(fresh).toBe("build");
    expect(afterEdit).toBe("sources");
  });
});
