/**
 * Settings every AWS SDK client of ours shares. No SDK import here: each service's client lives in
 * its own module (s3-client.ts, ssm-client.ts, sqs-client.ts, cloudwatch-client.ts), so a function loads only the clients
 * it uses (client-data and retrieve never load S3).
 */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/**
 * Socket limits so a stalled connection fails and is retried inside the Lambda's budget instead
 * of hanging until the function times out (the SDK has no deadline by default). `requestTimeout` is
 * the longest silence on an open socket, not the length of a transfer, so a large audio upload that
 * keeps moving is never cut off.
 */
export const REQUEST_HANDLER = { connectionTimeout: 2_000, requestTimeout: 5_000 } as const;

/**
 * Tries per SDK call, the first included (the SDK's default is 3). With {@link REQUEST_HANDLER} one
 * call takes at most 2 × (2 s + 5 s); the post-call acknowledgement also bounds its whole store
 * (our retries included) by its own budget, well inside API Gateway's 30 s.
 */
export const MAX_ATTEMPTS = 2;

/** `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`: how the tests and emulators point a client elsewhere. */
export function endpointOverride(env: EnvSource, service: "S3" | "SSM" | "SQS" | "CLOUDWATCH"): string | undefined {
  const value = env[`AWS_ENDPOINT_URL_${service}`]?.trim() || env.AWS_ENDPOINT_URL?.trim();
  return value === "" ? undefined : value;
}
