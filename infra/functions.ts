import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, type SecretName } from "./config";
import { type ArchiveAccess, functionPolicy } from "./iam-policies";

/** The four Lambda functions, named as their bundle directories under `bundleDir`. */
export type FunctionKey = "client-data" | "retrieve" | "post-call" | "worker";

interface FunctionSpec {
  /** Seconds. */
  timeout: number;
  /** The secrets the function reads, as `<NAME>_PARAM` environment variables. */
  secrets: readonly SecretName[];
  archive: ArchiveAccess;
  /** Whether its failed asynchronous invocations go to the dead-letter queue (its role must send there). */
  deadLetters?: true;
}

const MEM0_SECRETS = ["MEM0_API_KEY", "MEM0_ORG_ID", "MEM0_PROJECT_ID"] as const;

/** What each function is and may touch; the IAM policy and environment follow from it. */
export const FUNCTION_SPECS: Readonly<Record<FunctionKey, FunctionSpec>> = {
  "client-data": { timeout: 30, secrets: ["ELEVENLABS_WORKSPACE_KEY", ...MEM0_SECRETS], archive: "none" },
  retrieve: { timeout: 30, secrets: ["ELEVENLABS_WORKSPACE_KEY", ...MEM0_SECRETS], archive: "none" },
  "post-call": { timeout: 60, secrets: ["ELEVENLABS_HMAC_KEY"], archive: "inbox-writer" },
  worker: { timeout: 60, secrets: MEM0_SECRETS, archive: "worker", deadLetters: true },
};

/** Inputs of {@link Functions}. */
export interface FunctionsArgs {
  /** `elevenlabs-agentic-memory-<stack>`. */
  prefix: string;
  /** Directory holding `<function>/index.mjs` bundles, relative to the project root. */
  bundleDir: string;
  memorySize: number;
  reservedConcurrency: number;
  logRetentionDays: number;
  logLevel: string;
  retrieveRequireKey: string;
  agentBasePrompt?: string;
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  deadLetterQueueArn: pulumi.Input<string>;
  /** Parameters that exist; secrets a function uses but that are not set are left out. */
  parameters: Partial<Record<SecretName, aws.ssm.Parameter>>;
  parameterNames: Partial<Record<SecretName, string>>;
  secretsKeyArn: pulumi.Input<string>;
}

/** One deployed function and what was created for it. */
export interface DeployedFunction {
  function: aws.lambda.Function;
  logGroup: aws.cloudwatch.LogGroup;
  role: aws.iam.Role;
  policy: aws.iam.RolePolicy;
}

/**
 * The Lambda functions from the esbuild bundles (`FileArchive`), each with its log group (created
 * first, so retention applies from the first line) and its own role with one inline policy.
 */
export class Functions extends pulumi.ComponentResource {
  readonly functions: Readonly<Record<FunctionKey, DeployedFunction>>;

  constructor(name: string, args: FunctionsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${PROJECT}:infra:Functions`, name, {}, opts);
    const keys = Object.keys(FUNCTION_SPECS) as FunctionKey[];
    this.functions = Object.fromEntries(keys.map((key) => [key, this.deploy(key, args)])) as Record<
      FunctionKey,
      DeployedFunction
    >;
    this.registerOutputs({});
  }

  private deploy(key: FunctionKey, args: FunctionsArgs): DeployedFunction {
    const spec = FUNCTION_SPECS[key];
    const functionName = `${args.prefix}-${key}`;
    const child = { parent: this };
    const secrets = spec.secrets.flatMap((secret) => {
      const parameter = args.parameters[secret];
      const parameterName = args.parameterNames[secret];
      return parameter && parameterName ? [{ secret, parameter, parameterName }] : [];
    });

    const logGroup = new aws.cloudwatch.LogGroup(
      functionName,
      { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays },
      child,
    );

    const role = new aws.iam.Role(
      functionName,
      {
        name: `${functionName}-role`,
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      },
      child,
    );

    const policy = new aws.iam.RolePolicy(
      functionName,
      {
        name: `${functionName}-policy`,
        role: role.id,
        policy: pulumi.jsonStringify(
          functionPolicy({
            logGroupArn: logGroup.arn,
            parameterArns: secrets.map(({ parameter }) => parameter.arn),
            secretsKeyArn: args.secretsKeyArn,
            archive: spec.archive,
            bucketArn: args.bucketArn,
            deadLetterQueueArn: spec.deadLetters ? args.deadLetterQueueArn : undefined,
          }),
        ),
      },
      child,
    );

    const variables: Record<string, pulumi.Input<string>> = {
      MEMORY_BACKEND: "mem0",
      ARCHIVE_BUCKET: args.bucketName,
      MEM0_TELEMETRY: "false",
      MEM0_DIR: "/tmp/.mem0",
      POWERTOOLS_SERVICE_NAME: "agentic-memory",
      LOG_LEVEL: args.logLevel,
      NODE_OPTIONS: "--enable-source-maps",
    };
    if (key === "client-data" && args.agentBasePrompt !== undefined) variables.AGENT_BASE_PROMPT = args.agentBasePrompt;
    if (key === "retrieve") variables.RETRIEVE_REQUIRE_KEY = args.retrieveRequireKey;
    for (const { secret, parameterName } of secrets) variables[`${secret}_PARAM`] = parameterName;

    const fn = new aws.lambda.Function(
      functionName,
      {
        name: functionName,
        role: role.arn,
        runtime: aws.lambda.Runtime.NodeJS20dX,
        handler: "index.handler",
        code: new pulumi.asset.FileArchive(`${args.bundleDir}/${key}`),
        memorySize: args.memorySize,
        timeout: spec.timeout,
        reservedConcurrentExecutions: args.reservedConcurrency,
        environment: { variables },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      },
      // The log group first (else Lambda creates one that never expires), the policy first (else
      // the first invocations run without permissions).
      { ...child, dependsOn: [logGroup, policy] },
    );

    return { function: fn, logGroup, role, policy };
  }
}
