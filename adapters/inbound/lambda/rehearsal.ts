import { normaliseCallerId } from "../../../domain/caller-id";

/**
 * A fictional caller id (the +1 555-01xx range kept for examples) read once while a function
 * initialises: libphonenumber runs for the first time there, parsing the +1 numbering plans and
 * compiling their patterns on Init's full vCPU, rather than in the first event at the function's
 * share of one (~6 ms of a full core in client-data's first event, about seven times that at 256 MB).
 */
export function rehearseCallerIds(): void {
  normaliseCallerId(REHEARSAL_CALLER);
}

/** The caller id rehearsals read: fictional, in the range kept for examples. */
export const REHEARSAL_CALLER = "+1 555-010-0199";

/**
 * {@link rehearseCallerIds}, then a sample body through a route's request schema: zod compiles a
 * schema's parser on its first use.
 */
export function rehearseRequest(schema: { safeParse(data: unknown): unknown }, sample: Readonly<Record<string, unknown>>): () => void {
  return () => {
    rehearseCallerIds();
    schema.safeParse(sample);
  };
}
