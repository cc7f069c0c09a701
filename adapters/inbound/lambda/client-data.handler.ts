import { maskCallerId } from "../../../domain/caller-id";
import type { CallContext } from "../../../application/use-cases/prepare-call-context.use-case";
import type { CallSettings } from "../../../application/call-settings";
import { lambdaScope, type Scope } from "../../composition-root";
import { fromDomainError, header, json, parseJsonBody, type HttpHandler } from "./http";
import { clientDataRequestSchema } from "../elevenlabs/client-data-request.schema";
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
    return json(200, toResponse(context, app.settings));
  });
}

/** The `conversation_initiation_client_data` body. Every declared dynamic variable must be present or the call fails to start. */
export function toResponse(context: CallContext, settings: CallSettings) {
  const agent: Record<string, unknown> = {};
  if (settings.overrides.includes("first_message")) agent.first_message = context.firstMessage;
  // Without a configured base prompt the override would replace the agent's own prompt with bare notes.
  if (settings.overrides.includes("prompt") && settings.basePrompt !== null) agent.prompt = { prompt: context.prompt };
  // The caller's own language once their profile knows it and we greet in it, else the operator's (AGENT_LANGUAGE).
  const language = context.language !== null && settings.greetingsByLanguage[context.language] !== undefined ? context.language : settings.language;
  if (settings.overrides.includes("language") && language !== null) agent.language = language;
  return {
    type: "conversation_initiation_client_data",
    dynamic_variables: {
      caller_id: context.callerId ?? "",
      memory_count: String(context.memoryCount),
      memory_summary: context.memorySummary,
      returning_caller: context.returning ? "yes" : "no",
      caller_name: context.callerName ?? "",
    },
    ...(Object.keys(agent).length > 0 ? { conversation_config_override: { agent } } : {}),
  };
}

export const handler = createClientDataHandler(lambdaScope("client-data"));
