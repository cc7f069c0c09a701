// BENCH_COMPARE: another build timed in the same cold-start rounds, judged by paired differences.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareBuildFrom } from "../../bench/support/compare-build";
import { BUNDLE_FUNCTIONS } from "../../bench/support/profile";
import { pairedDifference } from "../../bench/support/stats";

describe("the paired difference of two builds' cold starts", () => {
  it("is the median of the per-round differences, with an interval around it", () => {
    const current = [210, 205, 230, 198, 260, 215, 207, 222, 219, 201];
    const other = [236, 229, 250, 228, 281, 244, 236, 240, 250, 226];

    const difference = pairedDifference(current, other);

    expect(difference.median).toBe(-26);
    expect(difference.n).toBe(10);
    expect(difference.low).toBeLessThanOrEqual(-26);
    expect(difference.high).toBeGreaterThanOrEqual(-26);
    expect(difference.high).toBeLessThan(0);
  });

  it("sees a small, steady gain through the host's swings from round to round", () => {
    // Each round moves both builds alike (the host's state); the current build is 5 ms faster in every one.
    const swings = [0, 40, -20, 65, 10, -35, 55, 5, -10, 30, 20, -25];
    const other = swings.map((swing) => 250 + swing);
    const current = other.map((value) => value - 5);

    const difference = pairedDifference(current, other);

    expect([difference.median, difference.low, difference.high]).toEqual([-5, -5, -5]);
  });

  it("gives the same interval for the same samples, and refuses samples that are not pairs", () => {
    const a = [3, 9, 4, 12, 7, 1, 8];
    const b = [5, 2, 8, 6, 9, 4, 3];

    expect(pairedDifference(a, b)).toEqual(pairedDifference(a, b));
    expect(() => pairedDifference([1, 2], [1])).toThrow("paired samples of equal, non-zero length");
    expect(() => pairedDifference([], [])).toThrow(RangeError);
  });
});

describe("BENCH_COMPARE", () => {
  it("is off when unset or empty", () => {
    expect(compareBuildFrom({})).toBeUndefined();
    expect(compareBuildFrom({ BENCH_COMPARE: "  " })).toBeUndefined();
  });

  it("takes a directory holding every function's bundle, as npm run build -- --out writes it", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-compare-"));
    for (const fn of BUNDLE_FUNCTIONS) {
      mkdirSync(join(dir, fn));
      writeFileSync(join(dir, fn, "index.mjs"), "export const handler = async () => ({});\n");
    }

    expect(compareBuildFrom({ BENCH_COMPARE: dir })).toBe(dir);
  });

  it("refuses a directory that misses a function's bundle, naming it, before anything is measured", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-compare-"));
    for (const fn of BUNDLE_FUNCTIONS.filter((name) => name !== "sweep")) {
      mkdirSync(join(dir, fn));
      writeFileSync(join(dir, fn, "index.mjs"), "export const handler = async () => ({});\n");
    }

    expect(() => compareBuildFrom({ BENCH_COMPARE: dir })).toThrow("holds no sweep/index.mjs: give a directory written by npm run build -- --out <dir>");
  });
});
