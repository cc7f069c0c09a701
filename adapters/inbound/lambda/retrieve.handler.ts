import { maskCallerId } from "../../../domain/caller-id";
import { lambdaScope, primeOnLambda, type Scope } from "../../composition-root";
import { REHEARSAL_REQUESTS, rehearsals, rehearseMem0Records, rehearseRequest } from "./rehearsal";
import { withErrorBoundary } from "./error-boundary";
import { fromDomainError, json, parseJsonBody, type HttpHandler } from "./http";
import { refuseWithoutToolKey } from "./server-tool";
import { searchFiltersOf } from "../elevenlabs/retrieve-filters.schema";
import { retrieveRequestSchema } from "../elevenlabs/retrieve-request.schema";

/**
 * `POST /retrieve`: the ElevenLabs server tool. `user_id` should be bound to `system__caller_id` in
 * the tool's schema so the model cannot choose whose memories it reads.
 */
export function createRetrieveHandler(resolve: () => Promise<Scope<"checkWorkspaceKey" | "searchMemories">>): HttpHandler {
  return withErrorBoundary("retrieve", resolve, async (event, app) => {
    const refused = await refuseWithoutToolKey(event, app);
    if (refused !== null) return refused;
    const body = parseJsonBody(event, retrieveRequestSchema, app.env.MAX_JSON_BODY_BYTES);
    if (!body.ok) return body.response;

    const { query, user_id, limit, include_history } = body.value;
    const filters = searchFiltersOf(body.value);
    const result = await app.searchMemories.execute({ userId: user_id, query, limit, filters, includeHistory: include_history === true });
    if (!result.ok) return fromDomainError(result.error);

    const { memories, warning, degradedReason } = result.value;
    // Which filters were used, never their values.
    const log = { caller: maskCallerId(user_id), found: memories.length, filters: Object.keys(filters) };
    if (degradedReason !== null) app.logger.warn("retrieve degraded to no memories", { ...log, reason: degradedReason });
    else app.logger.info("retrieve answered", log);
    return json(200, warning === null ? { memories } : { memories, warning });
  });
}

const scope = lambdaScope("retrieve");
export const handler = createRetrieveHandler(scope);
await primeOnLambda(scope, { rehearse: rehearsals(rehearseRequest(retrieveRequestSchema, REHEARSAL_REQUESTS.retrieve), rehearseMem0Records) });
