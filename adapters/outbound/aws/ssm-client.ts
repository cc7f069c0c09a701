import { SSMClient } from "@aws-sdk/client-ssm";
import { endpointOverride, MAX_ATTEMPTS, REQUEST_HANDLER, type EnvSource } from "./aws-clients";

let ssm: SSMClient | undefined;

/**
 * The process's one SSM client; `AWS_ENDPOINT_URL_SSM` or `AWS_ENDPOINT_URL` points it at an emulator.
 *
 * @example
 * const parameters = new SsmSecrets({ ssm: createSsmClient() });
 */
export function createSsmClient(): SSMClient {
  ssm ??= buildSsmClient(process.env);
  return ssm;
}

/** A new SSM client for `env` (not cached). */
export function buildSsmClient(env: EnvSource): SSMClient {
  const endpoint = endpointOverride(env, "SSM");
  return new SSMClient({ maxAttempts: MAX_ATTEMPTS, requestHandler: REQUEST_HANDLER, ...(endpoint === undefined ? {} : { endpoint }) });
}
