import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { endpointOverride, MAX_ATTEMPTS, REQUEST_HANDLER, type EnvSource } from "./aws-clients";

/**
 * A CloudWatch client (only the operator CLI reads metrics: no Lambda bundle loads this module). Same
 * socket limits as the other clients; `AWS_ENDPOINT_URL_CLOUDWATCH` or `AWS_ENDPOINT_URL` points it at
 * an emulator.
 *
 * @example
 * const usage = new CloudWatchUsageReader({ cloudwatch: buildCloudWatchClient(), namespace });
 */
export function buildCloudWatchClient(env: EnvSource = process.env): CloudWatchClient {
  const endpoint = endpointOverride(env, "CLOUDWATCH");
  return new CloudWatchClient({ maxAttempts: MAX_ATTEMPTS, requestHandler: REQUEST_HANDLER, ...(endpoint === undefined ? {} : { endpoint }) });
}
