import type { CallSettings } from "../../../application/call-settings";
import type { CallContext } from "../../../application/use-cases/prepare-call-context.use-case";

/**
 * The `conversation_initiation_client_data` body. Every declared dynamic variable must be present or
 * the call fails to start. Shared by the client-data handler and the dashboard's preview of a caller's next call.
 */
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
