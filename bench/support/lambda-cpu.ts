import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Lambda gives a function the equivalent of one vCPU at 1,769 MB of memory and a proportional share
 * below it (AWS Lambda developer guide, "Configuring Lambda function memory"): 256 MB is ~14.5 % of
 * one. An on-demand function's initialisation (the runtime's start and the import of its handler)
 * runs unthrottled, on a full vCPU, for at most 10 s (AWS Serverless Land, "Utilize initialization
 * phase"); every invocation after it runs at the share.
 */
export const MB_PER_VCPU = 1769;

/**
 * The scheduler period the share is enforced over. Lambda does not publish its own: a shorter period
 * spreads the same share more evenly (20 ms against the kernel's default 100 ms).
 */
export const PERIOD_US = 20_000;

/** The share of one CPU an invocation of a function with this much memory gets. */
export function invokeCpuShare(memorySizeMb: number): number {
  if (!Number.isFinite(memorySizeMb) || memorySizeMb <= 0) throw new Error(`memory size ${memorySizeMb} MB is not a function's`);
  return Math.min(1, memorySizeMb / MB_PER_VCPU);
}

/** The invoke phase's CPU, as the bench runs it. */
export interface InvokeCpu {
  /** Share of one CPU; 1 when the bench runs invocations unthrottled. */
  readonly share: number;
  /** A process writes its pid here once its handler is imported, to run every event from then on at `share`; absent: unthrottled. */
  readonly procsFile?: string;
  /** Remove the limit (once no process runs under it). */
  dispose(): void;
}

/** `BENCH_LAMBDA_CPU=1`: the bench runs each bundle's invocations at its function's share of a CPU. */
export function lambdaCpuRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.BENCH_LAMBDA_CPU?.trim();
  if (value === undefined || value === "" || value === "0") return false;
  if (value === "1") return true;
  throw new Error(`BENCH_LAMBDA_CPU=${value.slice(0, 20)}: give 1 (invocations at the function's share of a CPU) or 0`);
}

const UNTHROTTLED: InvokeCpu = { share: 1, dispose: () => undefined };

/**
 * A CPU limit of `memorySizeMb`'s share, as a cgroup named `name` under `root` (cgroup v2's `cpu.max`,
 * or v1's cpu controller: `cpu.cfs_period_us` and `cpu.cfs_quota_us`), or no limit when not
 * `requested`. Creating a cgroup needs root; a machine that does not allow it fails the bench, saying so,
 * before anything is measured.
 */
export function invokeCpu(options: { requested: boolean; name: string; memorySizeMb: number; root?: string }): InvokeCpu {
  if (!options.requested) return UNTHROTTLED;
  const share = invokeCpuShare(options.memorySizeMb);
  const quota = Math.max(1000, Math.round(share * PERIOD_US));
  const root = options.root ?? "/sys/fs/cgroup";
  try {
    if (existsSync(join(root, "cgroup.controllers"))) {
      // cgroup v2: the cpu controller must be on for the root's children.
      if (!readFileSync(join(root, "cgroup.subtree_control"), "utf8").split(/\s+/).includes("cpu")) writeFileSync(join(root, "cgroup.subtree_control"), "+cpu");
      const dir = join(root, options.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "cpu.max"), `${quota} ${PERIOD_US}`);
      return { share, procsFile: join(dir, "cgroup.procs"), dispose: () => rmdirSync(dir) };
    }
    const dir = join(root, "cpu", options.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cpu.cfs_period_us"), String(PERIOD_US));
    writeFileSync(join(dir, "cpu.cfs_quota_us"), String(quota));
    return { share, procsFile: join(dir, "cgroup.procs"), dispose: () => rmdirSync(dir) };
  } catch (error) {
    throw new Error(
      `BENCH_LAMBDA_CPU=1 needs a cgroup CPU controller the bench may write under ${root} (as root): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
