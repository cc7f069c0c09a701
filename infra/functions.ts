import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FUNCTIONS, portsOf, type FunctionDeclaration, type FunctionName, type SecretName, type SettingName } from "../adapters/function-declarations";
import { PROJECT } from "./config";
import { functionPolicy } from "./iam-policies";

/** The Lambda runtime: nodejs20.x is deprecated (2026-04-30) and refused for new functions. */
const LAMBDA_RUNTIME = aws.lambda.Runtime.NodeJS22dX;

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
  /** The CloudWatch namespace the functions that record metric events write them under (EMF). */
  metricsNamespace: string;
  /** Values of the plain settings the stack sets; each function gets those it declares. */
  settings: Partial<Record<SettingName, string>>;
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  deadLetterQueueArn: pulumi.Input<string>;
  /** Parameters that exist; secrets a function declares but that are not set are left out. */
  parameters: Partial<Record<SecretName, aws.ssm.Parameter>>;
  parameterNames: Partial<Record<SecretName, string>>;
  secretsKeyArn: pulumi.Input<string>;
}

/** One deployed function and what was created for it. */
export interface DeployedFunction {
  declaration: FunctionDeclaration;
  function: aws.lambda.Function;
  logGroup: aws.cloudwatch.LogGroup;
  role: aws.iam.Role;
  policy: aws.iam.RolePolicy;
}

/**
 * The environment of one function, derived from its declaration: the backends its use cases need,
 * the SSM parameter names of its secrets (never their values), the settings it reads, and the
 * namespace of its metric events when it records them.
 */
export function functionEnvironment(declaration: FunctionDeclaration, args: FunctionsArgs): Record<string, pulumi.Input<string>> {
  const ports = portsOf(declaration.useCases);
  const variables: Record<string, pulumi.Input<string>> = {
    POWERTOOLS_SERVICE_NAME: "agentic-memory",
    LOG_LEVEL: args.logLevel,
  };
  if (ports.has("memoryStore")) {
    // mem0ai reads these at import; on Lambda only /tmp is writable.
    Object.assign(variables, { MEMORY_BACKEND: "mem0", MEM0_TELEMETRY: "false", MEM0_DIR: "/tmp/.mem0" });
  }
  // Caller profiles live in the bucket too, beside the archive.
  if (ports.has("eventInbox") || ports.has("conversationArchive") || ports.has("callerProfiles")) variables.ARCHIVE_BUCKET = args.bucketName;
  for (const secret of declaration.secrets) {
    const parameterName = args.parameterNames[secret];
    if (parameterName !== undefined) variables[`${secret}_PARAM`] = parameterName;
  }
  for (const setting of declaration.settings) {
    const value = args.settings[setting];
    if (value !== undefined) variables[setting] = value;
  }
  if (declaration.recordsMetrics) variables.METRICS_NAMESPACE = args.metricsNamespace;
  return variables;
}

/**
 * The Lambda functions of {@link FUNCTIONS}, from the esbuild bundles (`FileArchive`), each with its
 * log group (created first, so retention applies from the first line) and its own role whose one
 * inline policy is derived from the function's declaration.
 */
export class Functions extends pulumi.ComponentResource {
  readonly functions: Readonly<Record<FunctionName, DeployedFunction>>;

  constructor(name: string, args: FunctionsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${PROJECT}:infra:Functions`, name, {}, opts);
    const declarations = Object.values(FUNCTIONS) as FunctionDeclaration[];
    this.functions = Object.fromEntries(declarations.map((declaration) => [declaration.name, this.deploy(declaration, args)])) as Record<
      FunctionName,
      DeployedFunction
    >;
    this.registerOutputs({});
  }

  private deploy(declaration: FunctionDeclaration, args: FunctionsArgs): DeployedFunction {
    const functionName = `${args.prefix}-${declaration.name}`;
    const child = { parent: this };
    const parameterArns = declaration.secrets.flatMap((secret) => args.parameters[secret]?.arn ?? []);

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
            declaration,
            logGroupArn: logGroup.arn,
            parameterArns,
            secretsKeyArn: args.secretsKeyArn,
            bucketArn: args.bucketArn,
            deadLetterQueueArn: args.deadLetterQueueArn,
          }),
        ),
      },
      child,
    );

    const fn = new aws.lambda.Function(
      functionName,
      {
        name: functionName,
        role: role.arn,
        runtime: LAMBDA_RUNTIME,
        handler: "index.handler",
        code: new pulumi.asset.FileArchive(`${args.bundleDir}/${declaration.name}`),
        memorySize: args.memorySize,
        timeout: declaration.timeoutSeconds,
        reservedConcurrentExecutions: declaration.reservedConcurrency ?? args.reservedConcurrency,
        environment: { variables: functionEnvironment(declaration, args) },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      },
      // The log group first (else Lambda creates one that never expires), the policy first (else
      // the first invocations run without permissions).
      { ...child, dependsOn: [logGroup, policy] },
    );

    return { declaration, function: fn, logGroup, role, policy };
  }
}
