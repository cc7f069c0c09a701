/**
 * The Pulumi program: one stack per environment (`Pulumi.<stack>.yaml`), run by `pulumi up`.
 * Outputs are what the operator pastes into ElevenLabs (see docs/deploy.md).
 */
import * as aws from "@pulumi/aws";
import { Alarms } from "./alarms";
import { Api } from "./api";
import { UsageDashboard } from "./dashboard";
import { FUNCTIONS, HTTP_FUNCTIONS, type HttpFunctionName } from "../adapters/function-declarations";
import { functionSettings, loadStackConfig } from "./config";
import { Events } from "./events";
import { Functions } from "./functions";
import { Secrets } from "./secrets";
import { Storage } from "./storage";

const config = loadStackConfig();
const { prefix } = config;
const accountId = aws.getCallerIdentityOutput().accountId;
/** The stack's namespace for the functions' metric events (and for the CLI's METRICS_NAMESPACE). */
const metricsNamespace = prefix;

const storage = new Storage(`${prefix}-storage`, {
  prefix,
  accountId,
  versioning: config.bucketVersioning,
  retentionDays: config.retentionDays,
});

const secrets = new Secrets(`${prefix}-secrets`, { prefix, stack: config.stack, values: config.secrets });

const { functions } = new Functions(`${prefix}-functions`, {
  prefix,
  bundleDir: config.bundleDir,
  memorySize: config.memorySize,
  reservedConcurrency: config.reservedConcurrency,
  logRetentionDays: config.logRetentionDays,
  logLevel: config.logLevel,
  metricsNamespace,
  settings: functionSettings(config),
  bucketName: storage.bucket.bucket,
  bucketArn: storage.bucket.arn,
  deadLetterQueueArn: storage.deadLetterQueue.arn,
  parameters: secrets.parameters,
  parameterNames: secrets.parameterNames,
  secretsKeyArn: secrets.key.arn,
});

const api = new Api(`${prefix}-api`, {
  prefix,
  targets: Object.fromEntries(
    HTTP_FUNCTIONS.map((name) => [name, { function: functions[name].function, path: FUNCTIONS[name].trigger.path }]),
  ) as Record<HttpFunctionName, { function: aws.lambda.Function; path: string }>,
  throttleRateLimit: config.throttleRateLimit,
  throttleBurstLimit: config.throttleBurstLimit,
  logRetentionDays: config.logRetentionDays,
});

new Events(`${prefix}-events`, {
  prefix,
  accountId,
  bucket: storage.bucket,
  worker: functions.worker.function,
  workerPrefix: FUNCTIONS.worker.trigger.prefix,
  sweep: functions.sweep.function,
  sweepSchedule: FUNCTIONS.sweep.trigger.expression,
  workerPolicy: functions.worker.policy,
  deadLetterQueue: storage.deadLetterQueue,
  maximumRetryAttempts: config.workerMaximumRetryAttempts,
  maximumEventAgeInSeconds: config.workerMaximumEventAgeInSeconds,
});

new Alarms(`${prefix}-alarms`, {
  prefix,
  functions: Object.fromEntries(Object.entries(functions).map(([key, deployed]) => [key, deployed.function])),
  api: api.api,
  deadLetterQueue: storage.deadLetterQueue,
  alarmEmail: config.alarmEmail,
});

const usageDashboard = new UsageDashboard(`${prefix}-dashboard`, {
  prefix,
  namespace: metricsNamespace,
  region: aws.config.region ?? process.env.AWS_REGION ?? "us-east-1",
});

/** ElevenLabs conversation-initiation webhook URL. */
export const clientDataUrl = api.urls["client-data"];
/** ElevenLabs server tool URL (memory search during the call). */
export const retrieveUrl = api.urls.retrieve;
/** ElevenLabs server tool URL (a fact remembered during the call). */
export const rememberUrl = api.urls.remember;
/** ElevenLabs post-call webhook URL. */
export const postCallUrl = api.urls["post-call"];
/** The archive bucket (inbox, transcripts, audio). */
export const bucketName = storage.bucket.bucket;

/** For `npx agentic-memory replay` (DEAD_LETTER_QUEUE_URL): where the worker's failed events wait. */
export const deadLetterQueueUrl = storage.deadLetterQueue.url;

/** For the operator CLI on AWS (METRICS_NAMESPACE): where the functions' metric events are. */
export { metricsNamespace };
/** The CloudWatch dashboard of those metric events. */
export const usageDashboardUrl = usageDashboard.url;
