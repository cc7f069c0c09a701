/** DI token for {@link Secrets}. */
export const SECRETS = Symbol("Secrets");

export type SecretName = "ELEVENLABS_WORKSPACE_KEY" | "ELEVENLABS_HMAC_KEY";

/** Secret values (env locally, SSM SecureString on AWS), cached by the adapter. */
export interface Secrets {
  get(name: SecretName): Promise<string>;
}
