import type { CallerId } from "./caller-id";
import { buildCallerContext, buildMemorySummary } from "./caller-context";
import { extractCallerName } from "./caller-name";
import { firstName } from "./first-name";
import { sanitiseName } from "./name-sanitising";
import { newestFirst, type Memory } from "./memory";

/**
 * What the next call of one caller needs, written by the worker after each ingested call so that
 * client-data answers from a single read instead of querying the caller's whole history.
 * Every text field is already built and bounded (sanitised name, capped summary, fenced notes).
 */
export interface CallerProfile {
  readonly callerId: CallerId;
  /** Sanitised first name the caller gave, `null` when unknown. */
  readonly callerName: string | null;
  /**
   * The language the caller is greeted in (ISO 639-1, e.g. `es`): the first one known, then a new one
   * once two calls in a row were in it (`nextLanguage`); `null` while unknown.
   */
  readonly language: string | null;
  /** The language of the caller's latest call whose language was known. */
  readonly lastCallLanguage: string | null;
  /** ISO-8601 time of the newest call the profile reflects; `null` when no memory carries a time. */
  readonly lastCallAt: string | null;
  /** The caller's current memories when the profile was built (the `memory_count` variable). */
  readonly memoryCount: number;
  /** The `memory_summary` variable, already capped. */
  readonly memorySummary: string;
  /** The fenced caller notes appended to the agent's prompt (empty when there is nothing to say). */
  readonly callerContext: string;
  /** ISO-8601 time the profile was built. */
  readonly updatedAt: string;
}

/** How much of the caller's memories a profile shows (the operator's client-data settings). */
export interface CallerProfileLimits {
  readonly summaryMaxChars: number;
  readonly contextBudgetChars: number;
}

/** What a profile is built from: a bounded read of the caller's current memories. */
export interface CallerProfileSources {
  readonly callerId: CallerId;
  /** The caller's most recent memories, any order. */
  readonly recent: readonly Memory[];
  /** The caller's newest name statements (`caller_name` memories), which may be far older than `recent`. */
  readonly nameStatements: readonly Memory[];
  /** How many current memories the caller has. */
  readonly memoryCount: number;
  readonly language: string | null;
  readonly lastCallLanguage: string | null;
  /** ISO-8601 build time. */
  readonly now: string;
}

/**
 * The profile the next call starts from: name, summary and fenced notes built exactly as client-data
 * would build them from the same memories.
 *
 * @example
 * buildCallerProfile({ callerId, recent, nameStatements, memoryCount: 12, language: null, lastCallLanguage: null, now }, limits).callerName; // "Marisol"
 */
export function buildCallerProfile(sources: CallerProfileSources, limits: CallerProfileLimits): CallerProfile {
  const name = sanitiseName(newestStatedName([...sources.nameStatements, ...sources.recent]));
  const callerName = name === null ? null : firstName(name);
  const newest = sources.recent.reduce<string | null>((latest, m) => (latest === null || later(m.metadata.timestamp, latest) ? m.metadata.timestamp : latest), null);
  return {
    callerId: sources.callerId,
    callerName,
    language: sources.language,
    lastCallLanguage: sources.lastCallLanguage,
    lastCallAt: newest !== null && Date.parse(newest) > 0 ? newest : null,
    memoryCount: sources.memoryCount,
    memorySummary: buildMemorySummary(sources.recent, { maxChars: limits.summaryMaxChars }),
    callerContext: buildCallerContext(sources.recent, { budgetChars: limits.contextBudgetChars, callerName, language: sources.language }),
    updatedAt: sources.now,
  };
}

/**
 * The name from the newest memory that states one. Memories are read one at a time, so a caller
 * who corrected their name ("Marisela" after "Marisol") gets the correction, not a conflict.
 */
function newestStatedName(memories: readonly Memory[]): string | null {
  const factual = memories.filter((m) => m.metadata.type === "factual");
  const byNewest = newestFirst(factual);
  const ordered = [...byNewest.filter((m) => m.metadata.source === "caller_name"), ...byNewest.filter((m) => m.metadata.source !== "caller_name")];
  for (const memory of ordered) {
    const name = extractCallerName({ memories: [memory.memory] });
    if (name !== null) return name;
  }
  return null;
}

/**
 * A memory's time as a number, for ordering: ISO-8601 with or without milliseconds or an offset
 * compares by instant (not by text, nor with `localeCompare`, whose first call alone costs a cold
 * start ~7 ms building ICU's collator); an unreadable one sorts as the oldest.
 */
function instant(timestamp: string): number {
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at;
}

const later = (a: string, b: string): boolean => instant(a) > instant(b);
