import { describe, expect, it } from "vitest";
import { parseRegion, type CallerId, type Region } from "../../../domain/caller-id";
import { foldForSearch, matchesCallerQuery, readCallerQuery } from "../../../domain/caller-search";

const US = parseRegion("US") as Region;
const MARISOL = "+15550100123" as CallerId;

describe("foldForSearch", () => {
  it.each([
    ["José", "jose"],
    ["ZOË", "zoe"],
    ["Łukasz", "lukasz"],
    ["Søren", "soren"],
    ["Straße", "strasse"],
    ["  Ana   María ", "ana maria"],
    ["Ｍａｒｉｓｏｌ", "marisol"],
  ])("reads %j as %j", (text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });
});

describe("readCallerQuery", () => {
  it("reads nothing, or nothing but separators, as everyone", () => {
    expect(readCallerQuery("", null)).toEqual({ kind: "everyone" });
    expect(readCallerQuery(" ( ) - ", null)).toEqual({ kind: "everyone" });
  });

  it("reads a national number in the region given, and keeps its digits to match parts of numbers", () => {
    expect(readCallerQuery("(555) 010-0123", US)).toEqual({ kind: "number", callerId: MARISOL, digits: "5550100123" });
    expect(readCallerQuery("(555) 010-0123", null)).toEqual({ kind: "number", callerId: null, digits: "5550100123" });
  });

  it("reads anything with a letter as a name", () => {
    expect(readCallerQuery("Zoë 2", null)).toEqual({ kind: "name", folded: "zoe 2" });
  });
});

describe("matchesCallerQuery", () => {
  it("matches a number by its digits anywhere, and a name only where the caller has one", () => {
    expect(matchesCallerQuery(readCallerQuery("0123", null), MARISOL, null)).toBe(true);
    expect(matchesCallerQuery(readCallerQuery("0124", null), MARISOL, null)).toBe(false);
    expect(matchesCallerQuery(readCallerQuery("mari", null), MARISOL, "Marisol")).toBe(true);
    expect(matchesCallerQuery(readCallerQuery("mari", null), MARISOL, null)).toBe(false);
  });
});
