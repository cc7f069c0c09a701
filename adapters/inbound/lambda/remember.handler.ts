import { maskCallerId } from "../../../domain/caller-id";
import { lambdaScope, primeOnLambda, type Scope } from "../../composition-root";
import { REHEARSAL_REQUESTS, rehearsals, rehearseMem0Records, rehearseRequest } from "./rehearsal";
import { rehearseProfiles } from "./profile-rehearsal";
import { rememberRequestSchema } from "../elevenlabs/remember-request.schema";
import { withErrorBoundary } from "./error-boundary";
import { fromDomainError, json, parseJsonBody, type HttpHandler } from "./http";
import { refuseWithoutToolKey } from "./server-tool";

/**
 * `POST /remember`: the ElevenLabs server tool that stores a fact during the call. The same
 * `X-Workspace-Key` rule as retrieve (`RETRIEVE_REQUIRE_KEY`); `user_id` is bound to
 * `system__caller_id` so the model cannot choose whose memories it writes.
 */
export function createRememberHandler(resolve: () => Promise<Scope<"checkWorkspaceKey" | "rememberFact">>): HttpHandler {
  return withErrorBoundary("remember", resolve, async (event, app) => {
    const refused = await refuseWithoutToolKey(event, app);
    if (refused !== null) return refused;
    const body = parseJsonBody(event, rememberRequestSchema, app.env.MAX_JSON_BODY_BYTES);
    if (!body.ok) return body.response;

    const { user_id, fact, category, conversation_id, agent_id } = body.value;
    const result = await app.rememberFact.execute({ userId: user_id, fact, category, conversationId: conversation_id, agentId: agent_id });
    if (!result.ok) {
      app.logger.warn("remember refused", { code: result.error.code, field: result.error.field ?? null });
      return fromDomainError(result.error);
    }
    const { status, message, callerId, rememberedInConversation, degradedReason } = result.value;
    const log = { caller: callerId === null ? "anonymous" : maskCallerId(callerId), status, inCall: rememberedInConversation };
    if (degradedReason !== null) app.logger.warn("remember degraded", { ...log, reason: degradedReason });
    else app.logger.info("remember answered", log);
    return json(200, { status, message });
  });
}

const scope = lambdaScope("remember");
export const handler = createRememberHandler(scope);
await primeOnLambda(scope, {
  rehearse: rehearsals(rehearseRequest(rememberRequestSchema, REHEARSAL_REQUESTS.remember), rehearseMem0Records, rehearseProfiles),
});
