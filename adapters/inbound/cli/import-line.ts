import * as z from "zod/mini";
import type { Region } from "../../../domain/caller-id";
import type { ImportedMemory } from "../../../domain/imported-memory";
import { MEMORY_TYPES } from "../../../domain/memory";
import { readCaller } from "./arguments";

/** The longest memory text a line may carry (a CRM note, not a document). */
export const MAX_IMPORTED_MEMORY_CHARS = 4000;
/** The longest fact key. */
const MAX_FACT_KEY_CHARS = 200;
/** Clocks disagree a little: a timestamp up to this far ahead of ours is still "now". */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** "is missing" for an absent field, else what it must be. */
const expected = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "is missing" : `must be ${what}`);

/**
 * One line of an import file: `{caller_id, memory, type?, key?, timestamp?}` and nothing else (a
 * misspelt optional field would otherwise be dropped without a word).
 */
const importLineSchema = z.strictObject({
  caller_id: z.union([z.string(), z.number()], { error: expected("a phone number (text)") }),
  memory: z
    .string({ error: expected("text") })
    .check(
      z.trim(),
      z.minLength(1, { error: "must not be empty" }),
      z.maxLength(MAX_IMPORTED_MEMORY_CHARS, { error: `must be at most ${MAX_IMPORTED_MEMORY_CHARS} characters` }),
    ),
  type: z.optional(z.enum(MEMORY_TYPES, { error: `must be ${MEMORY_TYPES.map((t) => JSON.stringify(t)).join(" or ")}` })),
  key: z.optional(
    z
      .string({ error: expected("text") })
      .check(
        z.trim(),
        z.minLength(1, { error: "must not be empty (leave it out instead)" }),
        z.maxLength(MAX_FACT_KEY_CHARS, { error: `must be at most ${MAX_FACT_KEY_CHARS} characters` }),
      ),
  ),
  timestamp: z.optional(
    z.iso.datetime({ offset: true, error: "must be an ISO 8601 date and time with a zone, e.g. 2026-01-15T09:30:00Z or 2026-01-15T10:30:00+01:00" }),
  ),
});

/** A line read: the memory to import, or every problem it has (`field: what is wrong`, never the value). */
export type ImportLineResult = { readonly ok: true; readonly item: ImportedMemory } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Read one line of an import file. The caller id is read by the numbering plan like every caller id
 * (national numbers in `region`); the timestamp may not lie in the future.
 *
 * @example
 * readImportLine('{"caller_id": "+15550100123", "memory": "Prefers text messages.", "key": "contact"}', null, Date.now());
 * // { ok: true, item: { callerId: "+15550100123", memory: "Prefers text messages.", type: "factual", factKey: "contact", timestamp: null } }
 */
export function readImportLine(text: string, region: Region | null, nowMs: number): ImportLineResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the line: it is not repeated.
    return { ok: false, problems: ["not valid JSON"] };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { ok: false, problems: ["not a JSON object"] };

  const parsed = importLineSchema.safeParse(json);
  const problems = parsed.success ? [] : parsed.error.issues.map(describeIssue);
  const caller = readCaller((json as { caller_id?: unknown }).caller_id, region);
  if ("problem" in caller && !problems.some((p) => p.startsWith("caller_id:"))) problems.push(`caller_id: ${caller.problem}`);
  const timestamp = parsed.success && parsed.data.timestamp !== undefined ? new Date(Date.parse(parsed.data.timestamp)) : null;
  if (timestamp !== null && timestamp.getTime() > nowMs + FUTURE_TOLERANCE_MS) problems.push("timestamp: is in the future");
  if (!parsed.success || "problem" in caller || problems.length > 0) return { ok: false, problems };

  const line = parsed.data;
  return {
    ok: true,
    item: {
      callerId: caller.callerId,
      memory: line.memory,
      type: line.type ?? "factual",
      factKey: line.key ?? null,
      timestamp: timestamp === null ? null : timestamp.toISOString(),
    },
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `${issue.keys.map((key) => JSON.stringify(key)).join(", ")}: not a field of an import line (caller_id, memory, type, key, timestamp)`;
  }
  return `${issue.path.map(String).join(".")}: ${issue.message}`;
}
