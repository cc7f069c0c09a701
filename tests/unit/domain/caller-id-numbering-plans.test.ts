import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { normaliseCallerId, regionOf, type NoIdentityReason } from "../../../domain/caller-id";

/**
 * Caller ids as phone systems of fifteen countries send them, read by each numbering plan.
 * Fictional or documented example numbers only: the NANP 555-01xx range, Ofcom's drama numbers
 * (020 7946 0xxx, 0113 496 0xxx, 07700 900xxx) and libphonenumber's example numbers for the other countries.
 */
interface Row {
  readonly raw: string;
  /** The region a national number is read in (the called number's, else DEFAULT_REGION); null: none. */
  readonly region: string | null;
  /** The E.164 id, or why the caller has none. */
  readonly expected: `+${string}` | NoIdentityReason;
  readonly why?: string;
}

const FORMATS: readonly Row[] = [
  // United States and Canada (NANP: trunk prefix 1, international prefix 011)
  { raw: "+1 (555) 010-0123", region: null, expected: "+15550100123" },
  { raw: "+1.555.010.0123", region: null, expected: "+15550100123" },
  { raw: "001 555 010 0123", region: null, expected: "+15550100123" },
  { raw: "tel:+1-555-010-0123", region: null, expected: "+15550100123" },
  { raw: "sip:+15550100123@sip.example.com", region: null, expected: "+15550100123" },
  { raw: "sip:5550100123@pbx.example.com;user=phone", region: "US", expected: "+15550100123" },
  { raw: "(555) 010-0123", region: "US", expected: "+15550100123" },
  { raw: "1-555-010-0123", region: "US", expected: "+15550100123", why: "1 is the NANP trunk prefix" },
  { raw: "011 44 20 7946 0958", region: "US", expected: "+442079460958", why: "011 is the US international prefix" },
  { raw: "(613) 555-0123", region: "CA", expected: "+16135550123" },
  { raw: "+1 613 555 0123", region: null, expected: "+16135550123" },
  { raw: "5550100123", region: null, expected: "national_number" },
  { raw: "15550100123", region: null, expected: "national_number", why: "11 digits starting with 1 are not guessed to be +1" },
  {
    raw: "13812345678",
    region: "US",
    expected: "+13812345678",
    why: "in the US plan this is the trunk prefix 1 and the 10-digit number 381 234 5678, a possible number",
  },
  { raw: "555-0100", region: "US", expected: "too_short", why: "a 7-digit local number without its area code" },
  { raw: "+1 555 010 012", region: null, expected: "too_short" },
  // United Kingdom (trunk prefix 0, international prefix 00)
  { raw: "+44 20 7946 0958", region: null, expected: "+442079460958" },
  { raw: "+44 (0)20 7946 0958", region: null, expected: "+442079460958" },
  { raw: "00 44 20 7946 0958", region: null, expected: "+442079460958" },
  { raw: "00 44 20 7946 0958", region: "US", expected: "+442079460958", why: "00 is not the US international prefix, but no US number starts with 0" },
  { raw: "020 7946 0958", region: "GB", expected: "+442079460958" },
  { raw: "0113 496 0123", region: "GB", expected: "+441134960123" },
  { raw: "07700 900123", region: "GB", expected: "+447700900123" },
  { raw: "+44 7700 900123", region: null, expected: "+447700900123" },
  { raw: "07700 900123", region: null, expected: "national_number" },
  { raw: "020 7946 0958", region: "US", expected: "too_long", why: "never read as a US number" },
  // Germany
  { raw: "+49 30 123456", region: null, expected: "+4930123456" },
  { raw: "+49 (0)30 123456", region: null, expected: "+4930123456" },
  { raw: "030 123456", region: "DE", expected: "+4930123456" },
  { raw: "0151 23456789", region: "DE", expected: "+4915123456789" },
  { raw: "0049 1512 3456789", region: "FR", expected: "+4915123456789" },
  // France
  { raw: "01 23 45 67 89", region: "FR", expected: "+33123456789" },
  { raw: "06.12.34.56.78", region: "FR", expected: "+33612345678" },
  { raw: "+33 (0)1 23 45 67 89", region: null, expected: "+33123456789" },
  { raw: "0033 6 12 34 56 78", region: null, expected: "+33612345678" },
  // Spain (no trunk prefix)
  { raw: "612 34 56 78", region: "ES", expected: "+34612345678" },
  { raw: "+34 810 12 34 56", region: null, expected: "+34810123456" },
  // Italy (the leading 0 of a fixed line is part of the number)
  { raw: "+39 02 1234 5678", region: null, expected: "+390212345678" },
  { raw: "02 1234 5678", region: "IT", expected: "+390212345678" },
  { raw: "312 345 6789", region: "IT", expected: "+393123456789" },
  // Netherlands
  { raw: "06-12345678", region: "NL", expected: "+31612345678" },
  { raw: "+31 (0)6 12345678", region: null, expected: "+31612345678" },
  { raw: "010 123 4567", region: "NL", expected: "+31101234567" },
  // Poland (no trunk prefix)
  { raw: "512 345 678", region: "PL", expected: "+48512345678" },
  { raw: "+48 12 345 67 89", region: null, expected: "+48123456789" },
  // India
  { raw: "+91 81234 56789", region: null, expected: "+918123456789" },
  { raw: "081234 56789", region: "IN", expected: "+918123456789" },
  { raw: "81234 56789", region: "IN", expected: "+918123456789" },
  // China
  { raw: "13812345678", region: "CN", expected: "+8613812345678" },
  { raw: "+86 138 1234 5678", region: null, expected: "+8613812345678" },
  { raw: "010 1234 5678", region: "CN", expected: "+861012345678" },
  { raw: "13812345678", region: null, expected: "national_number", why: "never +1 381…" },
  // Brazil (international prefix 00 plus a carrier code)
  { raw: "(11) 96123-4567", region: "BR", expected: "+5511961234567" },
  { raw: "+55 11 96123 4567", region: null, expected: "+5511961234567" },
  { raw: "0021 44 20 7946 0958", region: "BR", expected: "+442079460958" },
  // Australia (international prefix 0011)
  { raw: "0412 345 678", region: "AU", expected: "+61412345678" },
  { raw: "+61 2 1234 5678", region: null, expected: "+61212345678" },
  { raw: "0011 44 20 7946 0958", region: "AU", expected: "+442079460958" },
  // Japan (international prefix 010)
  { raw: "090-1234-5678", region: "JP", expected: "+819012345678" },
  { raw: "+81 3-1234-5678", region: null, expected: "+81312345678" },
  { raw: "010 44 20 7946 0958", region: "JP", expected: "+442079460958" },
  // Mexico
  { raw: "222 123 4567", region: "MX", expected: "+522221234567" },
  { raw: "+52 222 123 4567", region: null, expected: "+522221234567" },
  { raw: "+52 1 222 123 4567", region: null, expected: "too_long", why: "the mobile 1 was dropped from the plan in 2019" },
  // Ireland and South Africa
  { raw: "085 012 3456", region: "IE", expected: "+353850123456" },
  { raw: "071 123 4567", region: "ZA", expected: "+27711234567" },
  // No identity, whatever the region
  { raw: "anonymous", region: "US", expected: "withheld" },
  { raw: "Withheld", region: "GB", expected: "withheld" },
  { raw: "", region: "US", expected: "missing" },
  { raw: "sip:alice@pbx.example", region: "US", expected: "not_a_phone_number" },
  { raw: "+1 555 010 0123 ext. 4", region: "US", expected: "not_a_phone_number" },
  { raw: "+999 123 4567", region: null, expected: "impossible_number", why: "no such country code" },
];

describe("normaliseCallerId by the numbering plan", () => {
  it.each(FORMATS.map((row) => [row.raw, row.region ?? "no region", row.expected, row] as const))("reads %j in %s as %s", (_raw, _region, _expected, row) => {
    // Act
    const identity = normaliseCallerId(row.raw, { region: row.region });

    // Assess
    expect(identity).toEqual(row.expected.startsWith("+") ? { known: true, callerId: row.expected } : { known: false, reason: row.expected });
  });

  it("covers at least 40 formats from at least ten countries", () => {
    const countries = new Set(FORMATS.flatMap((row) => (row.expected.startsWith("+") ? [regionOf(row.expected)] : [])));

    expect(FORMATS.length).toBeGreaterThanOrEqual(40);
    expect(countries.size).toBeGreaterThanOrEqual(10);
  });

  it("reads a national caller id in the region of the number that was called", () => {
    // Prepare: the conversation-initiation webhook's called_number
    const region = regionOf("+15550100199");

    // Act
    const identity = normaliseCallerId("5550100123", { region });

    // Assess
    expect(region).toBe("US");
    expect(identity).toEqual({ known: true, callerId: "+15550100123" });
  });

  it("ignores a region it has no numbering plan for, as if none were given", () => {
    expect(normaliseCallerId("020 7946 0958", { region: "UK" })).toEqual({ known: false, reason: "national_number" });
    expect(normaliseCallerId("+44 20 7946 0958", { region: "UK" })).toEqual({ known: true, callerId: "+442079460958" });
  });

  it("never reads a national number as another country's (property)", () => {
    const CALLING_CODES: Readonly<Record<string, string>> = { US: "1", GB: "44", DE: "49", FR: "33", CN: "86", IN: "91", BR: "55", JP: "81", MX: "52", PL: "48" };
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{6,14}$/), fc.constantFrom(...Object.keys(CALLING_CODES)), (digits, region) => {
        const identity = normaliseCallerId(digits, { region });
        if (identity.known) expect(identity.callerId.startsWith(`+${CALLING_CODES[region]}`)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("regionOf", () => {
  it.each([
    ["+15550100199", "US"],
    ["+1 (613) 555-0123", "CA"],
    ["+44 20 7946 0958", "GB"],
    ["+447700900123", "GB"],
    ["+86 138 1234 5678", "CN"],
    ["+800 1234 5678", null],
    ["5550100199", null],
    ["anonymous", null],
    [undefined, null],
  ])("%j → %s", (raw, expected) => {
    expect(regionOf(raw)).toBe(expected);
  });
});
