import type { CallerId } from "../../domain/caller-id";
import type { CallerProfile } from "../../domain/caller-profile";

/** DI token for {@link CallerProfileStore}. */
export const CALLER_PROFILES = Symbol("CallerProfileStore");

/** A stored profile and the opaque version it was read at (an S3 ETag, a SQLite revision). */
export interface StoredCallerProfile {
  readonly profile: CallerProfile;
  readonly version: string;
}

/**
 * One profile per caller, written with optimistic concurrency: two ingestions of the same caller
 * at once cannot both win, so neither can overwrite an update it never saw.
 */
export interface CallerProfileStore {
  /** The caller's profile, or `null` when none was written (or what is stored cannot be read). */
  get(callerId: CallerId): Promise<StoredCallerProfile | null>;
  /**
   * Write `profile` only if the stored version is still `expectedVersion` (`null`: only if none exists).
   * Returns `false` when another write came first (nothing was written); the caller re-reads and retries.
   */
  put(profile: CallerProfile, expectedVersion: string | null): Promise<boolean>;
  /** Erase the caller's profile (every stored version of it, where the store keeps versions). Returns whether one existed. */
  remove(callerId: CallerId): Promise<boolean>;
  /** Every caller with a stored profile, each once, fetched a page at a time as the loop goes (an export of everyone). */
  callers(): AsyncIterable<CallerId>;
}
