import { execFileSync } from "node:child_process";

/** The node binary that runs the bundles and the bare-node baseline (cold starts, peak RSS). */
export interface BundleNode {
  readonly path: string;
  /** As `node --version` prints it, `v22.23.5`. */
  readonly version: string;
  readonly major: number;
}

/**
 * `BENCH_NODE` when set, else the node running the bench. The functions run on the runtime the
 * Pulumi program gives them (`nodejs22.x`), and one Node major is not another at a cold start: Node
 * 22's ES module of `node:http` loaded all of undici, ~40 ms that Node 20 never showed. A node that
 * does not run fails the bench before anything is measured.
 */
export function bundleNode(env: NodeJS.ProcessEnv = process.env): BundleNode {
  const path = env.BENCH_NODE?.trim() || process.execPath;
  let version: string;
  try {
    version = execFileSync(path, ["--version"], { encoding: "utf8", env: {}, stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch (error) {
    throw new Error(`BENCH_NODE=${path} does not run (${error instanceof Error ? error.message.split("\n")[0] : String(error)}): give the path of a node binary`);
  }
  const major = Number(/^v(\d+)\.\d+\.\d+$/.exec(version)?.[1]);
  if (!Number.isInteger(major)) throw new Error(`BENCH_NODE=${path} printed ${JSON.stringify(version.slice(0, 40))} for --version, not a node version`);
  return { path, version, major };
}

/**
 * What a run says when its bundles ran on another Node major than the Lambda runtime they deploy on
 * (`nodejs22.x`), or undefined when they ran on that one.
 */
export function runtimeMismatchNote(node: BundleNode, runtime: string): string | undefined {
  const deployed = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
  if (deployed !== undefined && Number(deployed) === node.major) return undefined;
  return (
    `the bundles ran on node ${node.version}, not on the ${runtime} runtime they deploy on: these cold starts and RSS are another runtime's ` +
    `(BENCH_NODE=<a Node ${deployed ?? "of that runtime"} binary> measures what Lambda runs; README, "Performance")`
  );
}
