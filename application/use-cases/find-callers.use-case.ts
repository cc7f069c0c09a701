import type { CallerId } from "../../domain/caller-id";
import type { CallerProfile } from "../../domain/caller-profile";
import { matchesCallerQuery, readCallerQuery, type CallerQuery } from "../../domain/caller-search";
import { NO_DEFAULT_REGION, type CallSettings } from "../call-settings";
import type { CallerProfileStore } from "../ports/caller-profile-store.port";
import type { MemoryStore } from "../ports/memory-store.port";

/** One caller as the operator's search lists them. */
export interface CallerSummary {
  readonly callerId: CallerId;
  /** The first name the caller gave, `null` when none is known. */
  readonly callerName: string | null;
  /** ISO-8601 time of the caller's newest call, `null` when unknown. */
  readonly lastCallAt: string | null;
  /** The caller's current memories (as the profile counted them when last built: what the agent is told). */
  readonly memoryCount: number;
}

export interface FindCallersOptions {
  /** At most this many callers (1..{@link FIND_CALLERS_LIMIT}, default that). */
  readonly limit?: number;
}

/** The most callers one search returns. */
const FIND_CALLERS_LIMIT = 50;

/** Profiles read at once while walking them (one read each on S3, so not one after the other). */
const PROFILE_READS_AT_ONCE = 16;

/**
 * The operator's caller search: by phone number in any form the numbering plan reads (national forms in
 * `DEFAULT_REGION`, as a call reads them) or any run of its digits, by name (any part of the caller's
 * name, whatever the accents or case), or everyone; most recently called first, at most
 * {@link FIND_CALLERS_LIMIT}.
 *
 * Callers are found through their stored profiles, read a page of ids at a time (a number query reads
 * only the profiles whose id fits). A caller with memories but no profile (erased by retention until
 * the next call rebuilds it) is found by their exact number only.
 *
 * @example
 * await findCallers.execute("(555) 010-0123"); // [{ callerId: "+15550100123", callerName: "Marisol", … }] with DEFAULT_REGION=US
 * await findCallers.execute("zoe");            // callers named Zoë, Zoé, ZOE…
 * await findCallers.execute("");               // the 50 callers who called last
 */
export class FindCallers {
  constructor(
    private readonly profiles: CallerProfileStore,
    private readonly memories: MemoryStore,
    private readonly settings: Pick<CallSettings, "defaultRegion"> = NO_DEFAULT_REGION,
  ) {}

  async execute(text: string, options: FindCallersOptions = {}): Promise<CallerSummary[]> {
    const limit = Math.min(FIND_CALLERS_LIMIT, Math.max(1, Math.trunc(options.limit ?? FIND_CALLERS_LIMIT)));
    const query = readCallerQuery(text, this.settings.defaultRegion);
    const found = new MostRecent(limit);
    let exactHasProfile = false;
    for await (const batch of batches(this.candidates(query), PROFILE_READS_AT_ONCE)) {
      const stored = await Promise.all(batch.map((callerId) => this.profiles.get(callerId)));
      for (const entry of stored) {
        if (entry === null || !matchesCallerQuery(query, entry.profile.callerId, entry.profile.callerName)) continue;
        found.add(summaryOf(entry.profile));
        if (query.kind === "number" && entry.profile.callerId === query.callerId) exactHasProfile = true;
      }
    }
    if (query.kind === "number" && query.callerId !== null && !exactHasProfile) {
      const unprofiled = await this.fromMemories(query.callerId);
      if (unprofiled !== null) found.add(unprofiled);
    }
    return found.list();
  }

  /** The callers whose profile may fit: by number, only ids that do (no profile read for the rest). */
  private async *candidates(query: CallerQuery): AsyncIterable<CallerId> {
    for await (const callerId of this.profiles.callers()) {
      if (query.kind !== "number" || matchesCallerQuery(query, callerId, null)) yield callerId;
    }
  }

  /** A caller who has memories and no profile, as their memories describe them; `null` when they have none. */
  private async fromMemories(callerId: CallerId): Promise<CallerSummary | null> {
    const memoryCount = await this.memories.count(callerId);
    if (memoryCount === 0) return null;
    const newest = (await this.memories.list(callerId, { limit: 1 }))[0]?.metadata.timestamp ?? null;
    return { callerId, callerName: null, lastCallAt: newest !== null && Date.parse(newest) > 0 ? newest : null, memoryCount };
  }
}

const summaryOf = (profile: CallerProfile): CallerSummary => ({
  callerId: profile.callerId,
  callerName: profile.callerName,
  lastCallAt: profile.lastCallAt,
  memoryCount: profile.memoryCount,
});

/** The `limit` most recently called of the callers added, kept bounded while a walk adds them. */
class MostRecent {
  private callers: CallerSummary[] = [];

  constructor(private readonly limit: number) {}

  add(caller: CallerSummary): void {
    this.callers.push(caller);
    if (this.callers.length >= this.limit * 2) this.callers = this.list();
  }

  list(): CallerSummary[] {
    return [...this.callers].sort(byRecency).slice(0, this.limit);
  }
}

/** Newest call first; callers whose last call is unknown last; then by number, so the order is stable. */
function byRecency(a: CallerSummary, b: CallerSummary): number {
  const time = (c: CallerSummary) => (c.lastCallAt === null ? Number.NEGATIVE_INFINITY : Date.parse(c.lastCallAt));
  return time(b) - time(a) || (a.callerId < b.callerId ? -1 : a.callerId > b.callerId ? 1 : 0);
}

async function* batches<T>(items: AsyncIterable<T>, size: number): AsyncIterable<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
