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
 * SecureStrings read from SSM in one request, decrypted (`GetParameters` with `WithDecryption`, at most
 * {@link MAX_NAMES_PER_READ} names): each name SSM has, with its value; a name it does not have is not in
 * the map. ssm-parameter-reader.ts chooses how: signed requests on Lambda, the SDK's client elsewhere.
 */
export type ReadParameters = (parameterNames: readonly string[]) => Promise<ReadonlyMap<string, string>>;

/** SSM's limit on the names of one `GetParameters` request. */
export const MAX_NAMES_PER_READ = 10;

/**
 * The values a `GetParameters` answer holds, under the names they were asked by: SSM answers each
 * parameter under its name, which is the one asked for unless the parameter was asked by its ARN.
 */
export function valuesByName(asked: readonly string[], answered: readonly { readonly Name?: string; readonly Value?: string }[]): ReadonlyMap<string, string> {
  const askedAs = (name: string) => asked.find((a) => a === name || a.endsWith(`:parameter${name.startsWith("/") ? name : `/${name}`}`));
  const values = new Map<string, string>();
  for (const { Name, Value } of answered) {
    const name = Name === undefined ? undefined : askedAs(Name);
    if (name !== undefined && Value !== undefined) values.set(name, Value);
  }
  return values;
}

export interface SsmSecretsOptions {
  /** How parameters are read from SSM (with our timeouts, retries and endpoint override). */
  readonly read: ReadParameters;
  /** How long a value is served from memory before it is read again, in whole seconds. Default 5 minutes. */
  readonly maxAgeSecs?: number;
}

const DEFAULT_MAX_AGE_SECS = 5 * 60;

/** Powertools Parameters' cache (max age, `throwOnMissing`) over whichever way a parameter is read. */
class ParameterCache extends BaseProvider {
  /** Reads of several names in one request ({@link SsmSecrets.prefetch}), by name, until each name's value is taken. */
  readonly batched = new Map<string, Promise<ReadonlyMap<string, string>>>();

  constructor(readonly read: ReadParameters) {
    super({});
  }

  protected async _get(name: string): Promise<string | undefined> {
    const batch = this.batched.get(name);
    this.batched.delete(name);
    return (await (batch ?? this.read([name]))).get(name);
  }

  protected _getMultiple(): Promise<Record<string, unknown> | undefined> {
    return Promise.reject(new Error("SsmSecrets reads parameters by name, not by path"));
  }
}

/**
 * SSM Parameter Store SecureStrings by parameter name, decrypted by SSM and cached in memory with a
 * max age by a Powertools Parameters provider: one read per parameter per cold start in steady
 * state, concurrent first reads share one request, and {@link SsmSecrets.prefetch} reads a function's
 * secrets together in one `GetParameters` request. Failed reads are not cached. Values are never
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

  /**
   * Read several SecureStrings into the cache with one request (a cold start's secrets: one SSM round
   * trip and one connection for all of them). Never rejects: a value that could not be read is not
   * cached, and is read again, and reported, by {@link getParameter}.
   */
  async prefetch(parameterNames: readonly string[]): Promise<void> {
    const names = [...new Set(parameterNames)].filter((name) => !this.inFlight.has(name));
    for (let i = 0; i < names.length; i += MAX_NAMES_PER_READ) {
      const chunk = names.slice(i, i + MAX_NAMES_PER_READ);
      const batch = this.provider.read(chunk);
      batch.catch(() => undefined); // each name's read below reports it
      for (const name of chunk) this.provider.batched.set(name, batch);
    }
    await Promise.allSettled(names.map((name) => this.getParameter(name)));
    // A name served from the cache never took its batched value.
    for (const name of names) this.provider.batched.delete(name);
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
