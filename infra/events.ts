import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "./config";

/** Inputs of {@link Events}. */
export interface EventsArgs {
  /** `elevenlabs-agentic-memory-<stack>`. */
  prefix: string;
  /** The AWS account that owns the bucket. */
  accountId: pulumi.Input<string>;
  bucket: aws.s3.Bucket;
  worker: aws.lambda.Function;
  /** The prefix whose created objects start the worker (its declared trigger). */
  workerPrefix: string;
  /** The scheduled sweep and its schedule expression (its declared trigger). */
  sweep: aws.lambda.Function;
  sweepSchedule: string;
  /** The worker role's policy: it must grant `sqs:SendMessage` before Lambda accepts the destination. */
  workerPolicy: aws.iam.RolePolicy;
  deadLetterQueue: aws.sqs.Queue;
  /** Retries of a failed asynchronous invocation (0-2). */
  maximumRetryAttempts: number;
  /** Oldest event Lambda still delivers, in seconds (60-21600). */
  maximumEventAgeInSeconds: number;
}

/**
 * The durable inbox: every object created under `inbox/` invokes the worker asynchronously, with
 * bounded retries and event age; what still fails goes to the dead-letter queue. An EventBridge
 * schedule runs the sweep, which re-drives what a lost notification or a missing webhook left waiting.
 */
export class Events extends pulumi.ComponentResource {
  constructor(name: string, args: EventsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${PROJECT}:infra:Events`, name, {}, opts);
    const child = { parent: this };

    const permission = new aws.lambda.Permission(
      `${args.prefix}-worker-s3`,
      {
        action: "lambda:InvokeFunction",
        function: args.worker.name,
        principal: "s3.amazonaws.com",
        sourceArn: args.bucket.arn,
        // Bucket ARNs carry no account: pin it so no other account's bucket of that name can invoke.
        sourceAccount: args.accountId,
      },
      child,
    );

    new aws.s3.BucketNotification(
      `${args.prefix}-archive`,
      {
        bucket: args.bucket.id,
        lambdaFunctions: [
          { lambdaFunctionArn: args.worker.arn, events: ["s3:ObjectCreated:*"], filterPrefix: args.workerPrefix },
        ],
      },
      // S3 test-invokes the function when the notification is saved.
      { ...child, dependsOn: [permission] },
    );

    new aws.lambda.FunctionEventInvokeConfig(
      `${args.prefix}-worker`,
      {
        functionName: args.worker.name,
        maximumRetryAttempts: args.maximumRetryAttempts,
        maximumEventAgeInSeconds: args.maximumEventAgeInSeconds,
        destinationConfig: { onFailure: { destination: args.deadLetterQueue.arn } },
      },
      { ...child, dependsOn: [args.workerPolicy] },
    );

    const schedule = new aws.cloudwatch.EventRule(
      `${args.prefix}-sweep`,
      { name: `${args.prefix}-sweep`, description: "Runs the inbox sweep", scheduleExpression: args.sweepSchedule },
      child,
    );
    const sweepPermission = new aws.lambda.Permission(
      `${args.prefix}-sweep-schedule`,
      { action: "lambda:InvokeFunction", function: args.sweep.name, principal: "events.amazonaws.com", sourceArn: schedule.arn },
      child,
    );
    new aws.cloudwatch.EventTarget(
      `${args.prefix}-sweep`,
      { rule: schedule.name, arn: args.sweep.arn, retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 300 } },
      // The next scheduled run is the retry; overlapping runs would only do the same work twice.
      { ...child, dependsOn: [sweepPermission] },
    );

    this.registerOutputs({});
  }
}
