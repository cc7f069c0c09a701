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
