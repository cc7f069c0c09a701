import type { EnvSource } from "./aws-clients";
import type { S3BucketOptions } from "./s3-bucket";
import { SignedAwsClient } from "./signed-aws-client";

/**
 * How the adapters reach `bucket` in this process: signed requests where the environment carries the
 * region and the credentials (Lambda), so a cold start never loads the SDK's S3 client; the SDK's
 * client, made when a call first needs it, for the rest (erasure, and wherever the credentials come
 * from a profile, SSO or instance metadata).
 *
 * @example
 * const inbox = new S3EventInbox({ ...s3Access(process.env, env.ARCHIVE_BUCKET), bucket: env.ARCHIVE_BUCKET });
 */
export function s3Access(env: EnvSource, bucket: string): Pick<S3BucketOptions, "s3" | "signed"> {
  const clients = signedClients.get(env) ?? new Map<string, SignedAwsClient | null>();
  signedClients.set(env, clients);
  // One client per bucket and environment: the profile store, the inbox and the archive share its
  // connections (on AWS each new one is a TLS handshake), as they share the SDK's client.
  const signed = clients.get(bucket) ?? SignedAwsClient.fromEnvironment(env, "s3", bucket);
  clients.set(bucket, signed);
  return { s3: () => import("./s3-client").then(({ createS3Client }) => createS3Client()), ...(signed === null ? {} : { signed }) };
}

const signedClients = new WeakMap<EnvSource, Map<string, SignedAwsClient | null>>();
