import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ARCHIVE_PREFIXES as ARCHIVE_ROOTS, INBOX_PREFIXES, PROFILES_PREFIX } from "../adapters/function-declarations";
import { PROJECT } from "./config";

/** Key prefixes of the archive bucket that retention expires (the adapters' own, from the declarations). */
const ARCHIVE_PREFIXES = [INBOX_PREFIXES.pending, INBOX_PREFIXES.done, ARCHIVE_ROOTS.transcripts, ARCHIVE_ROOTS.audio] as const;

/** Inputs of {@link Storage}. */
export interface StorageArgs {
  /** `elevenlabs-agentic-memory-<stack>`. */
  prefix: string;
  /** The AWS account: bucket names are global, and the account id keeps ours unique without random suffixes. */
  accountId: pulumi.Input<string>;
  /** Versioning on the bucket (config `bucketVersioning`). */
  versioning: boolean;
  /** Expire every archive prefix after this many days (config `retentionDays`); keep forever when absent. */
  retentionDays?: number;
}

/**
 * Where events rest: the archive bucket (raw webhook inbox, done markers, transcripts, audio) and the
 * worker's dead-letter queue. Bucket: default SSE-S3, no public access, TLS-only policy. Queue: SSE-SQS.
 */
export class Storage extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  /** On-failure destination of the worker's asynchronous invocations. */
  readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${PROJECT}:infra:Storage`, name, {}, opts);
    const child = { parent: this };

    this.bucket = new aws.s3.Bucket(
      `${args.prefix}-archive`,
      { bucket: pulumi.interpolate`${args.prefix}-archive-${args.accountId}` },
      child,
    );

    // SSE-S3 rather than SSE-KMS: the functions then need no KMS grant to read or write the archive.
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${args.prefix}-archive`,
      {
        bucket: this.bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      child,
    );

    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${args.prefix}-archive`,
      {
        bucket: this.bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );

    new aws.s3.BucketPolicy(
      `${args.prefix}-archive`,
      {
        bucket: this.bucket.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      },
      // S3 refuses policy changes while the public access block is being applied.
      { ...child, dependsOn: [publicAccessBlock] },
    );

    if (args.versioning) {
      new aws.s3.BucketVersioning(
        `${args.prefix}-archive`,
        { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } },
        child,
      );
    }

    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [];
    if (args.versioning) {
      // A settled audio-wait marker (it names the caller's folder) must not live on as a noncurrent
      // version, nor its delete marker for ever.
      rules.push({
        id: "settled-awaiting-audio",
        status: "Enabled",
        filter: { prefix: INBOX_PREFIXES.awaitingAudio },
        noncurrentVersionExpiration: { noncurrentDays: 1 },
        expiration: { expiredObjectDeleteMarker: true },
      });
    }
    if (args.versioning && args.retentionDays === undefined) {
      // Each ingested call rewrites the caller's profile: the versions it replaces quote old notes.
      rules.push({ id: "replaced-profiles", status: "Enabled", filter: { prefix: PROFILES_PREFIX }, noncurrentVersionExpiration: { noncurrentDays: 1 } });
    }
    if (args.retentionDays !== undefined) {
      const days = args.retentionDays;
      rules.push(
        // A profile is rewritten after every call: one older than the retention is that of a caller
        // whose last call is, and goes with the transcripts of that call.
        ...[...ARCHIVE_PREFIXES, PROFILES_PREFIX].map((prefix) => ({
          id: `expire-${prefix.slice(0, -1)}`,
          status: "Enabled",
          filter: { prefix },
          expiration: { days },
          // With versioning an expired object only becomes noncurrent: drop it a day later so
          // retention really deletes the data.
          ...(args.versioning ? { noncurrentVersionExpiration: { noncurrentDays: 1 } } : {}),
        })),
      );
    }
    if (rules.length > 0) {
      new aws.s3.BucketLifecycleConfiguration(`${args.prefix}-archive`, { bucket: this.bucket.id, rules }, child);
    }

    this.deadLetterQueue = new aws.sqs.Queue(
      `${args.prefix}-worker-dlq`,
      {
        name: `${args.prefix}-worker-dlq`,
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: 14 * 24 * 60 * 60,
      },
      child,
    );

    this.registerOutputs({ bucketName: this.bucket.bucket, deadLetterQueueArn: this.deadLetterQueue.arn });
  }
}
