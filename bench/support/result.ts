import type { BundleFunction } from "./profile";

/** The units a result is reported in; every name keeps its unit across versions. `%`: a share of questions or words (0–100). */
type Unit = "ms" | "kb" | "mb" | "req/s" | "%";

/**
 * One line of the report. Single values (bundle size, peak RSS) carry the value in both `p50` and
 * `p99` with `n = 1`. HTTP rows add `rps` and `errors`; cold starts add `above_baseline_ms`.
 */
export interface BenchResult {
  readonly name: string;
  readonly unit: Unit;
  readonly p50: number;
  readonly p99: number;
  readonly n: number;
  /** In-process rows: p50 divided by the floor's p50 in the same run. */
  readonly ratio_to_floor?: number;
  readonly rps?: number;
  /** Socket errors, timeouts and non-2xx answers together. */
  readonly errors?: number;
  /** Cold start p50 minus the bare `node -e ""` p50 of the same run. */
  readonly above_baseline_ms?: number;
  /** How many events the process served while its RSS was sampled. */
  readonly events?: number;
  /** `mem0-client-data-5k`: its p99 divided by the p99 of `mem0-client-data-20` in the same run. */
  readonly p99_ratio_to_20?: number;
  /** RSS rows: the memory the function is deployed with (the peak must leave it room). */
  readonly memory_size_mb?: number;
  /** `retrieval-*` rows of the embedded store's ranking: the same figure for the baseline (FTS5's BM25) in the same run. */
  readonly baseline?: number;
  /** `compare-diff-*` rows (`BENCH_COMPARE`): the 95 % bootstrap interval of the median difference in `p50`. */
  readonly ci95_low?: number;
  readonly ci95_high?: number;
}

export interface MachineInfo {
  readonly cpus: number;
  readonly model: string;
  /** The node running the bench. */
  readonly node: string;
  /** The node running the bundles and the bare-node baseline (`BENCH_NODE`, else the bench's own). */
  readonly bundle_node?: string;
  /** The CPU the bundles' events ran on: a full core, or their function's share of one (`BENCH_LAMBDA_CPU=1`). */
  readonly invoke_cpu?: string;
  readonly os: string;
  readonly memory_mb: number;
  /** The 1-minute load average when the run started: above ~0.5 on 2 cores, other work shared the machine. */
  readonly load_avg_1m: number;
  readonly tmp_fs?: string;
}

export interface BenchReport {
  readonly machine: MachineInfo;
  readonly profile: "full" | "quick";
  /** Set when `--only` skipped phases: the results hold that phase's rows only. */
  readonly only?: "cold";
  readonly started: string;
  readonly seconds: number;
  readonly seed: { readonly memories: number; readonly callers: number; readonly callerUnderTest: number };
  readonly results: BenchResult[];
}

/** Messages a phase child sends its parent over IPC. */
export type PhaseMessage =
  | { readonly type: "ready"; readonly port: number }
  | { readonly type: "results"; readonly results: BenchResult[]; readonly notes: string[] }
  | { readonly type: "deployment"; readonly deployment: Deployment }
  | { readonly type: "error"; readonly message: string };

/** What the deployment phase is given: the stack, and a value for every secret config key. */
export interface DeploymentConfig {
  readonly stack: string;
  readonly secrets: Readonly<Record<string, string>>;
}

/** One function as `pulumi up` would create it. */
export interface DeployedFunction {
  /** The function's name on AWS (`elevenlabs-agentic-memory-<stack>-<fn>`). */
  readonly name: string;
  /** `environment.variables`, exactly as the program generated them. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly runtime: string;
}

/** What the Pulumi program generated for one stack (under the mocks of tests/infra/program-harness.ts). */
export interface Deployment {
  readonly stack: string;
  /** The stack file's plain settings the program ran with. */
  readonly settings: Readonly<Record<string, string>>;
  readonly region: string;
  readonly accountId: string;
  readonly bucket: string;
  readonly bucketVersioning: boolean;
  /** SSM parameter name → value (SecureStrings). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly sweepRuleArn: string;
  readonly functions: Readonly<Record<BundleFunction, DeployedFunction>>;
}
