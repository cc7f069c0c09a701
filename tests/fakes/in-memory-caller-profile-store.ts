import type { CallerProfileStore, StoredCallerProfile } from "../../application/ports/caller-profile-store.port";
import type { CallerId } from "../../domain/caller-id";
import type { CallerProfile } from "../../domain/caller-profile";
import { decodeProfile, encodeProfile } from "../../adapters/outbound/caller-profile-document";

interface Entry {
  readonly version: string;
  /** `undefined`: what is stored cannot be read (see {@link InMemoryCallerProfileStore.corrupt}). */
  readonly profile: CallerProfile | undefined;
}

/**
 * In-memory {@link CallerProfileStore} for application tests, with the adapters' semantics: a profile
 * that does not fit the stored format is refused with the same error, versions never repeat (not even
 * after `remove`), an unreadable entry reads as `null` and may be replaced by a write that expects none.
 */
export class InMemoryCallerProfileStore implements CallerProfileStore {
  private readonly entries = new Map<CallerId, Entry>();
  private lastVersion = 0;

  async get(callerId: CallerId): Promise<StoredCallerProfile | null> {
    const entry = this.entries.get(callerId);
    if (entry?.profile === undefined) return null;
    return { profile: { ...entry.profile }, version: entry.version };
  }

  async put(profile: CallerProfile, expectedVersion: string | null): Promise<boolean> {
    // Through the stored format, as the adapters do: the same refusals, and a copy the caller cannot mutate.
    const stored = decodeProfile(encodeProfile(profile));
    const current = this.entries.get(profile.callerId);
    const allowed = expectedVersion === null ? current === undefined || current.profile === undefined : current?.version === expectedVersion;
    if (!allowed) return false;
    this.store(profile.callerId, stored ?? undefined);
    return true;
  }

  async remove(callerId: CallerId): Promise<boolean> {
    return this.entries.delete(callerId);
  }

  /** Also callers whose entry does not read back, as the adapters list them. */
  async *callers(): AsyncIterable<CallerId> {
    yield* [...this.entries.keys()];
  }

  /** Test hook: replace what is stored for `callerId` with something that does not read back as a profile. */
  corrupt(callerId: CallerId): void {
    this.store(callerId, undefined);
  }

  private store(callerId: CallerId, profile: CallerProfile | undefined): void {
    this.lastVersion += 1;
    this.entries.set(callerId, { version: `v${this.lastVersion}`, profile });
  }
}
