import * as z from "zod/mini";
import { isCallerId, type CallerId } from "../../domain/caller-id";
import type { CallerProfile } from "../../domain/caller-profile";

/** Format version of the stored document; a reader that meets another version treats it as unreadable. */
const DOCUMENT_VERSION = 1;
/** Far above what the profile builder emits (a capped summary, a couple of thousand chars of notes). */
const MAX_TEXT = 20_000;
/** Far above a sanitised first name (four words of thirty letters) or a language tag. */
const MAX_SHORT = 1_000;

const isoTime = z.iso.datetime({ offset: true });

/**
 * One caller profile as stored (`{ "v": 1, ...fields }`), the same in every store. Unknown fields are
 * dropped, so a later writer may add one without breaking older readers.
 */
const profileDocumentSchema = z.object({
  v: z.literal(DOCUMENT_VERSION),
  callerId: z.string().check(z.refine(isCallerId, "not an E.164 caller id")),
  callerName: z.nullable(z.string().check(z.maxLength(MAX_SHORT))),
  language: z.nullable(z.string().check(z.maxLength(MAX_SHORT))),
  // Added after the first profiles were written: an older document has none (unknown).
  lastCallLanguage: z._default(z.nullable(z.string().check(z.maxLength(MAX_SHORT))), null),
  lastCallAt: z.nullable(isoTime),
  memoryCount: z.int().check(z.nonnegative()),
  memorySummary: z.string().check(z.maxLength(MAX_TEXT)),
  callerContext: z.string().check(z.maxLength(MAX_TEXT)),
  updatedAt: isoTime,
});

/** Thrown by {@link encodeProfile} for a profile that would not read back. */
export class InvalidCallerProfileError extends Error {
  override readonly name = "InvalidCallerProfileError";
}

/**
 * The stored JSON of a profile. Throws {@link InvalidCallerProfileError} when the profile would not
 * pass {@link decodeProfile}: a write that every later read would drop is refused up front.
 *
 * @example
 * encodeProfile(profile); // '{"v":1,"callerId":"+15550100123","callerName":"Zoë",...}'
 */
export function encodeProfile(profile: CallerProfile): string {
  const document = {
    v: DOCUMENT_VERSION,
    callerId: profile.callerId,
    callerName: profile.callerName,
    language: profile.language,
    lastCallLanguage: profile.lastCallLanguage,
    lastCallAt: profile.lastCallAt,
    memoryCount: profile.memoryCount,
    memorySummary: profile.memorySummary,
    callerContext: profile.callerContext,
    updatedAt: profile.updatedAt,
  };
  const checked = profileDocumentSchema.safeParse(document);
  if (!checked.success) {
    // Paths only: the values are the caller's personal data and must not reach logs.
    const fields = [...new Set(checked.error.issues.map((issue) => issue.path.join(".") || "(document)"))].join(", ");
    throw new InvalidCallerProfileError(`caller profile does not fit the stored format (${fields})`);
  }
  return JSON.stringify(document);
}

/**
 * The profile in a stored document, or `null` when the text is not JSON, not a version-1 profile, or
 * (when `callerId` is given) the profile of another caller. Never throws.
 *
 * @example
 * decodeProfile(text, "+15550100123" as CallerId); // CallerProfile | null
 */
export function decodeProfile(text: string, callerId?: CallerId): CallerProfile | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = profileDocumentSchema.safeParse(json);
  if (!parsed.success) return null;
  const { v: _version, callerId: storedId, ...fields } = parsed.data;
  if (callerId !== undefined && storedId !== callerId) return null;
  return { callerId: storedId as CallerId, ...fields };
}
