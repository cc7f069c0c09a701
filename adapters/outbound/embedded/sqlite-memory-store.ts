import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { clampLimit, type MemoryListOptions, type MemorySearchQuery, type MemoryStore } from "../../../application/ports/memory-store.port";
import type { CallerId } from "../../../domain/caller-id";
import type { Memory, MemoryDraft, MemoryMetadata } from "../../../domain/memory";

interface MemoryRow {
  readonly id: string;
  readonly user_id: string;
  readonly memory: string;
  readonly metadata: string;
}

/** Words too common to say anything about relevance; dropped unless the query has nothing else. */
const STOP_WORDS = new Set(
  "a an and are as at be but by did do does for from had has have he her his i if in is it its me my of on or our she so that the their them they this to was we were what when where which who with you your".split(
    " ",
  ),
);
const MAX_QUERY_TERMS = 32;

/**
 * The embedded {@link MemoryStore}: SQLite (WAL, synchronous=FULL) with an FTS5 index ranked by BM25.
 * Every statement is scoped by `user_id`, so one caller's memories can never come back for another.
 *
 * @example
 * const store = new SqliteMemoryStore(".data/memories.db");
 * await store.search({ userId, query: "dinner booking", limit: 5 });
 */
export class SqliteMemoryStore implements MemoryStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    // FULL: an acknowledged write survives power loss, because the inbox is marked done right after.
    this.db.pragma("synchronous = FULL");
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS memories (
        rowid     INTEGER PRIMARY KEY,
        id        TEXT NOT NULL UNIQUE,
        user_id   TEXT NOT NULL,
        draft_key TEXT NOT NULL,
        memory    TEXT NOT NULL,
        metadata  TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        UNIQUE (user_id, draft_key)
      );
      CREATE INDEX IF NOT EXISTS memories_by_user_time ON memories (user_id, timestamp DESC);
      CREATE VIRTUAL TABLE IF NOT EXISTS memories_fts USING fts5(
        memory, content = 'memories', content_rowid = 'rowid', tokenize = 'porter unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER IF NOT EXISTS memories_ai AFTER INSERT ON memories BEGIN
        INSERT INTO memories_fts (rowid, memory) VALUES (new.rowid, new.memory);
      END;
      CREATE TRIGGER IF NOT EXISTS memories_ad AFTER DELETE ON memories BEGIN
        INSERT INTO memories_fts (memories_fts, rowid, memory) VALUES ('delete', old.rowid, old.memory);
      END;
    `);
    this.statements = {
      insert: this.db.prepare(
        `INSERT OR IGNORE INTO memories (id, user_id, draft_key, memory, metadata, timestamp) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      search: this.db.prepare(
        `SELECT m.id, m.user_id, m.memory, m.metadata, bm25(memories_fts) AS rank
           FROM memories_fts JOIN memories m ON m.rowid = memories_fts.rowid
          WHERE memories_fts MATCH ? AND m.user_id = ?
          ORDER BY rank, m.timestamp DESC
          LIMIT ?`,
      ),
      list: this.db.prepare(
        `SELECT id, user_id, memory, metadata FROM memories WHERE user_id = ? ORDER BY timestamp DESC, rowid DESC LIMIT ?`,
      ),
      listBySource: this.db.prepare(
        `SELECT id, user_id, memory, metadata FROM memories
          WHERE user_id = ? AND json_extract(metadata, '$.source') = ? ORDER BY timestamp DESC, rowid DESC LIMIT ?`,
      ),
      count: this.db.prepare(`SELECT COUNT(*) AS n FROM memories WHERE user_id = ?`),
      forget: this.db.prepare(`DELETE FROM memories WHERE user_id = ?`),
      remove: this.db.prepare(`DELETE FROM memories WHERE user_id = ? AND id = ?`),
      // julianday() reads any ISO-8601 form (offsets too) and is NULL for an unreadable date, which is never "older".
      olderThan: this.db.prepare(
        `SELECT id, user_id, memory, metadata FROM memories WHERE julianday(timestamp) < julianday(?) ORDER BY timestamp, rowid`,
      ),
    };
  }

  async add(drafts: readonly MemoryDraft[]): Promise<{ added: number; skipped: number }> {
    const insertAll = this.db.transaction((items: readonly MemoryDraft[]) => {
      let added = 0;
      for (const d of items) {
        const id = memoryId(d.userId, d.key);
        added += this.statements.insert.run(id, d.userId, d.key, d.text, JSON.stringify(d.metadata), d.metadata.timestamp).changes;
      }
      return added;
    });
    const added = insertAll(drafts);
    return { added, skipped: drafts.length - added };
  }

  async search({ userId, query, limit }: MemorySearchQuery): Promise<Memory[]> {
    const match = toFtsQuery(query);
    if (match === null) return [];
    const rows = this.statements.search.all(match, userId, clampLimit(limit)) as (MemoryRow & { rank: number })[];
    return rows.map((row) => ({ ...toMemory(row), score: toScore(row.rank) }));
  }

  async list(userId: CallerId, options: MemoryListOptions = {}): Promise<Memory[]> {
    const limit = options.limit ?? -1;
    const rows = (
      options.source === undefined
        ? this.statements.list.all(userId, limit)
        : this.statements.listBySource.all(userId, options.source, limit)
    ) as MemoryRow[];
    return rows.map(toMemory);
  }

  async count(userId: CallerId): Promise<number> {
    return (this.statements.count.get(userId) as { n: number }).n;
  }

  async forget(userId: CallerId): Promise<number> {
    return this.statements.forget.run(userId).changes;
  }

  async remove(userId: CallerId, ids: readonly string[]): Promise<number> {
    const removeAll = this.db.transaction((items: readonly string[]) =>
      items.reduce((removed, id) => removed + this.statements.remove.run(userId, id).changes, 0),
    );
    return removeAll([...new Set(ids)]);
  }

  async listOlderThan(cutoff: string): Promise<Memory[]> {
    return (this.statements.olderThan.all(cutoff) as MemoryRow[]).map(toMemory);
  }

  close(): void {
    this.db.close();
  }
}

/** Stable per caller and draft, so the same draft always maps to the same memory id. */
function memoryId(userId: string, key: string): string {
  return `mem_${createHash("sha256").update(`${userId}\u0000${key}`).digest("hex").slice(0, 32)}`;
}

/**
 * Free text → an FTS5 query of quoted terms joined by OR. Quoting every term makes FTS syntax in the
 * query (`"`, `*`, `NEAR(`, `OR`, `-`, `:`) plain words, so no query can fail or widen the search.
 */
function toFtsQuery(text: string): string | null {
  const terms = [...new Set(text.toLowerCase().normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? [])];
  const meaningful = terms.filter((t) => !STOP_WORDS.has(t));
  const chosen = (meaningful.length > 0 ? meaningful : terms).slice(0, MAX_QUERY_TERMS);
  if (chosen.length === 0) return null;
  return chosen.map((t) => `"${t}"`).join(" OR ");
}

/** BM25 is negative, lower is better; map it monotonically onto 0..1, higher is better. */
function toScore(rank: number): number {
  const relevance = Math.max(0, -rank);
  return Math.round((relevance / (relevance + 1)) * 10_000) / 10_000;
}

function toMemory(row: MemoryRow): Memory {
  return { id: row.id, memory: row.memory, user_id: row.user_id, metadata: JSON.parse(row.metadata) as MemoryMetadata };
}
