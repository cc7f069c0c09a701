/**
 * The fallback rules of the post-call wire: where a value may come from several fields, the first
 * one present decides and must be valid; later ones are only read when needed, so a malformed spare
 * never rejects a good event. Our own number in the event is only a hint for reading a national
 * caller id: a missing or malformed one never rejects the event.
 */
import { normaliseCallerId, regionOf, type CallerIdentity } from "../../../domain/caller-id";
import { EVENT_TIMESTAMP_RANGE } from "../../../domain/conversation";
import { ok, type Result } from "../../../domain/result";
import type * as z from "zod/mini";
import { invalidPayload, isAbsent, phoneNumberField, readWith, unixSeconds, type WirePath } from "./wire-fields";

export interface TranslateOptions {
  /**
   * Unix seconds to use when the payload carries neither `event_timestamp` nor `metadata.start_time_unix_secs`
   * (the seed shape has neither): typically when the event was received, fixed once and stored with it.
   */
  readonly fallbackTimestamp?: number;
  /**
   * Where a caller id in national form is read when the event names no number of ours to take the
   * region from (ISO 3166-1 alpha-2, the operator's `DEFAULT_REGION`); absent: such a caller has no identity.
   */
  readonly defaultRegion?: string | null;
}

/** A field that may stand in for another, with the path to name if it is the one that is malformed. */
export interface Candidate {
  readonly value: unknown;
  readonly path: WirePath;
}

/**
 * The first present candidate (not undefined or null) read with `schema`, or `null` when none is.
 *
 * @example
 * firstPresent(unixSeconds, [{ value: envelope.event_timestamp, path: ["event_timestamp"] }]); // ok(1767268871)
 */
export function firstPresent<T>(schema: z.ZodMiniType<T>, candidates: readonly Candidate[]): Result<T | null> {
  for (const { value, path } of candidates) {
    if (isAbsent(value)) continue;
    return readWith(schema, value, path);
  }
  return ok(null);
}

/** The event time: the first present candidate, else the fallback the caller supplied. */
export function readTimestamp(candidates: readonly Candidate[], options: TranslateOptions): Result<number> {
  const found = firstPresent(unixSeconds, candidates);
  if (!found.ok) return found;
  if (found.value !== null) return ok(found.value);
  const fallback = options.fallbackTimestamp;
  if (fallback === undefined) return invalidPayload(["event_timestamp"], "is required (no call start time or fallback either)");
  if (!Number.isFinite(fallback) || fallback < EVENT_TIMESTAMP_RANGE.min || fallback > EVENT_TIMESTAMP_RANGE.max) {
    return invalidPayload(["event_timestamp"], "is missing and the fallback timestamp is not valid unix seconds");
  }
  return ok(fallback);
}

/**
 * The first candidate that carries some id decides (an explicit `anonymous` is not overridden by a fallback);
 * absent, null or empty ones fall through. A national number is read in `region`.
 */
export function resolveCaller(candidates: readonly Candidate[], region: string | null): Result<CallerIdentity> {
  for (const { value, path } of candidates) {
    const number = readWith(phoneNumberField, value, path);
    if (!number.ok) return number;
    if (isAbsent(number.value)) continue;
    const identity = normaliseCallerId(number.value, { region });
    if (identity.known || identity.reason !== "missing") return ok(identity);
  }
  return ok({ known: false, reason: "missing" });
}

/**
 * The region of the first of our own numbers in the event that is an international number (the one
 * the caller dialled, on inbound calls), else the operator's default. Only a hint for reading the
 * caller's number: a missing or malformed one never rejects the event.
 */
export function callRegion(ourNumbers: readonly unknown[], options: TranslateOptions): string | null {
  for (const value of ourNumbers) {
    const region = regionOf(value);
    if (region !== null) return region;
  }
  return options.defaultRegion ?? null;
}
