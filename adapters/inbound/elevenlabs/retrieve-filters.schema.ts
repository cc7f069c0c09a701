/**
 * The optional filters of the `retrieve_memories` tool body (`type`, `source`, `since`, `until`,
 * `conversation_id`), validated so that each bad value is a 400 naming its field, and read into the
 * {@link MemorySearchFilters} the store applies.
 */
import * as z from "zod/mini";
import type { MemorySearchFilters } from "../../../application/ports/memory-store.port";
import { isStorableId } from "../../../domain/conversation";
import { MEMORY_SOURCES, MEMORY_TYPES, type MemorySource } from "../../../domain/memory";

type SearchableSource = Exclude<MemorySource, "evaluation">;

/**
 * The sources the agent may filter on: every source but `evaluation` (rationales stored by earlier
 * versions judge the agent, not the caller, so the agent is never offered a way to ask for them).
 */
export const SEARCHABLE_SOURCES = MEMORY_SOURCES.filter((s): s is SearchableSource => s !== "evaluation");

const DATE_MESSAGE = "must be an ISO 8601 date (2026-03-01) or date-time (2026-03-01T09:30:00Z)";
/** A bare date-time is read in UTC, like a bare date. */
const HAS_ZONE = /(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A date or date-time as an inclusive bound, in `toISOString` form: a date alone is the whole day in
 * UTC, so it starts at 00:00:00.000Z (`since`) or ends at 23:59:59.999Z (`until`).
 */
function dateBound(edge: "start" | "end") {
  return z.pipe(
    z.pipe(
      z.union([z.iso.date(), z.iso.datetime({ offset: true, local: true })], { error: DATE_MESSAGE }),
      z.transform((text: string) => {
        if (!text.includes("T")) return `${text}T${edge === "start" ? "00:00:00.000" : "23:59:59.999"}Z`;
        return new Date(HAS_ZONE.test(text) ? text : `${text}Z`).toISOString();
      }),
    ),
    // An offset can carry a date of year 9999 or 0000 past the years an ISO date has four digits for.
    z.string().check(z.regex(/^\d{4}-/, "must be a date in the years 0000 to 9999")),
  );
}

const oneOf = (values: readonly string[]) => `must be one of ${values.join(", ")}`;

/** The filter fields of the tool body, each optional. */
export const retrieveFilterFields = {
  type: z.optional(z.enum(MEMORY_TYPES, { error: oneOf(MEMORY_TYPES) })),
  source: z.optional(
    z.enum(SEARCHABLE_SOURCES, {
      error: (issue) =>
        issue.input === "evaluation" ? `evaluation is not a source to filter on (evaluations judge the agent, not the caller); ${oneOf(SEARCHABLE_SOURCES)}` : oneOf(SEARCHABLE_SOURCES),
    }),
  ),
  since: z.optional(dateBound("start")),
  until: z.optional(dateBound("end")),
  conversation_id: z.optional(
    z.string({ error: "must be a string" }).check(z.refine(isStorableId, "must be a conversation id: 1 to 200 letters, digits, _ . : or -")),
  ),
};

/** `since` after `until` can match nothing: a 400 naming `since`, rather than an empty answer the agent would misread. */
export const sinceNotAfterUntil = z.refine<{ since?: string; until?: string }>(
  (body) => body.since === undefined || body.until === undefined || Date.parse(body.since) <= Date.parse(body.until),
  { message: "must not be after until", path: ["since"] },
);

/** The validated fields as the store's filters (absent ones left out). */
export function searchFiltersOf(body: {
  type?: MemorySearchFilters["type"];
  source?: SearchableSource;
  since?: string;
  until?: string;
  conversation_id?: string;
}): MemorySearchFilters {
  return {
    ...(body.type === undefined ? {} : { type: body.type }),
    ...(body.source === undefined ? {} : { source: body.source }),
    ...(body.since === undefined ? {} : { since: body.since }),
    ...(body.until === undefined ? {} : { until: body.until }),
    ...(body.conversation_id === undefined ? {} : { conversationId: body.conversation_id }),
  };
}
