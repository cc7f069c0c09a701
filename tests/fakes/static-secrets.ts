import type { SecretName, Secrets } from "../../application/ports/secrets.port";

/** Secrets given directly: the fake the application tests use. */
export class StaticSecrets implements Secrets {
  constructor(private readonly values: Partial<Record<SecretName, string>>) {}

  async get(name: SecretName): Promise<string> {
    const value = this.values[name];
    if (value === undefined || value === "") throw new Error(`${name} is not configured`);
    return value;
  }
}
