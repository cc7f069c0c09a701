import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import type { SecretName, Secrets } from "../../../application/ports/secrets.port";

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
  /** The SSM parameter holding each secret (from the `*_PARAM` settings). */
  readonly parameterNames: Partial<Record<SecretName, string>>;
  /** How long a value is served from memory before it is read again. Default 5 minutes. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

const DEFAULT_MAX_AGE_MS = 5 * 60_000;

/**
 * Secrets from SSM Parameter Store SecureStrings, decrypted by SSM and cached in memory with a max
 * age: one read per parameter per cold start in steady state, and concurrent first reads share one
 * request. Failed reads are not cached. Values are never logged or put in error messages.
 *
 * @example
 * const secrets = new SsmSecrets({ ssm: createSsmClient(), parameterNames: { ELEVENLABS_HMAC_KEY: env.ELEVENLABS_HMAC_KEY_PARAM } });
 * const hmacKey = await secrets.get("ELEVENLABS_HMAC_KEY");
 * const mem0 = await secrets.getParameters([env.MEM0_API_KEY_PARAM, env.MEM0_ORG_ID_PARAM]);
 */
export class SsmSecrets implements Secrets {
  private readonly ssm: SSMClient;
  private readonly parameterNames: Partial<Record<SecretName, string>>;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, { readonly value: string; readonly fetchedAt: number }>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(options: SsmSecretsOptions) {
    if (options.maxAgeMs !== undefined && !(options.maxAgeMs >= 0)) throw new Error("maxAgeMs must be zero or more");
    this.ssm = options.ssm;
    this.parameterNames = options.parameterNames;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.now = options.now ?? Date.now;
  }

  async get(name: SecretName): Promise<string> {
    const parameterName = this.parameterNames[name];
    if (parameterName === undefined || parameterName.trim() === "") {
      throw new SecretUnavailableError(`${name} has no SSM parameter name configured (set ${name}_PARAM)`, undefined);
    }
    return this.getParameter(parameterName);
  }

  /** One SecureString by parameter name, through the same cache as {@link get}. */
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

  /**
   * Several SecureStrings by parameter name, read in parallel, keyed by parameter name.
   *
   * @example
   * const values = await secrets.getParameters(["/app/mem0-api-key", "/app/mem0-org-id"]);
   * values["/app/mem0-api-key"]; // the decrypted value
   */
  async getParameters(parameterNames: readonly string[]): Promise<Record<string, string>> {
    const values = await Promise.all(parameterNames.map((name) => this.getParameter(name)));
    return Object.fromEntries(parameterNames.map((name, i) => [name, values[i] as string]));
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
