import { z } from "zod";

/** Control characters other than tab/newline have no place in ids or queries. */
const noControl = (s: string) => ![...s].some((ch) => {
  const code = ch.codePointAt(0) ?? 0;
  return (code < 0x20 && ch !== "\t" && ch !== "\n" && ch !== "\r") || code === 0x7f;
});

const callerIdField = z
  .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
  .max(64, "must be at most 64 characters")
  .refine(noControl, "must not contain control characters");

/** Conversation-initiation webhook body (`caller_id`, `agent_id`, `called_number`, `call_sid`; extra fields accepted). */
export const clientDataRequestSchema = z.looseObject({
  caller_id: callerIdField,
  agent_id: z.string().max(200).optional(),
  called_number: z.string().max(64).optional(),
  call_sid: z.string().max(200).optional(),
});

/** Retrieve tool body; ElevenLabs sends it flat, but a `parameters` wrapper is unwrapped defensively. */
export const retrieveRequestSchema = z.preprocess(
  (body) =>
    body !== null && typeof body === "object" && !Array.isArray(body) && "parameters" in body && !("query" in body)
      ? (body as { parameters: unknown }).parameters
      : body,
  z.looseObject({
    query: z
      .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
      .trim()
      .min(1, "must not be empty")
      .max(1000, "must be at most 1000 characters")
      .refine(noControl, "must not contain control characters"),
    user_id: callerIdField,
    limit: z
      .union([z.number(), z.string().regex(/^\d+$/, "must be a whole number").transform(Number)])
      .pipe(z.number().int("must be a whole number").min(1, "must be at least 1").max(50, "must be at most 50"))
      .optional(),
  }),
);

export type ClientDataRequest = z.infer<typeof clientDataRequestSchema>;
export type RetrieveRequest = z.infer<typeof retrieveRequestSchema>;
