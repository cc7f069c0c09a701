import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleBytes, FUNCTIONS } from "../../scripts/build";

const ROOT = resolve(import.meta.dirname, "..", "..");
let isolated: string;

describe("npm run build: the Lambda bundles", () => {
  beforeAll(() => {
    // Built outside the project, as on Lambda: the bundle alone, no node_modules (the runtime brings only the AWS SDK).
    isolated = mkdtempSync(join(tmpdir(), "lambda-bundles-"));
    execFileSync("npm", ["run", "build", "--", "--out", isolated], { cwd: ROOT, stdio: "pipe" });
  }, 120_000);

  it.each(Object.keys(FUNCTIONS))("%s loads with no node_modules beside it and exports a handler", (fn) => {
    const script = `import(${JSON.stringify(join(isolated, fn, "index.mjs"))}).then((m) => console.log(typeof m.handler))`;

    const printed = execFileSync(process.execPath, ["-e", script], { cwd: isolated, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });

    expect(printed.trim()).toBe("function");
  });

  it.each(Object.keys(FUNCTIONS))("%s ships at most 400 KB of code", (fn) => {
    expect(bundleBytes(join(isolated, fn)) / 1024).toBeLessThanOrEqual(400);
  });
});
