import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { AwsCall } from "./aws-call-recorder";

/** An IAM policy document as the Pulumi program writes it. */
export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly { readonly Sid?: string; readonly Action: string | readonly string[] }[];
}

export interface IamVerdict {
  /** Calls the policy would deny, with why, ready for a failure message. */
  readonly denied: readonly string[];
  /** `Sid action` of every statement action that allowed at least one call. */
  readonly used: ReadonlySet<string>;
}

export interface IamContext {
  readonly accountId: string;
  /** The role the function runs as. */
  readonly roleArn: string;
  /** Resource policies AWS evaluates beside the identity policy (bucket policy, KMS key policy). */
  readonly resourcePolicyFor: (call: AwsCall) => object | undefined;
}

/**
 * Evaluates each recorded call against one function's identity policy with an offline IAM policy
 * evaluator (`@cloud-copilot/iam-simulate`), as AWS would: identity policy, the resource's own policy,
 * same account. Returns the calls it would deny and the statements that allowed something.
 *
 * iam-simulate 0.1.173 drops `kms:EncryptionContext:<key>` from a request (its validator only knows
 * `/`-separated variable keys), so calls carrying that key are evaluated with its unvalidated entry
 * point, which applies the same engine to the context as given.
 */
export async function evaluateCalls(calls: readonly AwsCall[], policy: PolicyDocument, context: IamContext): Promise<IamVerdict> {
  const denied: string[] = [];
  const used = new Set<string>();
  const seen = new Set<string>();
  for (const call of calls) {
    const signature = JSON.stringify([call.action, call.resource, call.context]);
    if (seen.has(signature)) continue;
    seen.add(signature);
    const resourcePolicy = context.resourcePolicyFor(call);
    const simulation: Simulation = {
      identityPolicies: [{ name: "function-policy", policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy === undefined ? {} : { resourcePolicy }),
      request: {
        principal: context.roleArn,
        action: call.action,
        resource: { resource: call.resource, accountId: context.accountId },
        contextVariables: { ...call.context },
      },
    };
    const what = `${call.caller}: ${call.action} on ${call.resource}${Object.keys(call.context).length > 0 ? ` with ${JSON.stringify(call.context)}` : ""}`;
    if (Object.keys(call.context).some((key) => key.startsWith("kms:EncryptionContext:"))) {
      const unsafe = { ...simulation, resourcePolicy: resourcePolicy === undefined ? undefined : { __validated: true, metadata: { name: "resource-policy" }, policyDocument: resourcePolicy } };
      const result = runUnsafeSimulation(unsafe as Simulation, {});
      if (result !== "Allowed") denied.push(`${what}: ${result}`);
      // Only statements naming the action can have allowed it.
      else for (const statement of policy.Statement) if ([statement.Action].flat().includes(call.action) && statement.Sid) used.add(`${statement.Sid} ${call.action}`);
      continue;
    }
    const response = await runSimulation(simulation, {});
    if (response.resultType === "error") throw new Error(`${what}: the simulation was refused: ${JSON.stringify(response.errors)}`);
    if (response.resultType !== "single") throw new Error(`${what}: expected one resource, got ${response.resultType}`);
    if (response.overallResult !== "Allowed") {
      denied.push(`${what}: ${response.overallResult}`);
      continue;
    }
    for (const statement of response.result.analysis?.identityAnalysis?.allowStatements ?? []) {
      const id = statement.explain.identifier;
      if (id !== undefined) used.add(`${id} ${call.action}`);
    }
  }
  return { denied, used };
}
