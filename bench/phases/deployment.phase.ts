/**
 * Bench phase (own process): run the Pulumi program (`infra/index.ts`) under the test mocks for the
 * prod stack, with that stack's own settings (`Pulumi.prod.yaml`) and every secret the program knows,
 * and report what `pulumi up` would give each function: its environment variables, timeout and memory
 * size, plus the SSM parameters and the bucket the functions expect to exist. Its own process because
 * the Pulumi runtime is process-wide and importing `@pulumi/aws` is slow and large.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FUNCTIONS } from "../../adapters/function-declarations";
import { ACCOUNT_ID, PROJECT, REGION, T, runProgram, secretValue, type RecordedResource } from "../../tests/infra/program-harness";
import { phaseConfig, REPO_ROOT, runPhase, tell } from "../support/child";
import type { Deployment, DeploymentConfig, DeployedFunction } from "../support/result";
import { BUNDLE_FUNCTIONS, type BundleFunction } from "../support/profile";

/**
 * The plain settings of a stack file (`elevenlabs-agentic-memory:<key>: <value>` lines). Secrets are
 * never in the file (`pulumi config set --secret` keeps them encrypted elsewhere), and `aws:region` is
 * the mocks' own.
 */
function stackSettings(stack: string): Record<string, string> {
  const settings: Record<string, string> = {};
  const line = new RegExp(`^\\s+${PROJECT}:([A-Za-z0-9]+):\\s*(.*?)\\s*$`);
  for (const text of readFileSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8").split("\n")) {
    const match = line.exec(text);
    const [, key, value] = match ?? [];
    if (key === undefined || value === undefined) continue;
    if (value === "") throw new Error(`Pulumi.${stack}.yaml: ${PROJECT}:${key} has no plain value (a nested or secure value is not read here)`);
    settings[key] = value.replace(/^(["'])(.*)\1$/, "$2");
  }
  return settings;
}

function stringValues(record: RecordedResource, what: string, value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null) throw new Error(`${record.name}: ${what} is not an object`);
  return Object.fromEntries(
    Object.entries(value).map(([name, v]) => {
      // An unresolved Output or a secret marker here would mean the bench runs something Pulumi never deploys.
      if (typeof v !== "string") throw new Error(`${record.name}: ${what}.${name} is ${JSON.stringify(v)}, not a string`);
      return [name, v];
    }),
  );
}

async function main(): Promise<void> {
  const { stack, secrets } = phaseConfig<DeploymentConfig>();
  const settings = stackSettings(stack);
  const run = await runProgram(stack, settings, { ...secrets });
  const prefix = `${PROJECT}-${stack}`;

  // The bench measures every deployed function, and only those.
  const deployed = run.ofType(T.function).map((r) => r.name.slice(prefix.length + 1)).sort();
  const measured = [...BUNDLE_FUNCTIONS].sort();
  if (JSON.stringify(deployed) !== JSON.stringify(measured) || JSON.stringify(Object.keys(FUNCTIONS).sort()) !== JSON.stringify(measured)) {
    throw new Error(`the program deploys [${deployed.join(", ")}] and declares [${Object.keys(FUNCTIONS).join(", ")}]; the bench measures [${measured.join(", ")}]`);
  }

  const functions = Object.fromEntries(
    BUNDLE_FUNCTIONS.map((fn): [BundleFunction, DeployedFunction] => {
      const record = run.get(T.function, `${prefix}-${fn}`);
      const { environment, timeout, memorySize, runtime } = record.inputs as { environment?: { variables?: unknown }; timeout: unknown; memorySize: unknown; runtime: unknown };
      return [
        fn,
        {
          name: String(record.inputs.name),
          environment: stringValues(record, "environment.variables", environment?.variables),
          timeoutSeconds: Number(timeout),
          memorySize: Number(memorySize),
          runtime: String(runtime),
        },
      ];
    }),
  ) as Record<BundleFunction, DeployedFunction>;

  const buckets = run.ofType(T.bucket);
  const bucket = buckets[0]?.inputs.bucket;
  if (buckets.length !== 1 || typeof bucket !== "string") throw new Error(`expected one bucket with a name, found ${buckets.length}`);
  const sweepRule = run.ofType("aws:cloudwatch/eventRule:EventRule").find((r) => r.inputs.scheduleExpression !== undefined)?.inputs.name;
  if (typeof sweepRule !== "string") throw new Error("the program has no scheduled rule for the sweep");

  const deployment: Deployment = {
    stack,
    settings,
    region: REGION,
    accountId: ACCOUNT_ID,
    bucket,
    bucketVersioning: run.ofType(T.bucketVersioning).length > 0,
    parameters: Object.fromEntries(run.ofType(T.parameter).map((p) => [String(p.inputs.name), String(secretValue(p.inputs.value).value)])),
    sweepRuleArn: `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/${sweepRule}`,
    functions,
  };
  await tell({ type: "deployment", deployment });
}

runPhase(main);

// A phase is a child of the bench; it never outlives it.
process.on("disconnect", () => process.exit(1));
