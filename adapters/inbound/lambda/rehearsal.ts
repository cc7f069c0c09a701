import { normaliseCallerId } from "../../../domain/caller-id";

/**
 * A fictional caller id (the +1 555-01xx range kept for examples) read once while a function
 * initialises: libphonenumber runs for the first time there, parsing the +1 numbering plans and
 * compiling their patterns on Init's full vCPU, rather than in the first event at the function's
 * share of one (~6 ms of a full core in client-data's first event, about seven times that at 256 MB).
 */
export function rehearseCallerIds(): void {
  normaliseCallerId("+1 555-010-0199");
}
