import { BaseProvider } from "@aws-lambda-powertools/parameters/base";
import { ParameterNotFoundError } from "@aws-lambda-powertools/parameters/errors";

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

/**
 * One SecureString read from SSM, decrypted (`GetParameter` with `WithDecryption`); undefined when
 * there is no such parameter. ssm-parameter-reader.ts chooses how: signed requests on Lambda, the
 * SDK's client elsewhere.
 */
export type ReadParameter = (parameterName: string) => Promise<string | undefined>;

export interface SsmSecretsOptions {
  /** How a parameter is read from SSM (with our timeouts, retries and endpoint override). */
  readonly read: ReadParameter;
  /** How long a value is served from memory before it is read again, in whole seconds. Default 5 minutes. */
  readonly maxAgeSecs?: number;
}

const DEFAULT_MAX_AGE_SECS = 5 * 60;

/** Powertools Parameters' cache (max age, `throwOnMissing`) over whichever way a parameter is read. */
class ParameterCache extends BaseProvider {
  constructor(private readonly read: ReadParameter) {
    super({});
  }

  protected _get(name: string): Promise<string | undefined> {
    return this.read(name);
  }

  protected _getMultiple(): Promise<Record<string, unknown> | undefined> {
    return Promise.reject(new Error("SsmSecrets reads parameters one by one"));
  }
}

/**
 * SSM Parameter Store SecureStrings by parameter name, decrypted by SSM and cached in memory with a
 * max age by a Powertools Parameters provider: one read per parameter per cold start in steady
 * state, and concurrent first reads share one request. Failed reads are not cached. Values are never
 * logged or put in error messages. Which secret lives in which parameter is the `SecretReader`'s
 * business (the `*_PARAM` settings).
 *
 * @example
 * const parameters = new SsmSecrets({ read: await parameterReaderFor(process.env) });
 * const hmacKey = await parameters.getParameter(env.ELEVENLABS_HMAC_KEY_PARAM);
 */
export class SsmSecrets {
  private readonly provider: ParameterCache;
  private readonly maxAgeSecs: number;
  // Powertools caches values but not reads in progress: without this, a cold start's concurrent first reads each call SSM.
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(options: SsmSecretsOptions) {
    if (options.maxAgeSecs !== undefined && !(Number.isInteger(options.maxAgeSecs) && options.maxAgeSecs >= 0)) {
      throw new Error("maxAgeSecs must be a whole number, zero or more");
    }
    this.provider = new ParameterCache(options.read);
    this.maxAgeSecs = options.maxAgeSecs ?? DEFAULT_MAX_AGE_SECS;
  }

  /** One SecureString, decrypted, from the cache while it is younger than the max age. */
  async getParameter(parameterName: string): Promise<string> {
    const pending = this.inFlight.get(parameterName);
    if (pending !== undefined) return pending;
    const request = this.read(parameterName).finally(() => this.inFlight.delete(parameterName));
    this.inFlight.set(parameterName, request);
    return request;
  }

  private async read(parameterName: string): Promise<string> {
    let value: string | undefined;
    try {
      value = (await this.provider.get(parameterName, { maxAge: this.maxAgeSecs, throwOnMissing: true })) as string | undefined;
    } catch (error) {
      const reason = error instanceof ParameterNotFoundError ? "does not exist" : "could not be read";
      throw new SecretUnavailableError(`SSM parameter ${JSON.stringify(parameterName)} ${reason}`, parameterName, { cause: error });
    }
    if (value === undefined || value === "") {
      throw new SecretUnavailableError(`SSM parameter ${JSON.stringify(parameterName)} has no value`, parameterName);
    }
    return value;
  }
}
