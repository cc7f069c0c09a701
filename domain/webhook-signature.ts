/**
 * Webhook signature policy for ElevenLabs post-call webhooks.
 *
 * `ElevenLabs-Signature: t=<unix secs>,v0=<lowercase hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * We accept what the official SDK accepts, with three deliberate differences: a `t` more than
 * `maxFutureSecs` ahead is refused (the SDK has no upper bound), the comparison is constant-time, and the
 * header may carry spaces and several `v0` values (any may match, as during a secret rotation).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { DomainError } from "./domain-error";
import { err, ok, type Result } from "./result";

/** The HTTP header that carries the signature (Node lowercases it to `elevenlabs-signature`). */
export const SIGNATURE_HEADER = "ElevenLabs-Signature";
/** Same past tolerance as the SDK: 30 minutes. */
const DEFAULT_MAX_AGE_SECS = 1800;
/** Clock skew we tolerate the other way: 5 minutes. */
const DEFAULT_MAX_FUTURE_SECS = 300;

export type ParsedSignatureHeader = { readonly timestamp: number; readonly signatures: string[] };

export type VerifySignatureInput = {
  readonly header: string | null | undefined;
  readonly rawBody: string | Uint8Array;
  readonly secret: string;
  /** The current time in unix seconds (the domain reads no clock). */
  readonly nowSecs: number;
  /** Oldest accepted `t`, in seconds before `nowSecs`. Default {@link DEFAULT_MAX_AGE_SECS}. */
  readonly maxAgeSecs?: number;
  /** Newest accepted `t`, in seconds after `nowSecs`. Default {@link DEFAULT_MAX_FUTURE_SECS}. */
  readonly maxFutureSecs?: number;
};

/**
 * A canonical unsigned decimal: the digits of `t` are part of the signed message, so `t=0123` or `t=+123`
 * (which the sender cannot have meant) would sign different bytes than the number they denote.
 */
const CANONICAL_INTEGER = /^(?:0|[1-9]\d*)$/;
/** What ElevenLabs sends and the SDK compares against: 32 bytes as lowercase hex. Uppercase is refused like the SDK does. */
const LOWERCASE_SHA256_HEX = /^[0-9a-f]{64}$/;

const failure = (code: DomainError["code"], message: string): Result<never> =>
  err(new DomainError(code, message, { field: SIGNATURE_HEADER }));

/**
 * Parse an `ElevenLabs-Signature` header. Never throws.
 *
 * Elements are comma-separated `key=value` pairs in any order; spaces around elements and around `=` are
 * ignored, as are unknown keys and elements without `=`. Exactly one `t` (a canonical non-negative
 * integer) and at least one `v0` (every `v0` non-empty) are required. `v0` values are not checked
 * here: one that is not 64 lowercase hex characters simply never matches.
 *
 * @example
 * parseSignatureHeader("t=1767268871, v0=82a0…9e4f"); // ok({ timestamp: 1767268871, signatures: ["82a0…9e4f"] })
 * parseSignatureHeader("v0=82a0…9e4f");              // err(SIGNATURE_MALFORMED)
 * parseSignatureHeader(undefined);                   // err(SIGNATURE_MISSING)
 */
export function parseSignatureHeader(header: string | null | undefined): Result<ParsedSignatureHeader> {
  if (typeof header !== "string" || header.trim() === "") {
    return failure("SIGNATURE_MISSING", `${SIGNATURE_HEADER} header is missing`);
  }

  const timestamps: string[] = [];
  const signatures: string[] = [];
  for (const element of header.split(",")) {
    const separator = element.indexOf("=");
    if (separator < 0) continue;
    const key = element.slice(0, separator).trim();
    const value = element.slice(separator + 1).trim();
    if (key === "t") timestamps.push(value);
    else if (key === "v0") signatures.push(value);
  }

  const [t, ...otherTimestamps] = timestamps;
  if (t === undefined) return failure("SIGNATURE_MALFORMED", `${SIGNATURE_HEADER} has no t= element`);
  if (otherTimestamps.length > 0) return failure("SIGNATURE_MALFORMED", `${SIGNATURE_HEADER} has more than one t= element`);
  const timestamp = Number(t);
  if (!CANONICAL_INTEGER.test(t) || !Number.isSafeInteger(timestamp)) {
    return failure("SIGNATURE_MALFORMED", `${SIGNATURE_HEADER} t= is not a unix time in whole seconds`);
  }
  if (signatures.length === 0) return failure("SIGNATURE_MALFORMED", `${SIGNATURE_HEADER} has no v0= element`);
  if (signatures.includes("")) return failure("SIGNATURE_MALFORMED", `${SIGNATURE_HEADER} has an empty v0= element`);

  return ok({ timestamp, signatures });
}

function assertSigningInputs(secret: string, timestamp: number): void {
  if (secret === "") throw new RangeError("webhook secret is empty: refusing to sign");
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp must be a non-negative integer of unix seconds, got ${timestamp}`);
  }
}

function hmacDigest(secret: string, timestamp: number, rawBody: string | Uint8Array): Buffer {
  const hmac = createHmac("sha256", secret).update(`${timestamp}.`, "utf8");
  // Strings are signed as UTF-8; bytes are signed as they are, never decoded and re-encoded.
  if (typeof rawBody === "string") hmac.update(rawBody, "utf8");
  else hmac.update(rawBody);
  return hmac.digest();
}

/**
 * The `v0` value for a body: lowercase hex HMAC-SHA256 of `"<timestamp>.<raw body>"` keyed by the secret.
 * A `Uint8Array` body is hashed as bytes, a string as its UTF-8 encoding.
 * Throws a `RangeError` for an empty secret or a timestamp that is not a non-negative integer (programming errors).
 *
 * @example
 * computeSignature("wsec_fixture_only_not_a_real_secret", 1767268871, rawBody); // "82a04fbf…9e4f"
 */
export function computeSignature(secret: string, timestamp: number, rawBody: string | Uint8Array): string {
  assertSigningInputs(secret, timestamp);
  return hmacDigest(secret, timestamp, rawBody).toString("hex");
}

/**
 * A complete `ElevenLabs-Signature` header value, as ElevenLabs would send it (used by the CLI and tests).
 * Throws like {@link computeSignature}.
 *
 * @example
 * signatureHeader(secret, rawBody, Math.floor(Date.now() / 1000)); // "t=1767268871,v0=82a04fbf…9e4f"
 */
export function signatureHeader(secret: string, rawBody: string | Uint8Array, timestamp: number): string {
  return `t=${timestamp},v0=${computeSignature(secret, timestamp, rawBody)}`;
}

function matchesAny(expected: Buffer, signatures: readonly string[]): boolean {
  let matched = false;
  // Every candidate is compared (no early exit), each in constant time over 32 bytes.
  for (const signature of signatures) {
    if (!LOWERCASE_SHA256_HEX.test(signature)) continue;
    matched = timingSafeEqual(expected, Buffer.from(signature, "hex")) || matched;
  }
  return matched;
}

/**
 * Verify the signature of a webhook body. Never throws for any header, body or secret.
 *
 * Checks, in this order: header missing → malformed → stale (`t < nowSecs − maxAgeSecs`) → from the future
 * (`t > nowSecs + maxFutureSecs`) → mismatch (no `v0` equals the HMAC). An empty secret never verifies: it
 * yields SIGNATURE_MISMATCH, so a missing configuration fails closed instead of accepting every body.
 * Throws a `RangeError` only when `nowSecs` or a tolerance is not a finite number (≥ 0 for tolerances).
 *
 * @example
 * const verified = verifySignature({ header: headers["elevenlabs-signature"], rawBody, secret, nowSecs: clock.nowSecs() });
 * if (!verified.ok) return unauthorized(verified.error.code); // e.g. "SIGNATURE_STALE"
 */
export function verifySignature(input: VerifySignatureInput): Result<{ timestamp: number }> {
  const { header, rawBody, secret, nowSecs, maxAgeSecs = DEFAULT_MAX_AGE_SECS, maxFutureSecs = DEFAULT_MAX_FUTURE_SECS } = input;
  if (!Number.isFinite(nowSecs)) throw new RangeError(`nowSecs must be a finite number, got ${nowSecs}`);
  if (!Number.isFinite(maxAgeSecs) || maxAgeSecs < 0) throw new RangeError(`maxAgeSecs must be ≥ 0, got ${maxAgeSecs}`);
  if (!Number.isFinite(maxFutureSecs) || maxFutureSecs < 0) throw new RangeError(`maxFutureSecs must be ≥ 0, got ${maxFutureSecs}`);

  const parsed = parseSignatureHeader(header);
  if (!parsed.ok) return parsed;
  const { timestamp, signatures } = parsed.value;

  if (timestamp < nowSecs - maxAgeSecs) {
    return failure("SIGNATURE_STALE", `${SIGNATURE_HEADER} t= is more than ${maxAgeSecs} s in the past`);
  }
  if (timestamp > nowSecs + maxFutureSecs) {
    return failure("SIGNATURE_FROM_FUTURE", `${SIGNATURE_HEADER} t= is more than ${maxFutureSecs} s in the future`);
  }
  if (secret === "" || !matchesAny(hmacDigest(secret, timestamp, rawBody), signatures)) {
    return failure("SIGNATURE_MISMATCH", `${SIGNATURE_HEADER} does not match the body`);
  }
  return ok({ timestamp });
}
