// The policy builder on its own, over a made-up declaration: grants follow the declaration, nothing more.
// Whether the declared grants are what the code really uses is the deploy-parity test's job.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { FunctionDeclaration } from "../../adapters/function-declarations";
import { type FunctionPolicyArgs, functionPolicy } from "../../infra/iam-policies";
import type { PolicyDocument } from "./program-harness";

const DECLARATION: FunctionDeclaration = {
  name: "example",
  entry: "adapters/inbound/lambda/example.handler.ts",
  trigger: { kind: "http", method: "POST", path: "/example" },
  timeoutSeconds: 30,
  useCases: [],
  secrets: [],
  settings: [],
  bucket: [],
  deadLetterQueue: false,
  recordsMetrics: false,
  memoryOnEveryEvent: false,
};

const BASE: FunctionPolicyArgs = {
  declaration: DECLARATION,
  logGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fn",
  parameterArns: [],
  secretsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
  bucketArn: "arn:aws:s3:::bucket",
  deadLetterQueueArn: "arn:aws:sqs:eu-west-1:123456789012:q",
};

/** Resolves a policy document the way the program hands it to the engine. */
function render(args: FunctionPolicyArgs): Promise<PolicyDocument> {
  return new Promise((resolve) => {
    pulumi.jsonStringify(functionPolicy(args)).apply((json) => resolve(JSON.parse(json) as PolicyDocument));
  });
}

const actionsOf = (document: PolicyDocument) => document.Statement.flatMap((s) => s.Action);

beforeAll(async () => {
  await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) });
});

describe("functionPolicy", () => {
  it("grants a function that declares nothing its own log streams only", async () => {
    const document = await render(BASE);
    expect(document).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "OwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${BASE.logGroupArn as string}:*`] },
      ],
    });
  });

  it("grants ssm:GetParameters and kms:Decrypt only on the parameters of declared secrets", async () => {
    expect(actionsOf(await render(BASE))).not.toContain("kms:Decrypt");
    const parameter = "arn:aws:ssm:eu-west-1:123456789012:parameter/a/B";
    const document = await render({ ...BASE, parameterArns: [parameter] });
    expect(document.Statement.slice(1)).toEqual([
      { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: [parameter] },
      {
        Sid: "DecryptOwnSecrets",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [BASE.secretsKeyArn],
        Condition: { StringEquals: { "kms:EncryptionContext:PARAMETER_ARN": [parameter] } },
      },
    ]);
  });

  it("turns each bucket grant into object actions on its prefix and a listing bound to that prefix, one statement each", async () => {
    const declaration: FunctionDeclaration = {
      ...DECLARATION,
      bucket: [
        { prefix: "inbox/", actions: ["s3:PutObject", "s3:ListBucket"], why: "test" },
        { prefix: "awaiting-audio/", actions: ["s3:ListBucket"], why: "test" },
      ],
    };
    const document = await render({ ...BASE, declaration });
    expect(document.Statement.slice(1)).toEqual([
      { Sid: "ObjectsInbox", Effect: "Allow", Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::bucket/inbox/*"] },
      { Sid: "ListInbox", Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::bucket"], Condition: { StringLike: { "s3:prefix": ["inbox/*"] } } },
      {
        Sid: "ListAwaitingAudio",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: ["arn:aws:s3:::bucket"],
        Condition: { StringLike: { "s3:prefix": ["awaiting-audio/*"] } },
      },
    ]);
  });

  it("grants sqs:SendMessage on the dead-letter queue only when the declaration sends failures there", async () => {
    expect(actionsOf(await render(BASE)).some((action) => action.startsWith("sqs:"))).toBe(false);
    const document = await render({ ...BASE, declaration: { ...DECLARATION, deadLetterQueue: true } });
    expect(document.Statement.at(-1)).toEqual({ Sid: "DeadLetter", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [BASE.deadLetterQueueArn] });
  });
});
