import { maskCallerId } from "../../../domain/caller-id";
import { lambdaScope, primeOnLambda, type Scope } from "../../composition-root";
import { REHEARSAL_REQUESTS, rehearsals, rehearseRequest } from "./rehearsal";
import { rehearseProfiles } from "./profile-rehearsal";
import { fromDomainError, header, json, parseJsonBody, type HttpHandler } from "./http";
import { clientDataRequestSchema } from "../elevenlabs/client-data-request.schema";
import { toResponse } from "../elevenlabs/client-data-response";
import { withErrorBoundary } from "./error-boundary";

/**
 * `POST /client-data`: the ElevenLabs conversation-initiation webhook. Authenticated by the
 * `X-Workspace-Key` header; answers with all five dynamic variables (as strings) and the overrides
 * the operator enabled.
 */
export function createClientDataHandler(resolve: () => Promise<Scope<"checkWorkspaceKey" | "prepareCallContext">>): HttpHandler {
  return withErrorBoundary("client-data", resolve, async (event, app) => {
    const auth = await app.checkWorkspaceKey.execute(header(event, "x-workspace-key"));
    if (!auth.ok) return fromDomainError(auth.error);

    const body = parseJsonBody(event, clientDataRequestSchema, app.env.MAX_JSON_BODY_BYTES);
    if (!body.ok) return body.response;

    const result = await app.prepareCallContext.execute({ callerId: body.value.caller_id, calledNumber: body.value.called_number });
    if (!result.ok) return fromDomainError(result.error);

    const context = result.value;
    const log = {
      caller: context.callerId === null ? "none" : maskCallerId(context.callerId),
      returning: context.returning,
      memoryCount: context.memoryCount,
      // "profile": one read; "memories": no profile yet, read from the memory store.
      from: context.origin ?? "none",
    };
    if (context.degraded) app.logger.warn("client-data degraded to a new-caller answer", { ...log, reason: context.degraded.reason });
    else if (context.callerIdIssue !== null && context.callerIdIssue !== "withheld") {
      app.logger.warn("client-data answered as a new caller: caller_id is not a usable phone number", { ...log, reason: context.callerIdIssue });
    } else app.logger.info("client-data answered", context.callerIdIssue === null ? log : { ...log, reason: context.callerIdIssue });
    // How the call started, for the metric event (no caller id): greeted by name = the answer carries a name.
    const details = { degraded: context.degraded !== null, returning: context.returning, greetedByName: context.callerName !== null };
    return { response: json(200, toResponse(context, app.settings)), details };
  });
}

const scope = lambdaScope("client-data");
export const handler = createClientDataHandler(scope);
await primeOnLambda(scope, {
  rehearse: rehearsals(rehearseRequest(clientDataRequestSchema, REHEARSAL_REQUESTS.clientData), rehearseProfiles),
});
