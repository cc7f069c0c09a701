// The bench's bundles run on BENCH_NODE, a node of the runtime the functions deploy on; a run on
// another major says its figures are another runtime's.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleNode, runtimeMismatchNote } from "../../bench/support/bundle-node";

const dir = mkdtempSync(join(tmpdir(), "bundle-node-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An executable that prints `printed` for `--version`, as a node binary would its version. */
function fakeNode(name: string, printed: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\necho '${printed}'\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("the node the bench runs the bundles on", () => {
  it("is the bench's own node unless BENCH_NODE names another", () => {
    expect(bundleNode({})).toEqual({ path: process.execPath, version: process.version, major: Number(process.versions.node.split(".")[0]) });
    expect(bundleNode({ BENCH_NODE: "  " }).path).toBe(process.execPath);

    const node22 = fakeNode("node22", "v22.23.5");
    expect(bundleNode({ BENCH_NODE: node22 })).toEqual({ path: node22, version: "v22.23.5", major: 22 });
  });

  it("fails before anything is measured when BENCH_NODE does not run or is not node", () => {
    expect(() => bundleNode({ BENCH_NODE: join(dir, "missing") })).toThrow(/BENCH_NODE=.*missing does not run/);
    expect(() => bundleNode({ BENCH_NODE: fakeNode("not-node", "Python 3.12.1") })).toThrow(/not a node version/);
  });

  it("says when the bundles ran on another major than the Lambda runtime, and naming BENCH_NODE", () => {
    const node20 = { path: "/usr/bin/node", version: "v20.20.2", major: 20 };

    expect(runtimeMismatchNote(node20, "nodejs22.x")).toMatch(/ran on node v20\.20\.2, not on the nodejs22\.x runtime.*BENCH_NODE=<a Node 22 binary>/);
    expect(runtimeMismatchNote({ ...node20, version: "v22.23.5", major: 22 }, "nodejs22.x")).toBeUndefined();
  });
});
