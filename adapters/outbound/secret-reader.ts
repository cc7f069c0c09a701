import type { Secrets } from "../../application/ports/secrets.port";
import type { Env } from "../config";
import { ConfigError } from "../config";
import type { SecretName } from "../function-declarations";
import type { SsmSecrets } from "./aws/ssm-secrets";

/**
 * The secrets one function declared, and only those: each from its environment variable (locally,
 * or dev keys), else from the SSM SecureString its `<NAME>_PARAM` names (on AWS; read once and
 * cached). Asking for an undeclared secret is a programming error, so it throws rather than reaching
 * for a parameter the function's role may not read. Required secrets that are configured neither
 * way fail at start, naming both variables.
 *
 * @example
 * const secrets = new SecretReader(env, ["ELEVENLABS_HMAC_KEY"], ["ELEVENLABS_HMAC_KEY"]);
 * await secrets.get("ELEVENLABS_HMAC_KEY");
 */
export class SecretReader implements Secrets {
  private ssm: Promise<SsmSecrets> | undefined;
  private readonly declared: ReadonlySet<SecretName>;

  constructor(
    private readonly env: Env,
    declared: readonly SecretName[],
    required: readonly SecretName[],
  ) {
    this.declared = new Set(declared);
    const missing = required.filter((name) => !this.isConfigured(name));
    if (missing.length > 0) throw new ConfigError(`missing secrets: ${missing.map((name) => `${name} (or ${name}_PARAM)`).join(", ")}`);
  }

  /**
   * Start reading every declared secret kept in SSM, in one request, without waiting: a cold start
   * then pays one SSM round trip for all of them rather than one per secret, each when first needed
   * (the worker's Mem0 key only after its first S3 reads). The values land in the cache that
   * {@link find} reads; a read that fails here is not cached and is tried again, and reported, when
   * the secret is asked for. Never rejects; resolves once every read has settled.
   */
  async prefetch(): Promise<void> {
    const parameters = [...this.declared].flatMap((name) => (this.env[name] === undefined ? (this.env[`${name}_PARAM`] ?? []) : []));
    if (parameters.length === 0) return;
    try {
      await (await this.ssmSecrets()).prefetch(parameters);
    } catch {
      // Reported when a secret is asked for (find), not here.
    }
  }

  /** The secret's value; throws when it is not configured. */
  async get(name: SecretName): Promise<string> {
    const value = await this.find(name);
    if (value === undefined) throw new ConfigError(`${name} is not configured (set ${name} or ${name}_PARAM)`);
    return value;
  }

  /** Whether the secret is configured, by value or by parameter (its value is not read). */
  isConfigured(name: SecretName): boolean {
    this.mustBeDeclared(name);
    return this.env[name] !== undefined || this.env[`${name}_PARAM`] !== undefined;
  }

  /** The secret's value, or undefined when it is configured neither way (optional secrets). */
  async find(name: SecretName): Promise<string | undefined> {
    this.mustBeDeclared(name);
    const value = this.env[name];
    if (value !== undefined) return value;
    const parameter = this.env[`${name}_PARAM`];
    if (parameter === undefined) return undefined;
    return (await this.ssmSecrets()).getParameter(parameter);
  }

  /** Asking for a secret the function did not declare is a programming error, never a missing value. */
  private mustBeDeclared(name: SecretName): void {
    if (!this.declared.has(name)) throw new Error(`${name} is not among this function's declared secrets`);
  }

  private ssmSecrets(): Promise<SsmSecrets> {
    this.ssm ??= (async () => {
      const [{ SsmSecrets }, { parameterReaderFor }] = await Promise.all([import("./aws/ssm-secrets"), import("./aws/ssm-parameter-reader")]);
      return new SsmSecrets({ read: await parameterReaderFor(process.env) });
    })();
    return this.ssm;
  }
}
