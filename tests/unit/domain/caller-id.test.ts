import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isCallerId, maskCallerId, normaliseCallerId } from "../../../domain/caller-id";

describe("normaliseCallerId", () => {
  it.each([
    ["+15550100123", "+15550100123"],
    ["+1 (555) 010-0123", "+15550100123"],
    ["+1 555 010 0123", "+15550100123"],
    ["+1-555-010-0123", "+15550100123"],
    ["+1.555.010.0123", "+15550100123"],
    ["001 555 010 0123", "+15550100123"],
    ["0015550100123", "+15550100123"],
    ["  +15550100123  ", "+15550100123"],
    ["tel:+15550100123", "+15550100123"],
    ["sip:+15550100123@sip.example.com", "+15550100123"],
    ["+44 20 7946 0958", "+442079460958"],
    ["+1\u00a0555\u00a0010\u00a00123", "+15550100123"],
    ["\uff0b\uff11\uff15\uff15\uff15\uff10\uff11\uff10\uff10\uff11\uff12\uff13", "+15550100123"],
  ])("normalises %j to %s", (raw, expected) => {
    const identity = normaliseCallerId(raw);

    expect(identity).toEqual({ known: true, callerId: expected });
  });

  it.each([
    ["15550100123", "+15550100123"],
    ["5550100123", "+15550100123"],
    [15550100123, "+15550100123"],
    [5550100123, "+15550100123"],
  ])("reads the national number %j in the US as %s", (raw, expected) => {
    const identity = normaliseCallerId(raw, { region: "US" });

    expect(identity).toEqual({ known: true, callerId: expected });
  });

  it.each([
    ["anonymous", "withheld"],
    ["Anonymous", "withheld"],
    ["Restricted", "withheld"],
    ["RESTRICTED", "withheld"],
    ["private", "withheld"],
    ["unknown", "withheld"],
    ["Withheld", "withheld"],
    ["unavailable", "withheld"],
    ["", "missing"],
    ["   ", "missing"],
    [null, "missing"],
    [undefined, "missing"],
    [{}, "missing"],
    [["+15550100123"], "missing"],
    ["client:alice", "not_a_phone_number"],
    ["sip:alice@example.com", "not_a_phone_number"],
    ["+1555CALLNOW", "not_a_phone_number"],
    ["abc", "not_a_phone_number"],
    ["+15550100123 ext 4", "not_a_phone_number"],
    ["+1555010012;ext=4", "not_a_phone_number"],
    ["+123", "too_short"],
    ["+123456", "too_short"],
    ["12345", "too_short"],
    ["+1234567890123456", "too_long"],
    ["001234567890123456", "too_long"],
    ["5550100123", "national_number"],
    // Once read as +1 555 010 0123: 11 digits starting with 1 are a national number like any other.
    ["15550100123", "national_number"],
    [15550100123, "national_number"],
    ["07700900123", "national_number"],
    ["+1555010012", "too_short"],
    ["+999 555 0100", "impossible_number"],
    ["+05550100123", "not_a_phone_number"],
    ["++15550100123", "not_a_phone_number"],
    ["+1 555 010 0123 +1 555 010 0124", "not_a_phone_number"],
    [-15550100123, "missing"],
    [1.5, "missing"],
  ])("treats %j as no identity (%s)", (raw, reason) => {
    const identity = normaliseCallerId(raw);

    expect(identity).toEqual({ known: false, reason });
  });

  it("gives two formats of one number the same id, and two numbers different ids", () => {
    const a = normaliseCallerId("+1 (555) 010-0123");
    const b = normaliseCallerId("0015550100123");
    const c = normaliseCallerId("+1 (555) 010-0124");

    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("never throws and only ever returns E.164 ids (property)", () => {
    const regions = fc.constantFrom(undefined, null, "US", "GB", "DE", "CN", "BR", "AU", "JP", "UK", "zz", "");
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.anything(), fc.stringMatching(/^[+0-9 ().-]{0,24}$/)), regions, (raw, region) => {
        const identity = normaliseCallerId(raw, { region });
        if (identity.known) expect(identity.callerId).toMatch(/^\+[1-9]\d{6,14}$/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("isCallerId", () => {
  it.each([
    ["+15550100123", true],
    ["+1 555 010 0123", false],
    ["15550100123", false],
    ["+05550100123", false],
    ["+1234567890123456", false],
    // A shape check: an id stored before a numbering plan changed stays an id.
    ["+1555010012", true],
    ["anonymous", false],
    [42, false],
  ])("%j → %s", (value, expected) => {
    expect(isCallerId(value)).toBe(expected);
  });
});

describe("maskCallerId", () => {
  it.each([
    ["+15550100123", "+*******0123"],
    ["+442079460958", "+********0958"],
    ["123", "***"],
  ])("masks %s as %s", (value, expected) => {
    expect(maskCallerId(value)).toBe(expected);
  });
});
