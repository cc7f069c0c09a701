/**
 * Caller identity: a phone number normalised to E.164, or no identity at all.
 *
 * Precision first: two different callers must never end up with the same id, so anything that is
 * not clearly one international phone number (withheld, anonymous, SIP user names, national
 * numbers without a country code) is *no identity*, and such callers never read or write memories.
 */

/** A normalised E.164 phone number such as `+15550100123`. */
export type CallerId = string & { readonly __brand: "CallerId" };

export type NoIdentityReason = "missing" | "withheld" | "not_a_phone_number" | "national_number" | "too_short" | "too_long";

export type CallerIdentity =
  | { readonly known: true; readonly callerId: CallerId }
  | { readonly known: false; readonly reason: NoIdentityReason };

/** E.164 allows at most 15 digits; the shortest numbers in service have 7 including the country code. */
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;
/** A bare digit string of this length or more is an international number that lost its `+` (SIP headers do this). */
const MIN_BARE_INTERNATIONAL_DIGITS = 11;

const WITHHELD = new Set([
  "anonymous",
  "restricted",
  "private",
  "unknown",
  "withheld",
  "unavailable",
  "blocked",
  "no caller id",
  "not available",
  "anonymous caller",
]);

const SEPARATORS = /[\s\-.()/\u00a0\u2010-\u2015]/g;

/**
 * Normalise a raw caller id to E.164, or tell why it is no identity.
 *
 * Accepts `+`, `00` and bare 11–15 digit international forms, with spaces, dashes, dots and
 * brackets, and `tel:` / `sip:` URIs whose user part is a number.
 *
 * @example
 * normaliseCallerId("+1 (555) 010-0123"); // { known: true, callerId: "+15550100123" }
 * normaliseCallerId("Restricted");        // { known: false, reason: "withheld" }
 */
export function normaliseCallerId(raw: unknown): CallerIdentity {
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0) return normaliseCallerId(String(raw));
  if (typeof raw !== "string") return { known: false, reason: "missing" };

  let text = raw.normalize("NFKC").trim();
  if (text === "") return { known: false, reason: "missing" };
  if (WITHHELD.has(text.toLowerCase().replace(/[_\s]+/g, " "))) return { known: false, reason: "withheld" };

  const uri = /^(?:tel|sip|sips):([^@;]*)/i.exec(text);
  if (uri) text = uri[1] ?? "";

  const compact = text.replace(SEPARATORS, "");
  let digits: string;
  if (/^\+\d+$/.test(compact)) digits = compact.slice(1);
  else if (/^00\d+$/.test(compact)) digits = compact.slice(2);
  else if (/^\d+$/.test(compact) && compact.length >= MIN_BARE_INTERNATIONAL_DIGITS && !compact.startsWith("0")) digits = compact;
  else if (/^\d+$/.test(compact)) return { known: false, reason: compact.length < MIN_DIGITS ? "too_short" : "national_number" };
  else return { known: false, reason: "not_a_phone_number" };

  if (digits.startsWith("0")) return { known: false, reason: "not_a_phone_number" };
  if (digits.length < MIN_DIGITS) return { known: false, reason: "too_short" };
  if (digits.length > MAX_DIGITS) return { known: false, reason: "too_long" };
  return { known: true, callerId: `+${digits}` as CallerId };
}

/** True when the value is already a normalised E.164 caller id. */
export function isCallerId(value: unknown): value is CallerId {
  if (typeof value !== "string") return false;
  const identity = normaliseCallerId(value);
  return identity.known && identity.callerId === value;
}

/**
 * Mask a phone number for logs: only the last four digits stay readable.
 *
 * @example
 * maskCallerId("+15550100123"); // "+*******0123"
 */
export function maskCallerId(value: string): string {
  const visible = 4;
  if (value.length <= visible) return "*".repeat(value.length);
  const head = value.startsWith("+") ? "+" : "";
  return head + "*".repeat(value.length - visible - head.length) + value.slice(-visible);
}
