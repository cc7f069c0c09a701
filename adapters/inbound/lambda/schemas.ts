// zod/mini: the same validation as classic zod at a fraction of the bundle size (Lambda cold starts).
import * as z from "zod/mini";

/** Control characters other than tab/newline have no place in ids or queries. */
const noControl = (s: string) =>
  ![...s].some((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return (code < 0x20 && ch !== "\t" && ch !== "\n" && ch !== "\r") || code === 0x7f;
  });

const requiredString = () =>
  z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") });

const callerIdField = requiredString().check(
  z.maxLength(64, "must be at most 64 characters"),
  z.refine(noControl, "must not contain control characters"),
);

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

const limitField = z.pipe(
  z.union([z.number({ error: "must be a number" }), z.pipe(z.string().check(z.regex(/^\d+$/, "must be a whole number")), z.transform(Number))], {
    error: "must be a whole number from 1 to 50",
  }),
  z.number().check(
    z.refine(Number.isInteger, "must be a whole number"),
    z.minimum(1, "must be at least 1"),
    z.maximum(50, "must be at most 50"),
  ),
);

/** Retrieve tool body; ElevenLabs sends it flat, but a `parameters` wrapper is unwrapped defensively. */
export const retrieveRequestSchema = z.pipe(
  z.transform((body: unknown) =>
    body !== null && typeof body === "object" && !Array.isArray(body) && "parameters" in body && !("query" in body)
      ? (body as { parameters: unknown }).parameters
      : body,
  ),
  z.looseObject({
    query: requiredString().check(
      z.trim(),
      z.minLength(1, "must not be empty"),
      z.maxLength(1000, "must be at most 1000 characters"),
      z.refine(noControl, "must not contain control characters"),
    ),
    user_id: callerIdField,
    limit: z.optional(limitField),
  }),
);

export type ClientDataRequest = z.infer<typeof clientDataRequestSchema>;
export type RetrieveRequest = z.infer<typeof retrieveRequestSchema>;
