import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** What a function may do in the archive bucket. */
export type ArchiveAccess =
  /** client-data, retrieve: nothing. */
  | "none"
  /** post-call: store and dedupe raw events under `inbox/`. */
  | "inbox-writer"
  /** worker: read the inbox, write done markers, transcripts and audio. */
  | "worker";

/** Inputs of {@link functionPolicy}: the exact ARNs one function touches. */
export interface FunctionPolicyArgs {
  /** The function's own log group. */
  logGroupArn: pulumi.Input<string>;
  /** ARNs of the SSM parameters the function reads (may be empty). */
  parameterArns: pulumi.Input<string>[];
  /** The KMS key that encrypts those parameters. */
  secretsKeyArn: pulumi.Input<string>;
  archive: ArchiveAccess;
  bucketArn: pulumi.Input<string>;
  /** The on-failure destination the function's async invocations are sent to, if any. */
  deadLetterQueueArn?: pulumi.Input<string>;
}

const objects = (bucketArn: pulumi.Input<string>, ...prefixes: string[]) =>
  prefixes.map((prefix) => pulumi.interpolate`${bucketArn}/${prefix}*`);

function archiveStatements(access: ArchiveAccess, bucketArn: pulumi.Input<string>): aws.iam.PolicyStatement[] {
  switch (access) {
    case "none":
      return [];
    case "inbox-writer":
      return [
        {
          Sid: "InboxReadWrite",
          Effect: "Allow",
          Action: ["s3:PutObject", "s3:GetObject"],
          Resource: objects(bucketArn, "inbox/"),
        },
        {
          // The duplicate check asks whether inbox/ or processed/ already holds the event, as a
          // listing of that exact key (HeadObject would need an unconditional ListBucket to see a 404).
          Sid: "InboxList",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: [bucketArn],
          Condition: { StringLike: { "s3:prefix": ["inbox/*", "processed/*"] } },
        },
      ];
    case "worker":
      return [
        {
          Sid: "ArchiveRead",
          Effect: "Allow",
          Action: ["s3:GetObject"],
          Resource: objects(bucketArn, "inbox/", "processed/", "transcripts/"),
        },
        {
          Sid: "ArchiveWrite",
          Effect: "Allow",
          Action: ["s3:PutObject"],
          Resource: objects(bucketArn, "processed/", "transcripts/", "audio/"),
        },
        {
          Sid: "ArchiveList",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: [bucketArn],
          Condition: { StringLike: { "s3:prefix": ["inbox/*", "processed/*", "transcripts/*"] } },
        },
      ];
  }
}

/**
 * The inline policy of one function's role: its own log group, exactly its SSM parameters (and
 * `kms:Decrypt` on their key only when it reads any, further bound to those parameters by the
 * encryption context SSM uses), its archive prefixes, and its dead-letter queue.
 *
 * @example
 * functionPolicy({ logGroupArn, parameterArns: [], secretsKeyArn, archive: "none", bucketArn }).Statement; // logs only
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
      {
        Sid: "ReadOwnSecrets",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:GetParameters"],
        Resource: args.parameterArns,
      },
      {
        Sid: "DecryptOwnSecrets",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [args.secretsKeyArn],
        Condition: { StringEquals: { "kms:EncryptionContext:PARAMETER_ARN": args.parameterArns } },
      },
    );
  }
  statements.push(...archiveStatements(args.archive, args.bucketArn));
  if (args.deadLetterQueueArn !== undefined) {
    statements.push({
      Sid: "DeadLetter",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: [args.deadLetterQueueArn],
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}
