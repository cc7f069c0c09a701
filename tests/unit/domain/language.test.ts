// The caller's language: read from a tag, changed only when the caller switches for good, and the
// labels we add around what they said.
import { describe, expect, it } from "vitest";
import { languageCode, nextLanguage, SUPPORTED_LANGUAGES } from "../../../domain/language";
import { callDate, labelsFor } from "../../../domain/language-labels";
import { GREETINGS } from "../../../domain/greeting";

describe("languageCode", () => {
  it.each([
    ["es", "es"],
    ["es-ES", "es"],
    ["pt_BR", "pt"],
    ["EN", "en"],
    [" de ", "de"],
    ["spanish", null],
    ["", null],
    [42, null],
    [null, null],
  ])("reads %j as %j", (raw, code) => {
    expect(languageCode(raw)).toBe(code);
  });
});

describe("nextLanguage: a caller switches language for good after two calls in a row", () => {
  const after = (calls: (string | null)[]) =>
    calls.reduce((state, call) => nextLanguage(state, call), { language: null as string | null, lastCallLanguage: null as string | null }).language;

  it.each([
    [["es"], "es"],
    [["en", "es"], "en"],
    [["en", "es", "es"], "es"],
    [["en", "es", "en"], "en"],
    [["en", "es", null, "es"], "es"],
    [["en", null], "en"],
    [[null, null], null],
  ])("calls in %j leave the caller greeted in %j", (calls, language) => {
    expect(after(calls)).toBe(language);
  });
});

describe("greetings and labels in every supported language", () => {
  it.each(SUPPORTED_LANGUAGES.filter((l) => l !== "en"))("%s has its own greetings and labels, none left in English", (language) => {
    const greetings = GREETINGS[language];
    expect(greetings.returningNamed.split("{name}")).toHaveLength(2);
    for (const key of ["newCaller", "returningNamed", "returningUnnamed"] as const) expect(greetings[key]).not.toBe(GREETINGS.en[key]);
    const labels = labelsFor(language);
    expect([labels.caller, labels.agent, labels.fact, labels.callOn("x")]).not.toEqual(["Caller", "Agent", "fact", "Call on x:"]);
  });

  it("writes the call's date as the caller's language does, and keeps ISO dates in English and unknown languages", () => {
    expect(callDate("2026-01-05", "es")).toBe("5 de enero de 2026");
    expect(callDate("2026-01-05", "de")).toBe("5. Januar 2026");
    expect(callDate("2026-01-05", "pl")).toBe("5 stycznia 2026");
    expect(callDate("2026-01-05", "en")).toBe("2026-01-05");
    expect(callDate("2026-01-05", "ja")).toBe("2026-01-05");
    expect(labelsFor("ja")).toBe(labelsFor("en"));
  });
});
