import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { ElevenLabsClient, ElevenLabsError } from "@elevenlabs/elevenlabs-js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError, type DomainErrorCode } from "../../../domain/domain-error";
import { ok } from "../../../domain/result";
import {
  computeSignature,
  parseSignatureHeader,
  signatureHeader,
  verifySignature,
  type VerifySignatureInput,
} from "../../../domain/webhook-signature";

const RAW_BODY = readFileSync(new URL("../../fixtures/post-call-transcription.json", import.meta.url), "utf8");
const SECRET = "wsec_fixture_only_not_a_real_secret";
const NOW = 1_767_268_871;
const MINUTE = 60;
const HEX_A = "a".repeat(64);
const HEX_B = "b".repeat(64);
const SIGNATURE_CODES: readonly DomainErrorCode[] = [
  "SIGNATURE_MISSING",
  "SIGNATURE_MALFORMED",
  "SIGNATURE_STALE",
  "SIGNATURE_FROM_FUTURE",
  "SIGNATURE_MISMATCH",
];

const v0 = (t: number, body: string | Uint8Array = RAW_BODY, secret = SECRET): string => computeSignature(secret, t, body);
/** What a sender with an empty key would send (computeSignature refuses to make it). */
const emptyKeyV0 = (t: number): string => createHmac("sha256", "").update(`${t}.${RAW_BODY}`).digest("hex");

/** The body with one bit flipped inside a string value, so it is still valid JSON. */
function flipOneByte(body: string): string {
  const bytes = Buffer.from(body, "utf8");
  const index = bytes.indexOf("Quenby") + 2;
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes.toString("utf8");
}

function expectSignatureError(result: { ok: boolean; error?: unknown }, code: DomainErrorCode): void {
  expect(result.ok).toBe(false);
  expect(result.error).toBeInstanceOf(DomainError);
  expect(result.error).toMatchObject({ code, field: "ElevenLabs-Signature" });
}

describe("parseSignatureHeader", () => {
  it.each([
    { name: "the canonical form", header: `t=${NOW},v0=${HEX_A}`, signatures: [HEX_A] },
    { name: "spaces around elements", header: `  t=${NOW} ,  v0=${HEX_A}  `, signatures: [HEX_A] },
    { name: "spaces around =", header: `t = ${NOW},v0 =  ${HEX_A}`, signatures: [HEX_A] },
    { name: "tabs and newlines around elements", header: `\tt=${NOW}\n,\tv0=${HEX_A}\r\n`, signatures: [HEX_A] },
    { name: "v0 before t", header: `v0=${HEX_A},t=${NOW}`, signatures: [HEX_A] },
    { name: "unknown keys (ignored)", header: `t=${NOW},v1=${HEX_B},scheme=x,v0=${HEX_A}`, signatures: [HEX_A] },
    { name: "an element without = (ignored)", header: `t=${NOW},garbage,v0=${HEX_A}`, signatures: [HEX_A] },
    { name: "empty elements (ignored)", header: `,t=${NOW},,v0=${HEX_A},`, signatures: [HEX_A] },
    { name: "several v0, in order", header: `t=${NOW},v0=${HEX_A},v0=${HEX_B}`, signatures: [HEX_A, HEX_B] },
    { name: "a v0 that is not hex (kept; it will not match)", header: `t=${NOW},v0=not-hex`, signatures: ["not-hex"] },
    { name: "a v0 value containing =", header: `t=${NOW},v0=ab=cd`, signatures: ["ab=cd"] },
    { name: "t=0", header: `t=0,v0=${HEX_A}`, signatures: [HEX_A], timestamp: 0 },
  ])("accepts $name", ({ header, signatures, timestamp = NOW }) => {
    // Prepare: the cases above
    // Act
    const result = parseSignatureHeader(header);
    // Assess
    expect(result).toEqual(ok({ timestamp, signatures }));
  });

  it.each<{ name: string; header: string | null | undefined; code: DomainErrorCode }>([
    { name: "undefined", header: undefined, code: "SIGNATURE_MISSING" },
    { name: "null", header: null, code: "SIGNATURE_MISSING" },
    { name: "an empty string", header: "", code: "SIGNATURE_MISSING" },
    { name: "only whitespace", header: "  \t ", code: "SIGNATURE_MISSING" },
    { name: "only commas", header: ",,,", code: "SIGNATURE_MALFORMED" },
    { name: "garbage", header: "hello world", code: "SIGNATURE_MALFORMED" },
    { name: "only = and commas", header: "=,=,=", code: "SIGNATURE_MALFORMED" },
    { name: "a bare hex digest", header: HEX_A, code: "SIGNATURE_MALFORMED" },
    { name: "no t", header: `v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "no v0", header: `t=${NOW}`, code: "SIGNATURE_MALFORMED" },
    { name: "only a v1", header: `t=${NOW},v1=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "upper-case keys (keys are case-sensitive)", header: `T=${NOW},V0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "an empty t", header: `t=,v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "t=abc", header: `t=abc,v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "t=1.5", header: `t=1.5,v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "a negative t", header: `t=-5,v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "a t with a + sign", header: `t=+${NOW},v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "a t with leading zeros", header: `t=0${NOW},v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "a t in exponent notation", header: `t=1.7e9,v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "a t in hex notation", header: `t=0x10,v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "a t with full-width digits", header: `t=１２３,v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "a t beyond the safe integers", header: `t=99999999999999999999,v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "a t with a space inside", header: `t=17 67,v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "two t elements", header: `t=${NOW},t=${NOW + 1},v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
    { name: "an empty v0", header: `t=${NOW},v0=`, code: "SIGNATURE_MALFORMED" },
    { name: "an empty v0 beside a full one", header: `t=${NOW},v0=${HEX_A},v0= `, code: "SIGNATURE_MALFORMED" },
    { name: "; instead of , as separator", header: `t=${NOW};v0=${HEX_A}`, code: "SIGNATURE_MALFORMED" },
  ])("refuses $name with $code", ({ header, code }) => {
    // Prepare: the cases above
    // Act
    const result = parseSignatureHeader(header);
    // Assess
    expectSignatureError(result, code);
  });
});

describe("computeSignature and signatureHeader", () => {
  it("reproduces the known-answer vector of the fixtures README", () => {
    // Prepare
    const t = 1_767_268_871;
    // Act
    const header = signatureHeader(SECRET, RAW_BODY, t);
    // Assess
    expect(header).toBe("t=1767268871,v0=82a04fbff366f26ed38b66ed541a54b9c0875661d40a961252b8a8b8220f9e4f");
  });

  it("is the lowercase hex HMAC-SHA256 of `t.rawBody`", () => {
    // Prepare
    const expected = createHmac("sha256", SECRET).update(`${NOW}.${RAW_BODY}`).digest("hex");
    // Act
    const signature = computeSignature(SECRET, NOW, RAW_BODY);
    // Assess
    expect(signature).toBe(expected);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    { name: "non-ASCII UTF-8 text", text: "Grüße aus Zürich, 東京, São Paulo 🎉 — naïve café" },
    { name: "a string with a lone surrogate (encoded as U+FFFD)", text: "broken \ud800 pair" },
  ])("signs a Uint8Array of $name like the string", ({ text }) => {
    // Prepare
    const bytes = new TextEncoder().encode(text);
    // Act
    const fromBytes = computeSignature(SECRET, NOW, bytes);
    const fromString = computeSignature(SECRET, NOW, text);
    // Assess
    expect(fromBytes).toBe(fromString);
    expect(verifySignature({ header: signatureHeader(SECRET, text, NOW), rawBody: bytes, secret: SECRET, nowSecs: NOW })).toEqual(
      ok({ timestamp: NOW }),
    );
  });

  it("signs bytes as they are, without decoding them", () => {
    // Prepare: the same text as Latin-1 bytes, and bytes that are not valid UTF-8 at all
    const text = "Grüße";
    const latin1 = new Uint8Array(Buffer.from(text, "latin1"));
    const invalidUtf8 = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    // Act
    const latin1Signature = computeSignature(SECRET, NOW, latin1);
    const invalidUtf8Verified = verifySignature({
      header: signatureHeader(SECRET, invalidUtf8, NOW),
      rawBody: invalidUtf8,
      secret: SECRET,
      nowSecs: NOW,
    });
    // Assess
    expect(latin1Signature).not.toBe(computeSignature(SECRET, NOW, text));
    expect(latin1Signature).toBe(createHmac("sha256", SECRET).update(Buffer.concat([Buffer.from(`${NOW}.`), latin1])).digest("hex"));
    expect(invalidUtf8Verified).toEqual(ok({ timestamp: NOW }));
    expect(verifySignature({ header: signatureHeader(SECRET, invalidUtf8, NOW), rawBody: "{\ufffd\ufffd}", secret: SECRET, nowSecs: NOW }).ok).toBe(
      false,
    );
  });

  it.each([
    { name: "an empty secret", secret: "", t: NOW },
    { name: "a negative timestamp", secret: SECRET, t: -1 },
    { name: "a fractional timestamp", secret: SECRET, t: NOW + 0.5 },
    { name: "a NaN timestamp", secret: SECRET, t: Number.NaN },
  ])("throws a RangeError for $name (a programming error)", ({ secret, t }) => {
    // Prepare: the cases above
    // Act
    const sign = (): string => signatureHeader(secret, RAW_BODY, t);
    // Assess
    expect(sign).toThrow(RangeError);
  });
});

describe("verifySignature", () => {
  type Case = { name: string; input: Partial<VerifySignatureInput> & { header: string | null | undefined } };
  const at = (t: number, ...signatures: string[]): string => [`t=${t}`, ...signatures.map((s) => `v0=${s}`)].join(",");

  it.each<Case & { t?: number }>([
    { name: "a valid signature", input: { header: signatureHeader(SECRET, RAW_BODY, NOW) } },
    { name: "a signature 29 minutes old", input: { header: at(NOW - 29 * MINUTE, v0(NOW - 29 * MINUTE)) }, t: NOW - 29 * MINUTE },
    { name: "a signature exactly 30 minutes old", input: { header: at(NOW - 30 * MINUTE, v0(NOW - 30 * MINUTE)) }, t: NOW - 30 * MINUTE },
    { name: "a signature 4 minutes in the future", input: { header: at(NOW + 4 * MINUTE, v0(NOW + 4 * MINUTE)) }, t: NOW + 4 * MINUTE },
    { name: "a signature exactly 5 minutes in the future", input: { header: at(NOW + 5 * MINUTE, v0(NOW + 5 * MINUTE)) }, t: NOW + 5 * MINUTE },
    { name: "a second valid v0 among bad ones", input: { header: at(NOW, HEX_A, "zz", v0(NOW), HEX_B) } },
    { name: "the header with spaces and unknown keys", input: { header: ` v0 = ${v0(NOW)} , v1=${HEX_A}, t = ${NOW} ` } },
    { name: "a custom max age", input: { header: at(NOW - 2 * MINUTE, v0(NOW - 2 * MINUTE)), maxAgeSecs: 3 * MINUTE }, t: NOW - 2 * MINUTE },
    { name: "a fractional now", input: { header: at(NOW, v0(NOW)), nowSecs: NOW + 0.999 } },
  ])("accepts $name", ({ input, t = NOW }) => {
    // Prepare
    const full: VerifySignatureInput = { rawBody: RAW_BODY, secret: SECRET, nowSecs: NOW, ...input };
    // Act
    const result = verifySignature(full);
    // Assess
    expect(result).toEqual(ok({ timestamp: t }));
  });

  it.each<Case & { code: DomainErrorCode }>([
    { name: "a missing header", input: { header: undefined }, code: "SIGNATURE_MISSING" },
    { name: "an empty header", input: { header: "" }, code: "SIGNATURE_MISSING" },
    { name: "a header without v0", input: { header: `t=${NOW}` }, code: "SIGNATURE_MALFORMED" },
    { name: "a body with one byte flipped", input: { header: at(NOW, v0(NOW)), rawBody: flipOneByte(RAW_BODY) }, code: "SIGNATURE_MISMATCH" },
    { name: "a body with a trailing newline added", input: { header: at(NOW, v0(NOW)), rawBody: `${RAW_BODY}\n` }, code: "SIGNATURE_MISMATCH" },
    { name: "a re-serialised body", input: { header: at(NOW, v0(NOW)), rawBody: JSON.stringify(JSON.parse(RAW_BODY)) }, code: "SIGNATURE_MISMATCH" },
    { name: "the wrong secret", input: { header: at(NOW, v0(NOW)), secret: "wsec_someone_else" }, code: "SIGNATURE_MISMATCH" },
    { name: "an empty secret (fails closed)", input: { header: at(NOW, emptyKeyV0(NOW)), secret: "" }, code: "SIGNATURE_MISMATCH" },
    { name: "a signature 31 minutes old", input: { header: at(NOW - 31 * MINUTE, v0(NOW - 31 * MINUTE)) }, code: "SIGNATURE_STALE" },
    { name: "a signature 30 minutes and 1 s old", input: { header: at(NOW - 1801, v0(NOW - 1801)) }, code: "SIGNATURE_STALE" },
    { name: "a signature 6 minutes in the future", input: { header: at(NOW + 6 * MINUTE, v0(NOW + 6 * MINUTE)) }, code: "SIGNATURE_FROM_FUTURE" },
    { name: "a signature 5 minutes and 1 s in the future", input: { header: at(NOW + 301, v0(NOW + 301)) }, code: "SIGNATURE_FROM_FUTURE" },
    { name: "an upper-case hex signature", input: { header: at(NOW, v0(NOW).toUpperCase()) }, code: "SIGNATURE_MISMATCH" },
    { name: "a truncated signature", input: { header: at(NOW, v0(NOW).slice(0, 63)) }, code: "SIGNATURE_MISMATCH" },
    { name: "a signature with a byte appended", input: { header: at(NOW, `${v0(NOW)}00`) }, code: "SIGNATURE_MISMATCH" },
    { name: "a base64 signature", input: { header: at(NOW, Buffer.from(v0(NOW), "hex").toString("base64")) }, code: "SIGNATURE_MISMATCH" },
    { name: "only bad v0 values", input: { header: at(NOW, HEX_A, HEX_B, "not-hex") }, code: "SIGNATURE_MISMATCH" },
    { name: "a valid v0 moved to another t (replay)", input: { header: at(NOW + 1, v0(NOW)) }, code: "SIGNATURE_MISMATCH" },
    { name: "a stale and wrong signature (stale is checked first)", input: { header: at(NOW - 31 * MINUTE, HEX_A) }, code: "SIGNATURE_STALE" },
    { name: "a future and wrong signature (future is checked first)", input: { header: at(NOW + 6 * MINUTE, HEX_A) }, code: "SIGNATURE_FROM_FUTURE" },
    { name: "a malformed header and empty secret (malformed first)", input: { header: "t=abc", secret: "" }, code: "SIGNATURE_MALFORMED" },
    {
      name: "a signature older than a custom max age",
      input: { header: at(NOW - 2 * MINUTE, v0(NOW - 2 * MINUTE)), maxAgeSecs: MINUTE },
      code: "SIGNATURE_STALE",
    },
    { name: "any future t with maxFutureSecs 0", input: { header: at(NOW + 1, v0(NOW + 1)), maxFutureSecs: 0 }, code: "SIGNATURE_FROM_FUTURE" },
  ])("refuses $name with $code", ({ input, code }) => {
    // Prepare
    const full: VerifySignatureInput = { rawBody: RAW_BODY, secret: SECRET, nowSecs: NOW, ...input };
    // Act
    const result = verifySignature(full);
    // Assess
    expectSignatureError(result, code);
  });

  it.each([
    { name: "a NaN now", options: { nowSecs: Number.NaN } },
    { name: "an infinite now", options: { nowSecs: Number.POSITIVE_INFINITY } },
    { name: "a negative max age", options: { maxAgeSecs: -1 } },
    { name: "a NaN max future", options: { maxFutureSecs: Number.NaN } },
  ])("throws a RangeError for $name rather than skipping the time checks", ({ options }) => {
    // Prepare
    const input: VerifySignatureInput = { header: at(NOW, v0(NOW)), rawBody: RAW_BODY, secret: SECRET, nowSecs: NOW, ...options };
    // Act
    const verify = (): unknown => verifySignature(input);
    // Assess
    expect(verify).toThrow(RangeError);
  });
});

describe("verifySignature agrees with the official SDK verifier (@elevenlabs/elevenlabs-js constructEvent)", () => {
  type Outcome = "accept" | "reject";
  type Variant = { name: string; header: (now: number) => string; secret?: string; body?: string };

  const webhooks = new ElevenLabsClient({ apiKey: "unused" }).webhooks;
  // The SDK reads the real clock, so every variant is signed relative to it.
  const realNow = (): number => Math.floor(Date.now() / 1000);

  async function sdkOutcome(rawBody: string, header: string, secret: string): Promise<Outcome> {
    try {
      await webhooks.constructEvent(rawBody, header, secret);
      return "accept";
    } catch (error) {
      expect(error).toBeInstanceOf(ElevenLabsError);
      return "reject";
    }
  }

  async function outcomes(variant: Variant): Promise<{ ours: Outcome; sdk: Outcome }> {
    const now = realNow();
    const header = variant.header(now);
    const rawBody = variant.body ?? RAW_BODY;
    const secret = variant.secret ?? SECRET;
    const ours = verifySignature({ header, rawBody, secret, nowSecs: now }).ok ? "accept" : "reject";
    return { ours, sdk: await sdkOutcome(rawBody, header, secret) };
  }

  it.each<Variant & { both: Outcome }>([
    { name: "a valid signature", header: (now) => signatureHeader(SECRET, RAW_BODY, now), both: "accept" },
    { name: "v0 before t", header: (now) => `v0=${v0(now)},t=${now}`, both: "accept" },
    { name: "an unknown extra element", header: (now) => `t=${now},v0=${v0(now)},v1=${HEX_A}`, both: "accept" },
    { name: "a signature 29 minutes old", header: (now) => signatureHeader(SECRET, RAW_BODY, now - 29 * MINUTE), both: "accept" },
    { name: "a body with one byte flipped", header: (now) => signatureHeader(SECRET, RAW_BODY, now), body: flipOneByte(RAW_BODY), both: "reject" },
    { name: "the wrong secret", header: (now) => signatureHeader(SECRET, RAW_BODY, now), secret: "wsec_someone_else", both: "reject" },
    { name: "an empty secret", header: (now) => `t=${now},v0=${emptyKeyV0(now)}`, secret: "", both: "reject" },
    { name: "a signature 31 minutes old", header: (now) => signatureHeader(SECRET, RAW_BODY, now - 31 * MINUTE), both: "reject" },
    { name: "no v0", header: (now) => `t=${now}`, both: "reject" },
    { name: "no t", header: (now) => `v0=${v0(now)}`, both: "reject" },
    { name: "an empty header", header: () => "", both: "reject" },
    { name: "an upper-case hex signature", header: (now) => `t=${now},v0=${v0(now).toUpperCase()}`, both: "reject" },
    { name: "a valid v0 moved to another t", header: (now) => `t=${now - 1},v0=${v0(now)}`, both: "reject" },
  ])("both $both $name", async (variant) => {
    // Prepare: the variant above, signed against the real clock
    // Act
    const { ours, sdk } = await outcomes(variant);
    // Assess
    expect({ ours, sdk }).toEqual({ ours: variant.both, sdk: variant.both });
  });

  it.each<Variant & { ours: Outcome; sdk: Outcome; why: string }>([
    {
      name: "a signature 10 minutes in the future",
      header: (now) => signatureHeader(SECRET, RAW_BODY, now + 10 * MINUTE),
      ours: "reject",
      sdk: "accept",
      why: "the SDK has no upper bound on t; we allow 5 minutes of clock skew",
    },
    {
      name: "spaces after the commas",
      header: (now) => `t=${now}, v0=${v0(now)}`,
      ours: "accept",
      sdk: "reject",
      why: "the SDK matches elements with startsWith('v0='); we trim around elements",
    },
    {
      name: "a valid second v0 after a bad first one",
      header: (now) => `t=${now},v0=${HEX_A},v0=${v0(now)}`,
      ours: "accept",
      sdk: "reject",
      why: "the SDK only looks at the first v0; we accept any (secret rotation)",
    },
    {
      name: "a non-numeric t that is signed",
      header: () => `t=abc,v0=${createHmac("sha256", SECRET).update(`abc.${RAW_BODY}`).digest("hex")}`,
      ours: "reject",
      sdk: "accept",
      why: "Number('abc') is NaN, so the SDK's age check never fires; we require an integer t",
    },
  ])("deliberately differ on $name: ours $ours, SDK $sdk ($why)", async (variant) => {
    // Prepare: the variant above, signed against the real clock
    // Act
    const { ours, sdk } = await outcomes(variant);
    // Assess
    expect({ ours, sdk }).toEqual({ ours: variant.ours, sdk: variant.sdk });
  });
});

describe("properties", () => {
  // Header-like strings: mostly the pieces of a real header, so that generated inputs get past the first checks.
  const headerPieces = fc
    .array(
      fc.oneof(
        fc.constantFrom("t=", "v0=", "v1=", ",", " ", "=", "\t", "-", "+", ".", "e", "T", "V0="),
        fc.stringMatching(/^\d{1,12}$/),
        fc.stringMatching(/^[0-9a-fA-F]{1,64}$/),
        fc.constant(HEX_A),
      ),
      { maxLength: 20 },
    )
    .map((pieces) => pieces.join(""));
  const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
  const anyHeader = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.string({ unit: utf16Unit }),
    headerPieces,
    fc.constantFrom(null, undefined),
  );
  const anyBody = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: utf16Unit }), fc.uint8Array());
  const anyTimestamp = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  // HMAC zero-pads short keys, so "k" and "k\0" are the same key; keep NUL out where secrets must differ.
  const anySecret = fc.string({ unit: "binary", minLength: 1 }).filter((secret) => !secret.includes("\0"));

  it("parseSignatureHeader never throws and returns a well-formed value or a signature error", () => {
    fc.assert(
      fc.property(anyHeader, (header) => {
        const result = parseSignatureHeader(header);
        if (result.ok) {
          expect(Number.isSafeInteger(result.value.timestamp) && result.value.timestamp >= 0).toBe(true);
          expect(result.value.signatures.length).toBeGreaterThan(0);
          expect(result.value.signatures).not.toContain("");
        } else {
          expect(result.error).toBeInstanceOf(DomainError);
          expect(SIGNATURE_CODES).toContain(result.error.code);
          expect(result.error.field).toBe("ElevenLabs-Signature");
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("verifySignature never throws for any header, body, secret and time", () => {
    fc.assert(
      fc.property(anyHeader, anyBody, fc.string({ unit: "binary" }), anyTimestamp, (header, rawBody, secret, nowSecs) => {
        const result = verifySignature({ header, rawBody, secret, nowSecs });
        if (!result.ok) expect(SIGNATURE_CODES).toContain(result.error.code);
      }),
      { numRuns: 2000 },
    );
  });

  it("a header made by signatureHeader always verifies at its own time", () => {
    fc.assert(
      fc.property(anyBody, anySecret, anyTimestamp, (rawBody, secret, t) => {
        expect(verifySignature({ header: signatureHeader(secret, rawBody, t), rawBody, secret, nowSecs: t })).toEqual(ok({ timestamp: t }));
      }),
    );
  });

  it("a header made by signatureHeader never verifies with another secret or another body", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1 }), anySecret, anySecret, anyTimestamp, fc.nat(), (rawBody, secret, otherSecret, t, at) => {
        fc.pre(secret !== otherSecret);
        const header = signatureHeader(secret, rawBody, t);
        const tampered = Uint8Array.from(rawBody);
        const index = at % tampered.length;
        tampered[index] = (tampered[index] ?? 0) ^ 0x01;

        expectSignatureError(verifySignature({ header, rawBody, secret: otherSecret, nowSecs: t }), "SIGNATURE_MISMATCH");
        expectSignatureError(verifySignature({ header, rawBody: tampered, secret, nowSecs: t }), "SIGNATURE_MISMATCH");
      }),
    );
  });
});
