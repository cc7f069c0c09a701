import * as z from "zod/mini";
import type { EnvSource } from "./aws-clients";
import { SignedAwsClient } from "./signed-aws-client";
import type { ReadParameter } from "./ssm-secrets";

/** What `GetParameter` answers, as far as we read it; an error answer names its type in `__type`. */
const getParameterAnswer = z.object({ Parameter: z.optional(z.object({ Value: z.optional(z.string()) })) });
const errorAnswer = z.object({ __type: z.optional(z.string()) });

/** SSM answered a read with an error other than "no such parameter"; names the error type, never a value. */
class SsmReadError extends Error {
  override readonly name = "SsmReadError";
}

/**
 * How this process reads SSM parameters. Where the environment carries the region and the
 * credentials (Lambda, and the tests' emulators), a signed `GetParameter` request: a cold start then
 * never loads the SDK's SSM client, which costs about 50 ms of module loading on the first read
 * (README, "Reading the figures"). Anywhere else (an operator's profile or SSO session) the SDK's
 * client, with its credential chain.
 *
 * @example
 * const parameters = new SsmSecrets({ read: await parameterReaderFor(process.env) });
 */
export async function parameterReaderFor(env: EnvSource): Promise<ReadParameter> {
  const signed = SignedAwsClient.fromEnvironment(env, "ssm");
  if (signed !== null) return signedParameterReader(signed);
  const { createSsmClient, sdkParameterReader } = await import("./ssm-client");
  return sdkParameterReader(createSsmClient());
}

/** `GetParameter` (SSM's JSON API) with decryption, over a signed client. */
export function signedParameterReader(ssm: SignedAwsClient): ReadParameter {
  return async (parameterName) => {
    const answer = await ssm.send({
      method: "POST",
      path: "/",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonSSM.GetParameter" },
      body: JSON.stringify({ Name: parameterName, WithDecryption: true }),
    });
    const body = parseJson(answer.body);
    if (answer.status === 200) {
      const parsed = getParameterAnswer.safeParse(body);
      if (!parsed.success) throw new SsmReadError("SSM answered GetParameter with an unexpected body");
      return parsed.data.Parameter?.Value;
    }
    // `__type` is `ParameterNotFound` or `com.amazonaws.ssm#ParameterNotFound`.
    const type = (errorAnswer.safeParse(body).data?.__type ?? "").split("#").pop() ?? "";
    if (answer.status === 400 && type === "ParameterNotFound") return undefined;
    throw new SsmReadError(`SSM answered GetParameter with ${answer.status}${type === "" ? "" : ` ${type}`}`);
  };
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return null;
  }
}
