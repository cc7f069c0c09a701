import { maskCallerId } from "../../../domain/caller-id";
import { lambdaScope, type Scope } from "../../composition-root";
import { withErrorBoundary } from "./error-boundary";
import { fromDomainError, header, json, parseJsonBody, type HttpHandler } from "./http";
import { retrieveRequestSchema } from "../elevenlabs/retrieve-request.schema";

/**
 * `POST /retrieve`: the ElevenLabs server tool. `user_id` should be bound to `system__caller_id` in
 * the tool's schema so the model cannot choose whose memories it reads.
 */
export function createRetrieveHandler(resolve: () => Promise<Scope<"checkWorkspaceKey" | "searchMemories">>): HttpHandler {
  return withErrorBoundary("retrieve", resolve, async (event, app) => {
    if (app.env.RETRIEVE_REQUIRE_KEY) {
      const auth = await app.checkWorkspaceKey.execute(header(event, "x-workspace-key"));
      if (!auth.ok) return fromDomainError(auth.error);
    }
    const body = parseJsonBody(event, retrieveRequestSchema, app.env.MAX_JSON_BODY_BYTES);
    if (!body.ok) return body.response;

    const { query, user_id, limit } = body.value;
    const result = await app.searchMemories.execute({ userId: user_id, query, limit });
    if (!result.ok) return fromDomainError(result.error);

    const { memories, warning, degradedReason } = result.value;
    const log = { caller: maskCallerId(user_id), found: memories.length };
    if (degradedReason !== null) app.logger.warn("retrieve degraded to no memories", { ...log, reason: degradedReason });
    else app.logger.info("retrieve answered", log);
    return json(200, warning === null ? { memories } : { memories, warning });
  });
}

export const handler = createRetrieveHandler(lambdaScope("retrieve"));
