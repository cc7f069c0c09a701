/**
 * The caller a Lambda's Init works with (the rehearsals of rehearsal.ts, the profile read that opens
 * the bucket's connection): fictional, in the +1 555-01xx range kept for examples, so no one's data.
 */
export const REHEARSAL_CALLER = "+1 555-010-0199";
