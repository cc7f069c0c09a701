import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { CallerProfileStore, StoredCallerProfile } from "../../../application/ports/caller-profile-store.port";
import type { CallerId } from "../../../domain/caller-id";
import type { CallerProfile } from "../../../domain/caller-profile";
import { decodeProfile, encodeProfile } from "../caller-profile-document";
import { callersByPage } from "./caller-pages";

interface ProfileRow {
  readonly revision: number;
  readonly profile: string;
}

/** A revision as the port hands it out: the decimal digits of a positive integer. */
const REVISION = /^[1-9]\d{0,14}$/;

/** Callers per page of {@link SqliteCallerProfileStore.callers}. */

/**
 * The embedded {@link CallerProfileStore}: one row per caller in `caller_profiles`, versioned by an
 * integer revision. Opens its own file (WAL, synchronous=FULL) or shares the connection of the memory
 * store; its tables sit beside the memory tables without touching them.
 *
 * Revisions come from one counter that only grows, so a revision is never handed out twice, not even
 * after a profile is removed and written again: a writer still holding a revision from before an
 * erasure cannot overwrite the profile written after it.
 *
 * A row that does not read back as a profile counts as none: `get` answers `null` and a write that
 * expects no profile replaces it (else the caller's profile could never be written again).
 *
 * @example
 * const profiles = new SqliteCallerProfileStore(".data/memories.db");
 * const stored = await profiles.get(callerId);
 * await profiles.put(next, stored?.version ?? null);
 */
export class SqliteCallerProfileStore implements CallerProfileStore {
  private readonly db: Database.Database;
  private readonly ownsConnection: boolean;
  private readonly statements;
  private readonly write;

  /** @param source a database path (`:memory:` too) or an open connection, which stays the caller's to close. */
  constructor(source: string | Database.Database) {
    if (typeof source === "string") {
      if (source !== ":memory:") mkdirSync(dirname(source), { recursive: true });
      this.db = new Database(source);
      this.db.pragma("journal_mode = WAL");
      // FULL: an acknowledged write survives power loss, like the memories it summarises.
      this.db.pragma("synchronous = FULL");
      this.db.pragma("busy_timeout = 5000");
      this.ownsConnection = true;
    } else {
      this.db = source;
      this.ownsConnection = false;
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS caller_profiles (
        caller_id TEXT PRIMARY KEY,
        revision  INTEGER NOT NULL,
        profile   TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS caller_profile_revision (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        last INTEGER NOT NULL
      );
      INSERT OR IGNORE INTO caller_profile_revision (id, last) VALUES (1, 0);
    `);
    this.statements = {
      get: this.db.prepare(`SELECT revision, profile FROM caller_profiles WHERE caller_id = ?`),
      nextRevision: this.db.prepare(`UPDATE caller_profile_revision SET last = last + 1 WHERE id = 1 RETURNING last`),
      insert: this.db.prepare(
        `INSERT INTO caller_profiles (caller_id, revision, profile) VALUES (?, ?, ?) ON CONFLICT (caller_id) DO NOTHING`,
      ),
      update: this.db.prepare(`UPDATE caller_profiles SET revision = ?, profile = ? WHERE caller_id = ? AND revision = ?`),
      remove: this.db.prepare(`DELETE FROM caller_profiles WHERE caller_id = ?`),
      // Keyset paging on the primary key: each page starts after the last caller of the one before.
      callers: this.db.prepare(`SELECT caller_id FROM caller_profiles WHERE caller_id > ? ORDER BY caller_id LIMIT ?`),
    };
    // IMMEDIATE: the write lock is taken before the first read, so no other connection writes in between.
    // A refused write still uses up a revision; gaps are harmless, reuse is not.
    const write = this.db.transaction((callerId: CallerId, text: string, expected: number | null): boolean => {
      const revision = (this.statements.nextRevision.get() as { last: number }).last;
      if (expected !== null) return this.statements.update.run(revision, text, callerId, expected).changes === 1;
      if (this.statements.insert.run(callerId, revision, text).changes === 1) return true;
      // Taken: only an unreadable row may be replaced, and only the one just read.
      const row = this.statements.get.get(callerId) as ProfileRow | undefined;
      if (row === undefined || decodeProfile(row.profile, callerId) !== null) return false;
      return this.statements.update.run(revision, text, callerId, row.revision).changes === 1;
    });
    this.write = (callerId: CallerId, text: string, expected: number | null) => write.immediate(callerId, text, expected);
  }

  async get(callerId: CallerId): Promise<StoredCallerProfile | null> {
    const row = this.statements.get.get(callerId) as ProfileRow | undefined;
    if (row === undefined) return null;
    const profile = decodeProfile(row.profile, callerId);
    return profile === null ? null : { profile, version: String(row.revision) };
  }

  async put(profile: CallerProfile, expectedVersion: string | null): Promise<boolean> {
    // Encoded first: a profile that would not read back throws before anything is written.
    const text = encodeProfile(profile);
    if (expectedVersion !== null && !REVISION.test(expectedVersion)) return false;
    return this.write(profile.callerId, text, expectedVersion === null ? null : Number(expectedVersion));
  }

  async remove(callerId: CallerId): Promise<boolean> {
    return this.statements.remove.run(callerId).changes > 0;
  }

  async *callers(): AsyncIterable<CallerId> {
    yield* callersByPage(this.statements.callers, "caller_id");
  }


  /** Closes the connection when this store opened it; a shared one stays open for its owner. */
  close(): void {
    if (this.ownsConnection) this.db.close();
  }
}
