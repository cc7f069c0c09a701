/** ElevenLabs' conversation-initiation ("client data") webhook request: ELEVENLABS-WIRE.md §1. */
// zod/mini: the same validation as classic zod at a fraction of the bundle size (Lambda cold starts).
import * as z from "zod/mini";

/** An optional string that never fails the request: a wrong type or an over-long value reads as absent. */
const ignoredWhenMalformed = (max: number) => z.catch(z.optional(z.string().check(z.maxLength(max))), undefined);

/**
 * Conversation-initiation webhook body (`caller_id`, `agent_id`, `called_number`, `call_sid`; extra
 * fields accepted). ElevenLabs does not start the call unless this webhook answers 200, so only a body
 * that is not a JSON object is refused. `caller_id` is passed on as sent, of any type: the use case
 * answers an unusable one as a new caller.
 */
export const clientDataRequestSchema = z.looseObject(
  {
    caller_id: z.optional(z.unknown()),
    agent_id: ignoredWhenMalformed(200),
    called_number: ignoredWhenMalformed(64),
    call_sid: ignoredWhenMalformed(200),
  },
  { error: "must be a JSON object" },
);
