import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BucketAction, FunctionDeclaration } from "../adapters/function-declarations";

/** Inputs of {@link functionPolicy}: one function's declaration and the exact ARNs it touches. */
export interface FunctionPolicyArgs {
  readonly declaration: FunctionDeclaration;
  /** The function's own log group. */
  readonly logGroupArn: pulumi.Input<string>;
  /** ARNs of the SSM parameters of the secrets it declares that the stack has (may be empty). */
  readonly parameterArns: pulumi.Input<string>[];
  /** The KMS key that encrypts those parameters. */
  readonly secretsKeyArn: pulumi.Input<string>;
  readonly bucketArn: pulumi.Input<string>;
  /** The stack's dead-letter queue (granted only when the declaration sends failures there). */
  readonly deadLetterQueueArn: pulumi.Input<string>;
}

/** `awaiting-audio/` → `AwaitingAudio`: statement ids must be alphanumeric. */
const sidOf = (prefix: string) =>
  prefix
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join("");

/** One statement per prefix and kind of access, so a grant that no call uses is visible as a whole statement. */
function bucketStatements(declaration: FunctionDeclaration, bucketArn: pulumi.Input<string>): aws.iam.PolicyStatement[] {
  return declaration.bucket.flatMap((grant) => {
    const objectActions = grant.actions.filter((action): action is Exclude<BucketAction, "s3:ListBucket"> => action !== "s3:ListBucket");
    const statements: aws.iam.PolicyStatement[] = [];
    if (objectActions.length > 0) {
      statements.push({
        Sid: `Objects${sidOf(grant.prefix)}`,
        Effect: "Allow",
        Action: [...objectActions],
        Resource: [pulumi.interpolate`${bucketArn}/${grant.prefix}*`],
      });
    }
    if (grant.actions.includes("s3:ListBucket")) {
      // The adapters ask whether a key exists by listing exactly that key; HeadObject would need an
      // unconditional ListBucket to tell a missing key (404) from a forbidden one (403).
      statements.push({
        Sid: `List${sidOf(grant.prefix)}`,
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [bucketArn],
        Condition: { StringLike: { "s3:prefix": [`${grant.prefix}*`] } },
      });
    }
    return statements;
  });
}

/**
 * The inline policy of one function's role, derived from its declaration: its own log group, exactly
 * its SSM parameters (and `kms:Decrypt` on their key, bound to those parameters by the encryption
 * context SSM uses), its bucket prefixes, and the dead-letter queue when it sends failures there.
 *
 * @example
 * functionPolicy({ declaration: FUNCTIONS["post-call"], logGroupArn, parameterArns, secretsKeyArn, bucketArn, deadLetterQueueArn });
 */
export function functionPolicy(args: FunctionPolicyArgs): aws.iam.PolicyDocument {
  const statements: aws.iam.PolicyStatement[] = [
    {
      Sid: "OwnLogGroup",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [pulumi.interpolate`${args.logGroupArn}:*`],
    },
  ];
  if (args.parameterArns.length > 0) {
    statements.push(
      // A function reads its secrets together, in one GetParameters request (ssm-secrets.ts).
      { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: args.parameterArns },
      {
        Sid: "DecryptOwnSecrets",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [args.secretsKeyArn],
        Condition: { StringEquals: { "kms:EncryptionContext:PARAMETER_ARN": args.parameterArns } },
      },
    );
  }
  statements.push(...bucketStatements(args.declaration, args.bucketArn));
  if (args.declaration.deadLetterQueue) {
    statements.push({ Sid: "DeadLetter", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [args.deadLetterQueueArn] });
  }
  return { Version: "2012-10-17", Statement: statements };
}
