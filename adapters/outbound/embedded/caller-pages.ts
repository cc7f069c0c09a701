import type Database from "better-sqlite3";
import { isCallerId, type CallerId } from "../../../domain/caller-id";

/** Callers read per query. */
const CALLER_PAGE = 500;

/**
 * Every caller id a keyset-paged statement lists (`SELECT DISTINCT <id> … WHERE <id> > ? ORDER BY <id>
 * LIMIT ?`, answering one column), a page per query rather than one open cursor: the loop may read
 * and write the store between two callers. Anything that is no caller id is skipped.
 */
export async function* callersByPage(statement: Database.Statement, column: string): AsyncIterable<CallerId> {
  for (let after = ""; ; ) {
    const page = (statement.all(after, CALLER_PAGE) as Record<string, string>[]).map((row) => row[column] ?? "");
    for (const id of page) if (isCallerId(id)) yield id;
    const last = page.at(-1);
    if (last === undefined || page.length < CALLER_PAGE) return;
    after = last;
  }
}
