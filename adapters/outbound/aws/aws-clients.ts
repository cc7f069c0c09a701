import { S3Client } from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";

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

let s3: S3Client | undefined;
let ssm: SSMClient | undefined;

/**
 * The process's one S3 client. Region and credentials come from the standard chain (the Lambda
 * environment); `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` points it at an emulator.
 *
 * @example
 * const inbox = new S3EventInbox({ s3: createS3Client(), bucket });
 */
export function createS3Client(): S3Client {
  s3 ??= buildS3Client(process.env);
  return s3;
}

/**
 * The process's one SSM client; `AWS_ENDPOINT_URL_SSM` or `AWS_ENDPOINT_URL` points it at an emulator.
 *
 * @example
 * const secrets = new SsmSecrets({ ssm: createSsmClient(), parameterNames });
 */
export function createSsmClient(): SSMClient {
  ssm ??= buildSsmClient(process.env);
  return ssm;
}

/**
 * A new S3 client for `env` (not cached). Recent SDK v3 versions also read `AWS_ENDPOINT_URL*`
 * themselves; passing it explicitly keeps this independent of the SDK version the Lambda runtime
 * provides, and an emulator needs path-style addressing (`http://host:port/bucket/key`).
 */
export function buildS3Client(env: EnvSource): S3Client {
  const endpoint = endpointOverride(env, "S3");
  return new S3Client({
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: REQUEST_HANDLER,
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
  });
}

/** A new SSM client for `env` (not cached). */
export function buildSsmClient(env: EnvSource): SSMClient {
  const endpoint = endpointOverride(env, "SSM");
  return new SSMClient({ maxAttempts: MAX_ATTEMPTS, requestHandler: REQUEST_HANDLER, ...(endpoint === undefined ? {} : { endpoint }) });
}

/** `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`: how the tests and emulators point a client elsewhere. */
export function endpointOverride(env: EnvSource, service: "S3" | "SSM" | "SQS"): string | undefined {
  const value = env[`AWS_ENDPOINT_URL_${service}`]?.trim() || env.AWS_ENDPOINT_URL?.trim();
  return value === "" ? undefined : value;
}
