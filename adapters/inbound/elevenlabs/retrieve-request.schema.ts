/** The body of our `retrieve_memories` server tool, as ElevenLabs builds it from the tool's schema: ELEVENLABS-WIRE.md §2. */
// zod/mini: the same validation as classic zod at a fraction of the bundle size (Lambda cold starts).
import * as z from "zod/mini";
import { retrieveFilterFields, sinceNotAfterUntil } from "./retrieve-filters.schema";

/** Control characters other than tab/newline have no place in ids or queries. */
export const noControl = (s: string) =>
  ![...s].some((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return (code < 0x20 && ch !== "\t" && ch !== "\n" && ch !== "\r") || code === 0x7f;
  });

export const requiredString = () =>
  z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") });

export const callerIdField = requiredString().check(
  z.maxLength(64, "must be at most 64 characters"),
  z.refine(noControl, "must not contain control characters"),
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
    /** Every version of each fact (older ones marked `metadata.superseded_by`), not only the current one. */
    include_history: z.optional(z.boolean({ error: "must be true or false" })),
    ...retrieveFilterFields,
  }).check(sinceNotAfterUntil),
);
