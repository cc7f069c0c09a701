/** The body of our `remember_fact` server tool, as ElevenLabs builds it from the tool's schema (see `agentic-memory agent-config`). */
import * as z from "zod/mini";
import { retrieveFilterFields } from "./retrieve-filters.schema";
import { callerIdField, noControl, requiredString } from "./retrieve-request.schema";

const optionalText = (max: number) =>
  z.optional(z.string({ error: "must be a string" }).check(z.maxLength(max, `must be at most ${max} characters`), z.refine(noControl, "must not contain control characters")));

/**
 * `{user_id, fact, category?, conversation_id?, agent_id?}`: `user_id`, `conversation_id` and
 * `agent_id` are bound to the `system__` variables in the tool config, the model fills `fact` and
 * `category`. The fact's own rules (one line, 1..500 characters after neutralising) are the domain's;
 * here only the shapes (a string, an id) are checked; the body size limit bounds the rest.
 */
export const rememberRequestSchema = z.looseObject({
  user_id: callerIdField,
  fact: requiredString(),
  category: optionalText(100),
  // The same rule as retrieve's filter: an id fit to be stored (isStorableId).
  conversation_id: retrieveFilterFields.conversation_id,
  agent_id: optionalText(200),
});
