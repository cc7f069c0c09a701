import { S3Client } from "@aws-sdk/client-s3";
import { endpointOverride, MAX_ATTEMPTS, REQUEST_HANDLER, type EnvSource } from "./aws-clients";

let s3: S3Client | undefined;

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
 * A new S3 client for `env` (not cached). Recent SDK v3 versions also read `AWS_ENDPOINT_URL*`
 * themselves; passing it explicitly keeps this independent of the SDK version, and an emulator needs
 * path-style addressing (`http://host:port/bucket/key`).
 */
export function buildS3Client(env: EnvSource): S3Client {
  const endpoint = endpointOverride(env, "S3");
  return new S3Client({
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: REQUEST_HANDLER,
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
  });
}
