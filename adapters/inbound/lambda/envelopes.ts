/** The AWS event envelopes our functions are invoked with, as far as they read them. */
// Our own zod/mini schemas, not @aws-lambda-powertools/parser/schemas: those import classic zod, about 450 KB more in every Lambda bundle.
import * as z from "zod/mini";

/**
 * An API Gateway HTTP API (payload 2.0) event, as far as the routes read it: the headers and the body
 * as sent. Optional where a route has always done without (no headers, no body, not base64).
 */
export const httpEventSchema = z.object({
  headers: z.optional(z.record(z.string(), z.string())),
  body: z.optional(z.nullable(z.string())),
  isBase64Encoded: z.optional(z.boolean()),
});

/** What a route reads of its event. */
export type HttpRequest = z.infer<typeof httpEventSchema>;

/**
 * An S3 event notification, as the worker and the dead-letter replay read it: the object keys. An event
 * without records names no object (nothing to do), as it always has.
 */
export const s3EventSchema = z.object({
  Records: z.optional(z.array(z.object({ s3: z.object({ object: z.object({ key: z.string() }) }) }))),
});

/** Thrown when a function is invoked with something that is not its event; the message names fields, never values. */
export class MalformedEventError extends Error {
  override readonly name = "MalformedEventError";
}

/**
 * `event` read through `schema`, or a {@link MalformedEventError} naming what is wrong.
 *
 * @example
 * const { Records = [] } = parseEnvelope(s3EventSchema, event, "S3 event notification");
 */
export function parseEnvelope<S extends z.ZodMiniType>(schema: S, event: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "event"}: ${issue.message}`);
  throw new MalformedEventError(`malformed ${what}: ${issues.join("; ")}`);
}
