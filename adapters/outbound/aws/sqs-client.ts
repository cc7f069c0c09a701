import { SQSClient } from "@aws-sdk/client-sqs";
import { endpointOverride, MAX_ATTEMPTS, REQUEST_HANDLER, type EnvSource } from "./aws-clients";

/**
 * An SQS client (only the operator CLI reads the dead-letter queue, so no Lambda bundle loads this
 * module). Same socket limits and endpoint override as the S3 and SSM clients.
 *
 * @example
 * const queue = new DeadLetterQueue(buildSqsClient(process.env), queueUrl);
 */
export function buildSqsClient(env: EnvSource = process.env): SQSClient {
  const endpoint = endpointOverride(env, "SQS");
  return new SQSClient({ maxAttempts: MAX_ATTEMPTS, requestHandler: REQUEST_HANDLER, ...(endpoint === undefined ? {} : { endpoint }) });
}
