/**
 * Caller identity: a phone number normalised to E.164, or no identity at all.
 *
 * Precision first: two different callers must never end up with the same id, so anything that is
 * not clearly one phone number (withheld, anonymous, SIP user names, numbers no numbering plan can
 * have) is *no identity*, and such callers never read or write memories.
 *
 * Numbers are read by the numbering plan (libphonenumber's metadata), not by hand: one given in
 * international form (`+…`, `00…`) is read on its own; one in national form only in a region (the
 * country of the number that was called, else the operator's default), and never as another
 * country's number: `13812345678` is a Chinese mobile in China and nothing at all without a region.
 * Any *possible* number is accepted (the right length for its plan), not only *valid* ones (a range
 * in service), so that the fictional +1 555-01xx numbers used in tests and demos stay usable.
 */
// libphonenumber-js is data and functions only (no I/O); "min" metadata: isPossible() and national
// readings need only each plan's lengths, prefixes and general pattern, which "min" has (~80 KB).
import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type PhoneNumber,
  type ValidatePhoneNumberLengthResult,
} from "libphonenumber-js/min";

/** A normalised E.164 phone number such as `+15550100123`. */
export type CallerId = string & { readonly __brand: "CallerId" };

/** An ISO 3166-1 alpha-2 country code libphonenumber has a numbering plan for (`US`, `GB`, `DE`…). */
export type Region = string & { readonly __brand: "Region" };

/**
 * Why a caller id is no identity. Stable codes: they are logged and named in the retrieve tool's error.
 * - `missing`: nothing sent (absent, null, empty, not a string or whole number).
 * - `withheld`: the network says the number is hidden (`anonymous`, `restricted`, `private`…).
 * - `not_a_phone_number`: not digits (a SIP user name, letters, an extension, two numbers, `+0…`).
 * - `national_number`: a number in national form (`5550100123`, `07700 900123`) with no region to read it in.
 * - `too_short` / `too_long`: fewer or more digits than the numbering plan it was read in ever has
 *   (or than E.164's 7–15).
 * - `impossible_number`: no such country code, or a length between those the plan has.
 */
export type NoIdentityReason =
  | "missing"
  | "withheld"
  | "not_a_phone_number"
  | "national_number"
  | "too_short"
  | "too_long"
  | "impossible_number";

export type CallerIdentity =
  | { readonly known: true; readonly callerId: CallerId }
  | { readonly known: false; readonly reason: NoIdentityReason };

export interface NormaliseOptions {
  /**
   * The region a number in national form is read in: that of the number the caller dialled (see
   * {@link regionOf}), else the operator's default. Absent, null or not a known region: national
   * numbers are refused (`national_number`).
   */
  readonly region?: string | null;
}

/** E.164 allows at most 15 digits; the shortest numbers in service have 7 including the country code. */
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;
/** A national number, with its trunk or international prefix, is never longer (libphonenumber reads at most 17 digits). */
const MAX_NATIONAL_DIGITS = 20;
const E164 = /^\+[1-9]\d{6,14}$/;

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

const LENGTH_PROBLEMS: Readonly<Record<ValidatePhoneNumberLengthResult, NoIdentityReason>> = {
  TOO_SHORT: "too_short",
  TOO_LONG: "too_long",
  INVALID_LENGTH: "impossible_number",
  INVALID_COUNTRY: "impossible_number",
  NOT_A_NUMBER: "not_a_phone_number",
};

/**
 * Normalise a raw caller id to E.164, or tell why it is no identity.
 *
 * Accepts `+` and `00` international forms, national forms when a region is given (its trunk
 * prefix, and its own international prefix such as `011` in the US, are read by its plan), with
 * spaces, dashes, dots and brackets (`+44 (0)20 …` included), and `tel:` / `sip:` URIs whose user
 * part is a number. A whole JSON number is read as its digits (so as a national number).
 *
 * @example
 * normaliseCallerId("+1 (555) 010-0123");             // { known: true, callerId: "+15550100123" }
 * normaliseCallerId("13812345678", { region: "CN" }); // { known: true, callerId: "+8613812345678" }
 * normaliseCallerId("13812345678");                   // { known: false, reason: "national_number" }
 * normaliseCallerId("Restricted");                    // { known: false, reason: "withheld" }
 */
export function normaliseCallerId(raw: unknown, options: NormaliseOptions = {}): CallerIdentity {
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0) return normaliseCallerId(String(raw), options);
  if (typeof raw !== "string") return { known: false, reason: "missing" };

  let text = raw.normalize("NFKC").trim();
  if (text === "") return { known: false, reason: "missing" };
  if (WITHHELD.has(text.toLowerCase().replace(/[_\s]+/g, " "))) return { known: false, reason: "withheld" };

  const uri = /^(?:tel|sip|sips):([^@;]*)/i.exec(text);
  if (uri) text = uri[1] ?? "";

  // Only digits, one leading `+` and separators: libphonenumber alone would also read letters
  // (vanity numbers), extensions and the first of two numbers, each a way to reach the wrong caller.
  const compact = text.replace(SEPARATORS, "");
  if (/^\+\d+$/.test(compact)) return international(compact.slice(1));
  if (!/^\d+$/.test(compact)) return { known: false, reason: "not_a_phone_number" };
  if (compact.length < MIN_DIGITS) return { known: false, reason: "too_short" };

  const region = asRegion(options.region);
  if (compact.startsWith("00")) {
    // The region's own international prefix first (`0011` in Australia, `00xx` carrier codes in
    // Brazil), then `00`, the international prefix of most of the world (no national number starts
    // with it). The region's reading counts only when it found a country code in the digits, not
    // when it read them as a (then impossible, `+1 004…`) national number.
    const own = region === null ? null : parse(compact, region);
    if (own?.isPossible() && compact.endsWith(own.countryCallingCode + own.nationalNumber)) return known(own);
    return international(compact.slice(2));
  }
  if (region === null) return { known: false, reason: "national_number" };
  if (compact.length > MAX_NATIONAL_DIGITS) return { known: false, reason: "too_long" };
  return possible(compact, region);
}

/**
 * The region whose numbering plan a number in international form belongs to, for reading other
 * numbers of the same call (`+15550100199` → `US`, the main country of +1 when the area code names
 * none); `null` when it is not such a number or belongs to no country (`+800…`).
 *
 * @example
 * regionOf("+44 20 7946 0958"); // "GB"
 * regionOf("5550100199");       // null
 */
export function regionOf(raw: unknown): Region | null {
  const identity = normaliseCallerId(raw);
  if (!identity.known) return null;
  const number = parsePhoneNumberFromString(identity.callerId);
  const region = number?.country ?? number?.getPossibleCountries()[0];
  return region === undefined ? null : (region as Region);
}

/**
 * An ISO 3166-1 alpha-2 code (any case, trimmed) as a {@link Region}, or `null` when libphonenumber
 * has no numbering plan for it (`UK` is not one: Great Britain is `GB`).
 *
 * @example
 * parseRegion("us"); // "US"
 * parseRegion("UK"); // null
 */
export function parseRegion(text: string): Region | null {
  const code = text.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code) ? (code as Region) : null;
}

/**
 * True when the value is an E.164 number as this module writes ids (`+`, then 7–15 digits, no
 * leading 0). A shape check, not a plan check: an id stored earlier must stay readable (and
 * erasable) when numbering-plan metadata changes.
 */
export function isCallerId(value: unknown): value is CallerId {
  return typeof value === "string" && E164.test(value);
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

/** Digits after the international prefix: country code and national number, read by that country's plan. */
function international(digits: string): CallerIdentity {
  if (digits.startsWith("0")) return { known: false, reason: "not_a_phone_number" };
  if (digits.length < MIN_DIGITS) return { known: false, reason: "too_short" };
  if (digits.length > MAX_DIGITS) return { known: false, reason: "too_long" };
  return possible(`+${digits}`, null);
}

/** The number if it is possible in its plan (read in `region` when national), else why not. */
function possible(text: string, region: CountryCode | null): CallerIdentity {
  const number = parse(text, region);
  if (number?.isPossible()) return known(number);
  const problem = validatePhoneNumberLength(text, region === null ? {} : { defaultCountry: region });
  return { known: false, reason: problem === undefined ? "impossible_number" : LENGTH_PROBLEMS[problem] };
}

function parse(text: string, region: CountryCode | null): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text, region === null ? {} : { defaultCountry: region });
}

function known(number: PhoneNumber): CallerIdentity {
  // libphonenumber's E.164 form; the shape is checked again so that no other string ever becomes an id.
  return E164.test(number.number) ? { known: true, callerId: number.number as CallerId } : { known: false, reason: "impossible_number" };
}

function asRegion(region: string | null | undefined): CountryCode | null {
  return typeof region === "string" ? (parseRegion(region) as CountryCode | null) : null;
}
