import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { callSettingsFrom, ConfigError, loadEnv } from "../../adapters/config";

describe("DEFAULT_REGION", () => {
  it.each([
    [{}, null],
    [{ DEFAULT_REGION: "" }, null],
    [{ DEFAULT_REGION: "US" }, "US"],
    [{ DEFAULT_REGION: " gb " }, "GB"],
  ])("%j reaches the call settings as %s", (source, expected) => {
    // Act
    const settings = callSettingsFrom(loadEnv(source));

    // Assess
    expect(settings.defaultRegion).toBe(expected);
  });

  it.each(["UK", "USA", "ZZ", "1"])("refuses %j at start, naming the setting", (value) => {
    expect(() => loadEnv({ DEFAULT_REGION: value })).toThrow(ConfigError);
    expect(() => loadEnv({ DEFAULT_REGION: value })).toThrow(/DEFAULT_REGION: must be an ISO 3166-1 alpha-2 country code/);
  });
});

describe("GREETINGS and GREETINGS_FILE: the operator's greetings per language, validated at start", () => {
  const settingsOf = (source: Record<string, string>) => callSettingsFrom(loadEnv(source));

  it("overrides one template of one language and keeps the built-in rest", () => {
    const settings = settingsOf({ GREETINGS: JSON.stringify({ es: { returningNamed: "¡Buenas, {name}! ¿Qué tal todo?" } }) });

    expect(settings.greetingsByLanguage.es).toEqual({
      newCaller: "¡Hola! Gracias por llamar. ¿En qué puedo ayudarle?",
      returningNamed: "¡Buenas, {name}! ¿Qué tal todo?",
      returningUnnamed: "¡Hola! Qué gusto volver a saber de usted. ¿En qué puedo ayudarle?",
    });
    expect(settings.greetingsByLanguage.de?.returningNamed).toBe("Hallo {name}, schön, dass Sie wieder anrufen! Wie kann ich Ihnen helfen?");
  });

  it("adds a language we have no greetings for, from a file, the environment variable winning over the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "greetings-"));
    const file = join(dir, "greetings.json");
    writeFileSync(file, JSON.stringify({ sv: { newCaller: "Hej! Tack för att du ringer.", returningNamed: "Hej {name}, välkommen tillbaka!" } }));

    const settings = settingsOf({ GREETINGS_FILE: file, GREETINGS: JSON.stringify({ sv: { newCaller: "Hej och välkommen!" } }) });

    expect(settings.greetingsByLanguage.sv).toEqual({
      newCaller: "Hej och välkommen!",
      returningNamed: "Hej {name}, välkommen tillbaka!",
      returningUnnamed: "Welcome back! How can I help you today?",
    });
  });

  it("greets in the operator's default language (AGENT_LANGUAGE) when the caller's is unknown", () => {
    expect(settingsOf({ AGENT_LANGUAGE: "de" }).greetings.newCaller).toBe("Guten Tag! Danke für Ihren Anruf. Wie kann ich Ihnen helfen?");
    expect(settingsOf({}).greetings.newCaller).toBe("Hello! Thanks for calling. How can I help you today?");
  });

  it.each([
    [{ GREETINGS: "{not json" }, "GREETINGS: must be JSON"],
    [{ GREETINGS: JSON.stringify({ es: { returningNamed: "¡Hola de nuevo!" } }) }, "GREETINGS: es.returningNamed: must contain {name}"],
    [{ GREETINGS: JSON.stringify({ Spanish: { newCaller: "Hola" } }) }, "must be a language code such as es or pt"],
    [{ GREETINGS: JSON.stringify({ es: { newcaller: "Hola" } }) }, "GREETINGS: es"],
    [{ GREETINGS: JSON.stringify({ es: { newCaller: "" } }) }, "GREETINGS: es.newCaller: must not be empty"],
    [{ GREETINGS_FILE: "/nonexistent/greetings.json" }, "GREETINGS_FILE: cannot read /nonexistent/greetings.json (ENOENT)"],
  ])("refuses %j at start, naming the setting and the field", (source, message) => {
    expect(() => settingsOf(source)).toThrow(ConfigError);
    expect(() => settingsOf(source)).toThrow(message);
  });
});
