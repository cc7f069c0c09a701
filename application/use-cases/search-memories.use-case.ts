import { normaliseCallerId } from "../../domain/caller-id";
import { DomainError } from "../../domain/domain-error";
import type { Memory } from "../../domain/memory";
import { err, ok, type Result } from "../../domain/result";
import { withDeadline } from "../deadline";
import type { CallSettings } from "../call-settings";
import { clampLimit, type MemorySearchFilters, type MemoryStore } from "../ports/memory-store.port";
import { describeError } from "../../domain/error-description";

export interface SearchOutcome {
  readonly memories: Memory[];
  /** Set when the memory service failed or was too slow; the agent then gets `[]` rather than an error. */
  readonly warning: string | null;
  /** Why it degraded, for the logs only (never sent to the agent). */
  readonly degradedReason: string | null;
}

/** What the agent is told when memories can't be searched right now. */
export const MEMORIES_UNAVAILABLE_WARNING = "Memories are temporarily unavailable; continue the call without them.";

/**
 * Retrieve (server tool): one caller's memories ranked by relevance to the agent's query, narrowed
 * by the filters it gave (type, source, dates, call), which the store applies before the limit.
 * The tool sends only `user_id` (`system__caller_id`), so a national one is read in the default
 * region. ElevenLabs could also fill a body property from `system__called_number`, whose region
 * would be the call's own, as client-data reads it; that is not read (yet).
 */
export class SearchMemories {
  constructor(
    private readonly memories: MemoryStore,
    private readonly settings: Pick<CallSettings, "retrieveDeadlineMs" | "defaultRegion">,
  ) {}

  async execute(input: {
    readonly userId: string;
    readonly query: string;
    readonly limit?: number;
    readonly filters?: MemorySearchFilters;
    /** Every version of each fact, not only the current one (`include_history`). */
    readonly includeHistory?: boolean;
  }): Promise<Result<SearchOutcome>> {
    const identity = normaliseCallerId(input.userId, { region: this.settings.defaultRegion });
    if (!identity.known) {
      // A withheld or empty number is an ordinary call with no identity: nothing to find, and no reason to fail the tool.
      if (identity.reason === "withheld" || identity.reason === "missing") return ok({ memories: [], warning: null, degradedReason: null });
      return err(
        new DomainError("INVALID_CALLER_ID", `user_id is not a usable phone number (${identity.reason.replace(/_/g, " ")})`, {
          field: "user_id",
        }),
      );
    }
    try {
      const memories = await withDeadline(
        this.memories.search({
          userId: identity.callerId,
          query: input.query,
          limit: clampLimit(input.limit),
          filters: input.filters,
          includeHistory: input.includeHistory === true,
        }),
        this.settings.retrieveDeadlineMs,
      );
      return ok({ memories, warning: null, degradedReason: null });
    } catch (error) {
      const reason = describeError(error);
      return ok({ memories: [], warning: MEMORIES_UNAVAILABLE_WARNING, degradedReason: reason });
    }
  }
}
