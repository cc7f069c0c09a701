import * as z from "zod/mini";
import type { EnvSource } from "./aws-clients";
import { SignedAwsClient } from "./signed-aws-client";
import { MAX_NAMES_PER_READ, valuesByName, type ReadParameters } from "./ssm-secrets";

/** What `GetParameters` answers, as far as we read it (names it does not have are its `InvalidParameters`); an error answer names its type in `__type`. */
const getParametersAnswer = z.object({ Parameters: z.optional(z.array(z.object({ Name: z.string(), Value: z.optional(z.string()) }))) });
const errorAnswer = z.object({ __type: z.optional(z.string()) });

/** SSM answered a read with an error (a name it does not have is no error); names the error type, never a value. */
class SsmReadError extends Error {
  override readonly name = "SsmReadError";
}

/**
 * How this process reads SSM parameters. Where the environment carries the region and the
 * credentials (Lambda, and the tests' emulators), a signed `GetParameters` request: a cold start then
 * never loads the SDK's SSM client, which costs about 50 ms of module loading on the first read
 * (README, "Reading the figures"). Anywhere else (an operator's profile or SSO session) the SDK's
 * client, with its credential chain.
 *
 * @example
 * const parameters = new SsmSecrets({ read: await parameterReaderFor(process.env) });
 */
export async function parameterReaderFor(env: EnvSource): Promise<ReadParameters> {
  const signed = SignedAwsClient.fromEnvironment(env, "ssm");
  if (signed !== null) return signedParameterReader(signed);
  const { createSsmClient, sdkParameterReader } = await import("./ssm-client");
  return sdkParameterReader(createSsmClient());
}

/** `GetParameters` (SSM's JSON API) with decryption, over a signed client. */
export function signedParameterReader(ssm: SignedAwsClient): ReadParameters {
  return async (parameterNames) => {
    if (parameterNames.length === 0) return new Map();
    if (parameterNames.length > MAX_NAMES_PER_READ) throw new RangeError(`GetParameters takes at most ${MAX_NAMES_PER_READ} names`);
    const answer = await ssm.send({
      method: "POST",
      path: "/",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonSSM.GetParameters" },
      body: JSON.stringify({ Names: parameterNames, WithDecryption: true }),
    });
    const body = parseJson(answer.body);
    if (answer.status === 200) {
      const parsed = getParametersAnswer.safeParse(body);
      if (!parsed.success) throw new SsmReadError("SSM answered GetParameters with an unexpected body");
      return valuesByName(parameterNames, parsed.data.Parameters ?? []);
    }
    // `__type` is, for example, `AccessDeniedException` or `com.amazonaws.ssm#ThrottlingException`.
    const type = (errorAnswer.safeParse(body).data?.__type ?? "").split("#").pop() ?? "";
    throw new SsmReadError(`SSM answered GetParameters with ${answer.status}${type === "" ? "" : ` ${type}`}`);
  };
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return null;
  }
}
