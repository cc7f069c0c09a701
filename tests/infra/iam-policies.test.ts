// The policy builder on its own: grants follow what a function uses, nothing more.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { type FunctionPolicyArgs, functionPolicy } from "../../infra/iam-policies";
import type { PolicyDocument } from "./program-harness";

const BASE: FunctionPolicyArgs = {
  logGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fn",
  parameterArns: [],
  secretsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
  archive: "none",
  bucketArn: "arn:aws:s3:::bucket",
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
  it("grants a function without secrets, archive or queue its own log streams only", async () => {
    const document = await render(BASE);
    expect(document).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OwnLogGroup",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: [`${BASE.logGroupArn as string}:*`],
        },
      ],
    });
  });

  it("grants ssm:GetParameter(s) and kms:Decrypt only when the function reads secrets", async () => {
    expect(actionsOf(await render(BASE))).not.toContain("kms:Decrypt");
    const withSecret = await render({ ...BASE, parameterArns: ["arn:aws:ssm:eu-west-1:123456789012:parameter/a/B"] });
    expect(actionsOf(withSecret)).toEqual(
      expect.arrayContaining(["ssm:GetParameter", "ssm:GetParameters", "kms:Decrypt"]),
    );
  });

  it("grants no S3 action to a function without archive access, and sqs:SendMessage only with a queue", async () => {
    const document = await render(BASE);
    expect(actionsOf(document).some((action) => action.startsWith("s3:") || action.startsWith("sqs:"))).toBe(false);
    const withQueue = await render({ ...BASE, deadLetterQueueArn: "arn:aws:sqs:eu-west-1:123456789012:q" });
    expect(withQueue.Statement.at(-1)).toEqual({
      Sid: "DeadLetter",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: ["arn:aws:sqs:eu-west-1:123456789012:q"],
    });
  });
});
