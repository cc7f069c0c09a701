import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { constantTimeEqual } from "../../../domain/secret-compare";

describe("constantTimeEqual", () => {
  it.each([
    { name: "the same secret", presented: "wk_live_5f2c9a", expected: "wk_live_5f2c9a", equal: true },
    { name: "non-ASCII secrets that are equal", presented: "clé-東京-🎉", expected: "clé-東京-🎉", equal: true },
    { name: "one character different", presented: "wk_live_5f2c9b", expected: "wk_live_5f2c9a", equal: false },
    { name: "a prefix of the expected secret", presented: "wk_live_5f2c9", expected: "wk_live_5f2c9a", equal: false },
    { name: "longer than the expected secret", presented: "wk_live_5f2c9a ", expected: "wk_live_5f2c9a", equal: false },
    { name: "different case", presented: "WK_LIVE_5F2C9A", expected: "wk_live_5f2c9a", equal: false },
    { name: "the same text in another Unicode normal form", presented: "cle\u0301", expected: "cl\u00e9", equal: false },
    { name: "an empty presented key", presented: "", expected: "wk_live_5f2c9a", equal: false },
    { name: "an empty presented key when no key is configured", presented: "", expected: "", equal: false },
    { name: "any presented key when no key is configured", presented: "wk_live_5f2c9a", expected: "", equal: false },
  ])("$name → $equal", ({ presented, expected, equal }) => {
    // Prepare: the cases above
    // Act
    const result = constantTimeEqual(presented, expected);
    // Assess
    expect(result).toBe(equal);
  });

  it("agrees with === for any non-empty expected secret", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary", minLength: 1 }), (presented, expected) => {
        expect(constantTimeEqual(presented, expected)).toBe(presented === expected);
        expect(constantTimeEqual(expected, expected)).toBe(true);
      }),
    );
  });

  it("never matches when the expected secret is empty", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (presented) => !constantTimeEqual(presented, "")));
  });
});
