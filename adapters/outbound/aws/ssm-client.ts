import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { endpointOverride, MAX_ATTEMPTS, REQUEST_HANDLER, type EnvSource } from "./aws-clients";
import { valuesByName, type ReadParameters } from "./ssm-secrets";

let ssm: SSMClient | undefined;

/**
 * The process's one SSM client; `AWS_ENDPOINT_URL_SSM` or `AWS_ENDPOINT_URL` points it at an emulator.
 *
 * @example
 * const parameters = new SsmSecrets({ read: sdkParameterReader(createSsmClient()) });
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

/** `GetParameters` with decryption through the SDK's client (where the signed one cannot be used: ssm-parameter-reader.ts). */
export function sdkParameterReader(ssm: SSMClient): ReadParameters {
  return async (parameterNames) => {
    if (parameterNames.length === 0) return new Map();
    const answer = await ssm.send(new GetParametersCommand({ Names: [...parameterNames], WithDecryption: true }));
    return valuesByName(parameterNames, answer.Parameters ?? []);
  };
}
