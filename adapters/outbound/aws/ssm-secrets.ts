import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";

/** Thrown when an SSM parameter cannot be read; the message names the parameter, never its value. */
export class SecretUnavailableError extends Error {
  override readonly name = "SecretUnavailableError";
  constructor(
    message: string,
    readonly parameterName: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SsmSecretsOptions {
  readonly ssm: SSMClient;
  /** How long a value is served from memory before it is read again. Default 5 minutes. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

const DEFAULT_MAX_AGE_MS = 5 * 60_000;

/**
 * SSM Parameter Store SecureStrings by parameter name, decrypted by SSM and cached in memory with a
 * max age: one read per parameter per cold start in steady state, and concurrent first reads share
 * one request. Failed reads are not cached. Values are never logged or put in error messages.
 * Which secret lives in which parameter is the `SecretReader`'s business (the `*_PARAM` settings).
 *
 * @example
 * const parameters = new SsmSecrets({ ssm: createSsmClient() });
 * const hmacKey = await parameters.getParameter(env.ELEVENLABS_HMAC_KEY_PARAM);
 */
export class SsmSecrets {
  private readonly ssm: SSMClient;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, { readonly value: string; readonly fetchedAt: number }>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(options: SsmSecretsOptions) {
    if (options.maxAgeMs !== undefined && !(options.maxAgeMs >= 0)) throw new Error("maxAgeMs must be zero or more");
    this.ssm = options.ssm;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.now = options.now ?? Date.now;
  }

  /** One SecureString, decrypted, from the cache while it is younger than the max age. */
  async getParameter(parameterName: string): Promise<string> {
    const cached = this.cache.get(parameterName);
    if (cached !== undefined && this.now() - cached.fetchedAt < this.maxAgeMs) return cached.value;
    const pending = this.inFlight.get(parameterName);
    if (pending !== undefined) return pending;

    const request = this.fetch(parameterName)
      .then((value) => {
        this.cache.set(parameterName, { value, fetchedAt: this.now() });
        return value;
      })
      .finally(() => this.inFlight.delete(parameterName));
    this.inFlight.set(parameterName, request);
    return request;
  }

  private async fetch(parameterName: string): Promise<string> {
    let value: string | undefined;
    try {
      const out = await this.ssm.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
      value = out.Parameter?.Value;
    } catch (error) {
      const reason = (error as { name?: string } | null)?.name === "ParameterNotFound" ? "does not exist" : "could not be read";
      throw new SecretUnavailableError(`SSM parameter ${JSON.stringify(parameterName)} ${reason}`, parameterName, { cause: error });
    }
    if (value === undefined || value === "") {
      throw new SecretUnavailableError(`SSM parameter ${JSON.stringify(parameterName)} has no value`, parameterName);
    }
    return value;
  }
}
