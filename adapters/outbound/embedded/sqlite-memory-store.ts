import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { clampLimit, type MemoryListOptions, type MemorySearchQuery, type MemoryStore } from "../../../application/ports/memory-store.port";
import type { CallerId } from "../../../domain/caller-id";
import type { Memory, MemoryDraft, MemoryMetadata } from "../../../domain/memory";
import { analysedText, analysisLanguage, type AnalysisLanguage } from "./embedded-analysis";
import { conceptQuery, rankByConcepts, type EmbeddedRanking } from "./embedded-ranking";
import { callersByPage } from "./caller-pages";

interface MemoryRow {
  readonly id: string;
  readonly user_id: string;
  readonly memory: string;
  readonly metadata: string;
  readonly superseded_by?: string | null;
}

type RankedRow = MemoryRow & { readonly timestamp: string; readonly language: string | null };

/** Words too common to say anything about relevance; dropped unless the query has nothing else. */
const STOP_WORDS = new Set(
  "a an and are as at be but by did do does for from had has have he her his i if in is it its me my of on or our she so that the their them they this to was we were what when where which who with you your".split(
    " ",
  ),
);
const MAX_QUERY_TERMS = 32;
/**
 * Memories of one caller the `concepts` ranking reads whole; for a caller with more, FTS5 picks up to
 * {@link CANDIDATE_POOL} of them by the question's English words and as many by its stems in the caller's other languages.
 */
const SCAN_LIMIT = 1_000;
const CANDIDATE_POOL = 500;
/**
 * The search filters, each a condition of the WHERE clause (a null parameter leaves it out), so they
 * narrow before the LIMIT; shared by both rankings' statements.
 */
const SEARCH_FILTERS = `
            AND (@history = 1 OR m.superseded_by IS NULL)
            AND (@type IS NULL OR json_extract(m.metadata, '$.type') = @type)
            AND (@source IS NULL OR json_extract(m.metadata, '$.source') = @source)
            AND (@conversationId IS NULL OR json_extract(m.metadata, '$.conversation_id') = @conversationId)
            AND (@since IS NULL OR julianday(m.timestamp) >= julianday(@since))
            AND (@until IS NULL OR julianday(m.timestamp) <= julianday(@until))`;
/** Callers per page of {@link SqliteMemoryStore.callers}. */

/**
 * The embedded {@link MemoryStore}: SQLite (WAL, synchronous=FULL) with an FTS5 index. Searches are
 * ranked by concepts over the caller's own memories (embedded-ranking.ts); `{ ranking: "bm25" }`
 * ranks as the store did before (FTS5's BM25 of the question's words), for the bench's baseline.
 * Each memory is read in the language it was said in (`metadata.language`, kept in the `language`
 * column; embedded-analysis.ts), and one in another language than English is also indexed by its
 * stems in that language (`memories_terms`), for the candidates of a caller with many memories.
 * Every statement is scoped by `user_id`, so one caller's memories can never come back for another.
 *
 * @example
 * const store = new SqliteMemoryStore(".data/memories.db");
 * await store.search({ userId, query: "dinner booking", limit: 5 });
 */
export class SqliteMemoryStore implements MemoryStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly ranking: EmbeddedRanking;

  constructor(path: string, options: { readonly ranking?: EmbeddedRanking } = {}) {
    this.ranking = options.ranking ?? "concepts";
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
    addVersioning(this.db);
    addLanguages(this.db);
    this.statements = {
      insert: this.db.prepare(
        `INSERT OR IGNORE INTO memories (id, user_id, draft_key, memory, metadata, timestamp, fact_key, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertTerms: this.db.prepare(`INSERT INTO memories_terms (rowid, terms) VALUES (?, ?)`),
      // The languages of the caller's memories, the most common first (the index holds them all).
      languages: this.db.prepare(
        `SELECT language FROM memories WHERE user_id = ? AND language IS NOT NULL GROUP BY language ORDER BY COUNT(*) DESC, language`,
      ),
      versions: this.db.prepare(`SELECT id, superseded_by FROM memories WHERE user_id = ? AND fact_key = ? ORDER BY julianday(timestamp) DESC, rowid DESC`),
      supersede: this.db.prepare(`UPDATE memories SET superseded_by = ? WHERE id = ?`),
      keyOf: this.db.prepare(`SELECT fact_key FROM memories WHERE user_id = ? AND id = ?`),
      search: this.db.prepare(ftsSearch("memories_fts")),
      // The same over the stems of the memories said in another language than English.
      searchTerms: this.db.prepare(ftsSearch("memories_terms")),
      // The caller's memories the filters let through, newest first: what the `concepts` ranking reads.
      searchable: this.db.prepare(
        `SELECT m.id, m.user_id, m.memory, m.metadata, m.superseded_by, m.timestamp, m.language FROM memories m
          WHERE m.user_id = @userId ${SEARCH_FILTERS}
          ORDER BY m.timestamp DESC, m.rowid DESC
          LIMIT @limit`,
      ),
      list: this.db.prepare(
        `SELECT id, user_id, memory, metadata, superseded_by FROM memories
          WHERE user_id = @userId
            AND (@history = 1 OR superseded_by IS NULL)
            AND (@factKey IS NULL OR fact_key = @factKey)
            AND (@source IS NULL OR json_extract(metadata, '$.source') = @source)
            AND (@conversationId IS NULL OR json_extract(metadata, '$.conversation_id') = @conversationId)
          ORDER BY timestamp DESC, rowid DESC LIMIT @limit`,
      ),
      count: this.db.prepare(`SELECT COUNT(*) AS n FROM memories WHERE user_id = ? AND superseded_by IS NULL`),
      forget: this.db.prepare(`DELETE FROM memories WHERE user_id = ?`),
      remove: this.db.prepare(`DELETE FROM memories WHERE user_id = ? AND id = ?`),
      // julianday() reads any ISO-8601 form (offsets too) and is NULL for an unreadable date, which is never "older".
      olderThan: this.db.prepare(
        `SELECT id, user_id, memory, metadata, superseded_by FROM memories WHERE julianday(timestamp) < julianday(?) ORDER BY timestamp, rowid`,
      ),
      // Keyset paging over the (user_id, timestamp) index: each page starts after the last caller of the one before.
      callers: this.db.prepare(`SELECT DISTINCT user_id FROM memories WHERE user_id > ? ORDER BY user_id LIMIT ?`),
    };
  }

  async add(drafts: readonly MemoryDraft[]): Promise<{ added: number; skipped: number }> {
    const insertAll = this.db.transaction((items: readonly MemoryDraft[]) => {
      let added = 0;
      for (const d of items) {
        const id = memoryId(d.userId, d.key);
        const language = analysisLanguage(d.metadata.language);
        const { changes: inserted, lastInsertRowid } = this.statements.insert.run(
          id,
          d.userId,
          d.key,
          d.text,
          JSON.stringify(d.metadata),
          d.metadata.timestamp,
          d.metadata.fact_key ?? null,
          language,
        );
        added += inserted;
        if (inserted > 0 && language !== null && language !== "en") this.statements.insertTerms.run(lastInsertRowid, analysedText(d.text, language));
        if (inserted > 0 && d.metadata.fact_key !== undefined) this.settleVersions(d.userId, d.metadata.fact_key);
      }
      return added;
    });
    const added = insertAll(drafts);
    return { added, skipped: drafts.length - added };
  }

  async search({ userId, query, limit, filters = {}, includeHistory }: MemorySearchQuery): Promise<Memory[]> {
    const narrowing = {
      userId,
      type: filters.type ?? null,
      source: filters.source ?? null,
      conversationId: filters.conversationId ?? null,
      since: filters.since ?? null,
      until: filters.until ?? null,
      history: includeHistory === true ? 1 : 0,
    };
    if (this.ranking === "concepts") return this.searchByConcepts(query, clampLimit(limit), narrowing);
    const match = toFtsQuery(query);
    if (match === null) return [];
    const rows = this.statements.search.all({ ...narrowing, match, limit: clampLimit(limit) }) as (MemoryRow & { rank: number })[];
    return rows.map((row) => ({ ...toMemory(row), score: toScore(row.rank) }));
  }

  /**
   * Every memory of the caller the filters let through, ranked; past {@link SCAN_LIMIT}, those FTS5 finds
   * for the question's concepts and stems. The question is read in each language of the caller's
   * memories; a memory of no known language (a remembered fact, an import, one stored before languages)
   * is read in the caller's main language, the most common among their memories, and in English.
   */
  private searchByConcepts(text: string, limit: number, narrowing: { readonly userId: CallerId } & Record<string, unknown>): Memory[] {
    const languages = (this.statements.languages.all(narrowing.userId) as { language: string }[]).flatMap(({ language }) => analysisLanguage(language) ?? []);
    const main = languages[0] ?? "en";
    const query = conceptQuery(text, languages);
    if (query === null) return [];
    let rows = this.statements.searchable.all({ ...narrowing, limit: SCAN_LIMIT + 1 }) as RankedRow[];
    let callerMemories = rows.length;
    if (rows.length > SCAN_LIMIT) {
      rows = this.statements.search.all({ ...narrowing, match: query.match, limit: CANDIDATE_POOL }) as RankedRow[];
      if (query.analysedMatch !== null) {
        const seen = new Set(rows.map((row) => row.id));
        const more = this.statements.searchTerms.all({ ...narrowing, match: query.analysedMatch, limit: CANDIDATE_POOL }) as RankedRow[];
        rows = [...rows, ...more.filter((row) => !seen.has(row.id))];
      }
      callerMemories = (this.statements.count.get(narrowing.userId) as { n: number }).n;
    }
    const unknown: readonly AnalysisLanguage[] = main === "en" ? ["en"] : [main, "en"];
    const candidates = rows.map((row) => {
      const language = analysisLanguage(row.language);
      return { row, memory: row.memory, metadata: { timestamp: row.timestamp }, languages: language === null ? unknown : [language] };
    });
    return rankByConcepts(candidates, query, callerMemories)
      .slice(0, limit)
      .map(({ item, score }) => ({ ...toMemory(item.row), score }));
  }

  async list(userId: CallerId, options: MemoryListOptions = {}): Promise<Memory[]> {
    const rows = this.statements.list.all({
      userId,
      source: options.source ?? null,
      conversationId: options.conversationId ?? null,
      factKey: options.factKey ?? null,
      history: options.history === true ? 1 : 0,
      limit: options.limit ?? -1,
    }) as MemoryRow[];
    return rows.map(toMemory);
  }

  async count(userId: CallerId): Promise<number> {
    return (this.statements.count.get(userId) as { n: number }).n;
  }

  async forget(userId: CallerId): Promise<number> {
    return this.statements.forget.run(userId).changes;
  }

  async remove(userId: CallerId, ids: readonly string[]): Promise<number> {
    const removeAll = this.db.transaction((items: readonly string[]) => {
      let removed = 0;
      const keys = new Set<string>();
      for (const id of items) {
        const key = (this.statements.keyOf.get(userId, id) as { fact_key: string | null } | undefined)?.fact_key;
        removed += this.statements.remove.run(userId, id).changes;
        if (typeof key === "string") keys.add(key);
      }
      // The newest remaining version of a key is current again (retention removes the oldest first).
      for (const key of keys) this.settleVersions(userId, key);
      return removed;
    });
    return removeAll([...new Set(ids)]);
  }

  async listOlderThan(cutoff: string): Promise<Memory[]> {
    return (this.statements.olderThan.all(cutoff) as MemoryRow[]).map(toMemory);
  }

  async *callers(): AsyncIterable<CallerId> {
    yield* callersByPage(this.statements.callers, "user_id");
  }


  close(): void {
    this.db.close();
  }

  /** The newest version of a caller's fact (by call time; the same time: the one stored last) is current, every other points to it. */
  private settleVersions(userId: string, factKey: string): void {
    const [newest, ...older] = this.statements.versions.all(userId, factKey) as { id: string; superseded_by: string | null }[];
    if (newest === undefined) return;
    if (newest.superseded_by !== null) this.statements.supersede.run(null, newest.id);
    for (const version of older) if (version.superseded_by !== newest.id) this.statements.supersede.run(newest.id, version.id);
  }
}

/**
 * Fact versions: `fact_key` (what the fact is about) and `superseded_by` (the newer version, or NULL
 * while current), added to a store created before versions existed; its facts have no key and stay current.
 */
function addVersioning(db: Database.Database): void {
  const columns = new Set((db.prepare(`SELECT name FROM pragma_table_info('memories')`).all() as { name: string }[]).map((c) => c.name));
  if (!columns.has("fact_key")) db.exec(`ALTER TABLE memories ADD COLUMN fact_key TEXT`);
  if (!columns.has("superseded_by")) db.exec(`ALTER TABLE memories ADD COLUMN superseded_by TEXT`);
  db.exec(`CREATE INDEX IF NOT EXISTS memories_by_user_fact ON memories (user_id, fact_key) WHERE fact_key IS NOT NULL`);
}

/**
 * Languages: the `language` each memory is read in (NULL: none known; a store created before languages
 * has none), and `memories_terms`, the stems of each memory said in another language than English in
 * that language (English ones are found through `memories_fts`, whose `porter` tokenizer stems them).
 */
function addLanguages(db: Database.Database): void {
  const columns = new Set((db.prepare(`SELECT name FROM pragma_table_info('memories')`).all() as { name: string }[]).map((c) => c.name));
  if (!columns.has("language")) db.exec(`ALTER TABLE memories ADD COLUMN language TEXT`);
  db.exec(`
    CREATE INDEX IF NOT EXISTS memories_by_user_language ON memories (user_id, language);
    CREATE VIRTUAL TABLE IF NOT EXISTS memories_terms USING fts5(terms, tokenize = 'unicode61 remove_diacritics 2');
    CREATE TRIGGER IF NOT EXISTS memories_terms_ad AFTER DELETE ON memories BEGIN
      DELETE FROM memories_terms WHERE rowid = old.rowid;
    END;
  `);
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
  const metadata = JSON.parse(row.metadata) as MemoryMetadata;
  const superseded = typeof row.superseded_by === "string" ? { superseded_by: row.superseded_by } : {};
  return { id: row.id, memory: row.memory, user_id: row.user_id, metadata: { ...metadata, ...superseded } };
}

/** A caller's memories matching an FTS5 query of one index, best BM25 first, the search filters applied before the limit. */
function ftsSearch(index: "memories_fts" | "memories_terms"): string {
  return `SELECT m.id, m.user_id, m.memory, m.metadata, m.superseded_by, m.timestamp, m.language, bm25(${index}) AS rank
            FROM ${index} JOIN memories m ON m.rowid = ${index}.rowid
           WHERE ${index} MATCH @match AND m.user_id = @userId ${SEARCH_FILTERS}
           ORDER BY rank, m.timestamp DESC
           LIMIT @limit`;
}
