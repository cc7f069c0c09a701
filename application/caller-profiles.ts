import type { CallerId } from "../domain/caller-id";
import { buildCallerProfile, type CallerProfile, type CallerProfileLimits } from "../domain/caller-profile";
import { nextLanguage, type LanguageState } from "../domain/language";
import type { CallerProfileStore } from "./ports/caller-profile-store.port";
import type { Clock } from "./ports/clock.port";
import type { MemoryStore } from "./ports/memory-store.port";

/** How many name statements are read; the newest that yields a name wins. */
const NAME_MEMORIES = 5;

/** A profile write lost to a concurrent one is re-read and rebuilt at most this often. */
const PROFILE_WRITE_ATTEMPTS = 5;

/** What a profile shows and how much it reads (the client-data settings). */
export interface CallerProfileSettings extends CallerProfileLimits {
  /** How many recent memories a profile is built from. */
  readonly recentMemories: number;
}

/** Where a call's profile came from: the stored one (one read), or built from the caller's memories. */
export type ProfileOrigin = "profile" | "memories";

/** Another write kept winning: the caller's profile was not updated (the event is retried). */
class ProfileContentionError extends Error {
  override readonly name = "ProfileContentionError";
  constructor() {
    super(`the caller's profile changed under ${PROFILE_WRITE_ATTEMPTS} attempts to update it`);
  }
}

const NO_LANGUAGE: LanguageState = { language: null, lastCallLanguage: null };

/**
 * Caller profiles: what the next call of a caller needs, kept beside the memories so that a call
 * starts from one read. Written after each ingested call; read by client-data, which builds one from
 * a bounded read of the memories only for a caller who has none yet.
 */
export class CallerProfiles {
  /** Per caller: the rebuild in progress, and the one waiting to start after it. */
  private readonly running = new Map<CallerId, Promise<CallerProfile>>();
  private readonly waiting = new Map<CallerId, Promise<CallerProfile>>();

  constructor(
    private readonly memories: MemoryStore,
    private readonly store: CallerProfileStore,
    private readonly settings: CallerProfileSettings,
    private readonly clock: Clock,
  ) {}

  /** The profile a call starts from: the stored one, or one built from the memories when none is stored. */
  async current(callerId: CallerId): Promise<{ readonly profile: CallerProfile; readonly origin: ProfileOrigin }> {
    const stored = await this.store.get(callerId);
    if (stored !== null) return { profile: stored.profile, origin: "profile" };
    return { profile: await this.build(callerId), origin: "memories" };
  }

  /**
   * Rebuild and store the caller's profile from their memories now. The stored version is read
   * before the memories, and the write is conditional on it: a profile written meanwhile by another
   * ingestion (which may have seen memories this one did not) makes this one read again rather than
   * overwrite it.
   *
   * Within one process, rebuilds of one caller run one at a time, and requests made while one runs
   * share the next (it starts after they asked, so it reads every memory they wrote): a burst of
   * calls of one caller, as the local worker ingests four events at once, costs two rebuilds, not a
   * storm of conflicting writes.
   *
   * @param language the language of the call just ingested (`nextLanguage` decides whether the caller
   *   is now greeted in it); `null` when it is unknown or no call was ingested (a remembered fact, an import).
   */
  async refresh(callerId: CallerId, language: string | null): Promise<CallerProfile> {
    const waiting = this.waiting.get(callerId);
    if (waiting !== undefined) return waiting;
    const running = this.running.get(callerId);
    if (running === undefined) return this.run(callerId, language);
    const next = running
      .catch(() => undefined)
      .then(() => {
        this.waiting.delete(callerId);
        return this.run(callerId, language);
      });
    this.waiting.set(callerId, next);
    return next;
  }

  private run(callerId: CallerId, language: string | null): Promise<CallerProfile> {
    const work = this.rebuild(callerId, language).finally(() => {
      if (this.running.get(callerId) === work) this.running.delete(callerId);
    });
    this.running.set(callerId, work);
    return work;
  }

  private async rebuild(callerId: CallerId, language: string | null): Promise<CallerProfile> {
    for (let attempt = 1; attempt <= PROFILE_WRITE_ATTEMPTS; attempt += 1) {
      const stored = await this.store.get(callerId);
      const known = { language: stored?.profile.language ?? null, lastCallLanguage: stored?.profile.lastCallLanguage ?? null };
      const profile = await this.build(callerId, nextLanguage(known, language));
      if (await this.store.put(profile, stored?.version ?? null)) return profile;
    }
    throw new ProfileContentionError();
  }

  /** Drop the caller's profile (erasure, or memories removed by retention: the next call reads the memories). */
  async remove(callerId: CallerId): Promise<boolean> {
    return this.store.remove(callerId);
  }

  /** The stored profile as it is, for an export. */
  async stored(callerId: CallerId): Promise<CallerProfile | null> {
    return (await this.store.get(callerId))?.profile ?? null;
  }

  /** Three bounded reads, whatever the length of the caller's history. */
  private async build(callerId: CallerId, languages: LanguageState = NO_LANGUAGE): Promise<CallerProfile> {
    const [recent, nameStatements, memoryCount] = await Promise.all([
      this.memories.list(callerId, { limit: this.settings.recentMemories }),
      // The name may have been given many calls ago, far outside the recent window.
      this.memories.list(callerId, { source: "caller_name", limit: NAME_MEMORIES }),
      this.memories.count(callerId),
    ]);
    const now = new Date(this.clock.nowMs()).toISOString();
    return buildCallerProfile({ callerId, recent, nameStatements, memoryCount, ...languages, now }, this.settings);
  }
}
