import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "./config";

/** Inputs of {@link Alarms}. */
export interface AlarmsArgs {
  /** `elevenlabs-agentic-memory-<stack>`. */
  prefix: string;
  /** Functions by short name (`client-data`, …). */
  functions: Readonly<Record<string, aws.lambda.Function>>;
  api: aws.apigatewayv2.Api;
  deadLetterQueue: aws.sqs.Queue;
  /** Where alarm notifications go; without it the alarms only show in the console. */
  alarmEmail?: string;
}

/** Thresholds, in one place so the docs and tests can name them. */
const ALARM_THRESHOLDS = {
  /** Percent of invocations that errored, per 5 minutes. */
  errorRatePercent: 1,
  /** p99 duration in milliseconds, per 5 minutes. */
  durationP99Ms: 25_000,
  /** Throttled invocations per 5 minutes. */
  throttles: 0,
  /** API 5xx responses per 5 minutes. */
  api5xx: 5,
  /** Messages waiting in the dead-letter queue. */
  deadLetterMessages: 0,
} as const;

const PERIOD_SECONDS = 300;

type AlarmProps = Omit<aws.cloudwatch.MetricAlarmArgs, "name" | "alarmActions" | "comparisonOperator" | "evaluationPeriods">;

/**
 * CloudWatch alarms: per function error rate, p99 duration and throttles; API 5xx; dead-letter queue
 * not empty. With `alarmEmail`, an SNS topic with an e-mail subscription receives every alarm.
 */
export class Alarms extends pulumi.ComponentResource {
  /** The notification topic, when `alarmEmail` is set. */
  readonly topic?: aws.sns.Topic;

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${PROJECT}:infra:Alarms`, name, {}, opts);
    const child = { parent: this };

    if (args.alarmEmail !== undefined) {
      // Unencrypted on purpose: CloudWatch cannot publish to a topic under the AWS-managed SNS key,
      // and alarm notifications carry no caller data.
      this.topic = new aws.sns.Topic(`${args.prefix}-alarms`, { name: `${args.prefix}-alarms` }, child);
      new aws.sns.TopicSubscription(
        `${args.prefix}-alarms-email`,
        { topic: this.topic.arn, protocol: "email", endpoint: args.alarmEmail },
        child,
      );
    }
    const actions = this.topic ? [this.topic.arn] : [];

    // Every alarm fires above its threshold over one 5-minute period; no data (no traffic) is fine.
    const alarm = (suffix: string, props: AlarmProps) =>
      new aws.cloudwatch.MetricAlarm(
        `${args.prefix}-${suffix}`,
        {
          name: `${args.prefix}-${suffix}`,
          alarmActions: actions,
          comparisonOperator: "GreaterThanThreshold",
          evaluationPeriods: 1,
          treatMissingData: "notBreaching",
          ...props,
        },
        child,
      );
    const metricAlarm = (
      suffix: string,
      description: string,
      metric: { namespace: string; metricName: string; dimensions: Record<string, pulumi.Input<string>> },
      statistic: { statistic: string } | { extendedStatistic: string },
      threshold: number,
    ) => alarm(suffix, { alarmDescription: description, ...metric, ...statistic, period: PERIOD_SECONDS, threshold });

    const sumPerPeriod = { period: PERIOD_SECONDS, stat: "Sum" };
    for (const [key, fn] of Object.entries(args.functions)) {
      const lambdaMetric = (metricName: string) => ({
        namespace: "AWS/Lambda",
        metricName,
        dimensions: { FunctionName: fn.name },
      });
      alarm(`${key}-error-rate`, {
        alarmDescription: `${key}: more than ${ALARM_THRESHOLDS.errorRatePercent} % of invocations failed`,
        threshold: ALARM_THRESHOLDS.errorRatePercent,
        metricQueries: [
          { id: "errors", metric: { ...lambdaMetric("Errors"), ...sumPerPeriod }, returnData: false },
          { id: "invocations", metric: { ...lambdaMetric("Invocations"), ...sumPerPeriod }, returnData: false },
          { id: "error_rate", expression: "100 * errors / invocations", label: "Error rate (%)", returnData: true },
        ],
      });
      metricAlarm(
        `${key}-duration`,
        `${key}: p99 duration above ${ALARM_THRESHOLDS.durationP99Ms} ms`,
        lambdaMetric("Duration"),
        { extendedStatistic: "p99" },
        ALARM_THRESHOLDS.durationP99Ms,
      );
      metricAlarm(
        `${key}-throttles`,
        `${key}: invocations throttled (reserved concurrency reached)`,
        lambdaMetric("Throttles"),
        { statistic: "Sum" },
        ALARM_THRESHOLDS.throttles,
      );
    }

    metricAlarm(
      "api-5xx",
      `API: more than ${ALARM_THRESHOLDS.api5xx} 5xx responses in 5 minutes`,
      { namespace: "AWS/ApiGateway", metricName: "5xx", dimensions: { ApiId: args.api.id } },
      { statistic: "Sum" },
      ALARM_THRESHOLDS.api5xx,
    );
    metricAlarm(
      "worker-dlq-not-empty",
      "Worker dead-letter queue holds events the worker gave up on",
      {
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: args.deadLetterQueue.name },
      },
      { statistic: "Maximum" },
      ALARM_THRESHOLDS.deadLetterMessages,
    );

    this.registerOutputs({});
  }
}
