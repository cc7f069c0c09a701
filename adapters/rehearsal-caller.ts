import { isCallerId, type CallerId } from "../domain/caller-id";

/**
 * The caller a Lambda's Init works with (the rehearsals of rehearsal.ts, the profile read that opens
 * the bucket's connection): fictional, in the +1 555-01xx range kept for examples, so no one's data.
 * As a caller's phone would send it, so that reading it runs the numbering plans.
 */
export const REHEARSAL_CALLER = "+1 555-010-0199";

/**
 * {@link REHEARSAL_CALLER} as the stores take it (E.164; a test holds the two together). Written out
 * rather than normalised here: normalising loads libphonenumber, which post-call never needs.
 */
export const REHEARSAL_CALLER_ID: CallerId = e164("+15550100199");

function e164(value: string): CallerId {
  if (!isCallerId(value)) throw new Error(`${value} is not an E.164 caller id`);
  return value;
}
