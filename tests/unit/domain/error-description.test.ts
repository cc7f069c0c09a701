// One line about anything thrown, as the logs, failure notes and the CLI show it.
import { describe, expect, it } from "vitest";
import { describeError } from "../../../domain/error-description";

describe("describeError", () => {
  it("names the error and its message", () => {
    expect(describeError(new RangeError("days must be a whole number"))).toBe("RangeError: days must be a whole number");
  });

  it("adds the code of a cause (fetch only says 'fetch failed'), else the cause's message", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    expect(describeError(new TypeError("fetch failed", { cause: refused }))).toBe("TypeError: fetch failed (ECONNREFUSED)");
    expect(describeError(new Error("store failed", { cause: new Error("socket hang up") }))).toBe("Error: store failed (socket hang up)");
  });

  it("says nothing about values that are not errors (they may be anything a caller sent)", () => {
    expect(describeError("+15550100123")).toBe("unknown error");
    expect(describeError({ caller_id: "+15550100123" })).toBe("unknown error");
  });

  it("keeps a failure note to its bound", () => {
    const text = describeError(new Error("x".repeat(2_000)), 100);
    expect(Array.from(text)).toHaveLength(100);
    expect(text.endsWith("…")).toBe(true);
  });
});
