import * as pulumi from "@pulumi/pulumi";

/** Account and region the mocks pretend to deploy into. */
export const ACCOUNT_ID = "123456789012";
export const REGION = "eu-west-1";
export const PROJECT = "elevenlabs-agentic-memory";

/** One resource the program registered, as the engine would have received it. */
export interface RecordedResource {
  type: string;
  name: string;
  /** Inputs after serialisation (Outputs resolved, secrets unwrapped, JSON policies as strings). */
  inputs: Record<string, unknown>;
  /** The resources listed in `dependsOn`, as `type::name` (see {@link ref}). */
  dependsOn: string[];
}

/** What one run of the program produced. */
export interface ProgramRun {
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
  /** The single resource of that type and name; throws when absent. */
  get(type: string, name: string): RecordedResource;
  /** All resources of a type. */
  ofType(type: string): RecordedResource[];
}

/** Resource type tokens the tests look up. */
export const T = {
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  alias: "aws:kms/alias:Alias",
  api: "aws:apigatewayv2/api:Api",
  bucket: "aws:s3/bucket:Bucket",
  bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  bucketNotification: "aws:s3/bucketNotification:BucketNotification",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
  eventInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  function: "aws:lambda/function:Function",
  integration: "aws:apigatewayv2/integration:Integration",
  key: "aws:kms/key:Key",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  parameter: "aws:ssm/parameter:Parameter",
  permission: "aws:lambda/permission:Permission",
  queue: "aws:sqs/queue:Queue",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  route: "aws:apigatewayv2/route:Route",
  stage: "aws:apigatewayv2/stage:Stage",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  topic: "aws:sns/topic:Topic",
} as const;

/** How {@link RecordedResource.dependsOn} names a resource. */
export const ref = (type: string, name: string): string => `${type}::${name}`;

const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** Plausible ARNs and computed attributes, so tests can assert exact resources in policies. */
function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const at = `${REGION}:${ACCOUNT_ID}`;
  switch (type) {
    case "aws:s3/bucket:Bucket":
      return { arn: `arn:aws:s3:::${str(inputs.bucket)}` };
    case "aws:ssm/parameter:Parameter":
      return { arn: `arn:aws:ssm:${at}:parameter${str(inputs.name)}` };
    case "aws:kms/key:Key":
      return { arn: `arn:aws:kms:${at}:key/${name}`, keyId: `${name}-key-id` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: `arn:aws:logs:${at}:log-group:${str(inputs.name)}` };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${ACCOUNT_ID}:role/${str(inputs.name)}` };
    case "aws:lambda/function:Function":
      return { arn: `arn:aws:lambda:${at}:function:${str(inputs.name)}` };
    case "aws:sqs/queue:Queue":
      return { arn: `arn:aws:sqs:${at}:${str(inputs.name)}`, url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/${str(inputs.name)}` };
    case "aws:sns/topic:Topic":
      return { arn: `arn:aws:sns:${at}:${str(inputs.name)}` };
    case "aws:apigatewayv2/api:Api":
      return { executionArn: `arn:aws:execute-api:${at}:${name}-id` };
    case "aws:apigatewayv2/stage:Stage":
      return { invokeUrl: `https://${str(inputs.apiId)}.execute-api.${REGION}.amazonaws.com/` };
    default:
      return { arn: `arn:aws:mock:${at}:${name}` };
  }
}

/** Loads the real program; its exports become the stack outputs. */
const mainProgram = async (): Promise<Record<string, unknown>> => ({ ...(await import("../../infra/index")) });

/**
 * Runs `infra/index.ts` (or `program`) under Pulumi mocks, as `pulumi up` would (inside a stack,
 * exports become outputs), and records every resource with its inputs and explicit dependencies.
 * Call once per test file: the Pulumi runtime is process-wide.
 */
export async function runProgram(
  stack: string,
  config: Record<string, string>,
  secrets: Record<string, string>,
  program: () => Promise<Record<string, unknown>> = mainProgram,
): Promise<ProgramRun> {
  const resources: RecordedResource[] = [];
  const names = new Map<pulumi.Resource, string>();
  const dependencies = new Map<string, string[]>();

  await pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs }) => {
        const recorded = inputs as Record<string, unknown>;
        resources.push({ type, name, inputs: recorded, dependsOn: dependencies.get(`${type}::${name}`) ?? [] });
        return { id: `${name}-id`, state: { ...recorded, ...computedState(type, name, recorded) } };
      },
      call: ({ token }) => {
        if (token === "aws:index/getCallerIdentity:getCallerIdentity") {
          return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/test`, userId: "test", id: ACCOUNT_ID };
        }
        throw new Error(`unexpected invoke ${token}`);
      },
    },
    PROJECT,
    stack,
    false,
  );

  const all: Record<string, string> = { "aws:region": REGION };
  for (const [key, value] of Object.entries({ ...config, ...secrets })) all[`${PROJECT}:${key}`] = value;
  pulumi.runtime.setAllConfig(
    all,
    Object.keys(secrets).map((key) => `${PROJECT}:${key}`),
  );

  const outputs = await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation(({ resource, type, name, opts }) => {
      names.set(resource, ref(type, name));
      const dependsOn = opts.dependsOn;
      const list = Array.isArray(dependsOn) ? dependsOn : dependsOn === undefined ? [] : [dependsOn];
      dependencies.set(
        `${type}::${name}`,
        list.map((dependency) => (pulumi.Resource.isInstance(dependency) ? (names.get(dependency) ?? "?") : "?")),
      );
      return undefined;
    });
    return program();
  });
  // Every registration reaches the mocks before the tests look, even ones no output depends on.
  await pulumi.runtime.disconnect();
  const ofType = (type: string) => resources.filter((resource) => resource.type === type);
  return {
    resources,
    outputs: outputs ?? {},
    ofType,
    get(type, name) {
      const found = ofType(type).filter((resource) => resource.name === name);
      if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
      return found[0] as RecordedResource;
    },
  };
}

/** Pulumi's wire marker for a secret value. */
const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };

/** Whether an input arrived marked secret (so it is encrypted in state), and its plain value. */
export function secretValue(input: unknown): { secret: boolean; value: unknown } {
  if (typeof input === "object" && input !== null && (input as Record<string, unknown>)[SECRET_SIG.key] === SECRET_SIG.value) {
    return { secret: true, value: (input as Record<string, unknown>).value };
  }
  return { secret: false, value: input };
}

/** Parses a JSON policy input (`policy`, `assumeRolePolicy`). */
export function policyDocument(resource: RecordedResource, field = "policy"): PolicyDocument {
  const value = resource.inputs[field];
  if (typeof value !== "string") throw new Error(`${resource.name}.${field} is not a JSON string`);
  return JSON.parse(value) as PolicyDocument;
}

/** The shape of the IAM documents the program writes. */
export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}
