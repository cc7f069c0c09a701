import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, type SecretName } from "./config";

/** Inputs of {@link Secrets}. */
export interface SecretsArgs {
  /** `elevenlabs-agentic-memory-<stack>`. */
  prefix: string;
  stack: string;
  /** Secret values from stack config; absent optional secrets get no parameter. */
  values: Partial<Record<SecretName, pulumi.Input<string>>>;
}

/**
 * The SSM SecureString parameters holding the secrets, encrypted with a customer-managed KMS key
 * so that IAM grants can name that one key (the AWS-managed `aws/ssm` key is usable by every
 * principal of the account through SSM, so grants on it cannot be scoped).
 */
export class Secrets extends pulumi.ComponentResource {
  /** The key that encrypts the parameters. */
  readonly key: aws.kms.Key;
  /** One parameter per secret that is set. */
  readonly parameters: Partial<Record<SecretName, aws.ssm.Parameter>>;
  /** Parameter names (`/elevenlabs-agentic-memory/<stack>/<NAME>`), the only thing functions are told. */
  readonly parameterNames: Partial<Record<SecretName, string>>;

  constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${PROJECT}:infra:Secrets`, name, {}, opts);

    this.key = new aws.kms.Key(
      `${args.prefix}-secrets`,
      {
        description: `Encrypts the SSM SecureString parameters of ${args.prefix}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      },
      { parent: this },
    );
    new aws.kms.Alias(
      `${args.prefix}-secrets`,
      { name: `alias/${args.prefix}-secrets`, targetKeyId: this.key.keyId },
      { parent: this },
    );

    this.parameters = {};
    this.parameterNames = {};
    for (const [secret, value] of Object.entries(args.values) as [SecretName, pulumi.Input<string>][]) {
      const parameterName = `/${PROJECT}/${args.stack}/${secret}`;
      this.parameterNames[secret] = parameterName;
      this.parameters[secret] = new aws.ssm.Parameter(
        `${args.prefix}-${secret}`,
        {
          name: parameterName,
          type: aws.ssm.ParameterType.SecureString,
          keyId: this.key.arn,
          value: pulumi.secret(value),
          description: `${secret} for ${args.prefix} (set with pulumi config set --secret)`,
        },
        { parent: this },
      );
    }

    this.registerOutputs({ keyArn: this.key.arn });
  }
}
