// Stack config validation, and the committed stack files against it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, PROJECT, SECRET_SOURCES, parseStackSettings } from "../../infra/config";

/** The flat `config:` map of a Pulumi stack file (`  key: value` lines; values unquoted). */
function stackFileConfig(file: string): Record<string, string> {
  const lines = readFileSync(new URL(`../../${file}`, import.meta.url), "utf8").split("\n");
  const entries = lines
    .map((line) => /^ {2}([\w:-]+):\s*(.*?)\s*$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1] as string, (match[2] as string).replace(/^"(.*)"$/, "$1")] as const);
  return Object.fromEntries(entries);
}

const inProject = (config: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith(`${PROJECT}:`))
      .map(([key, value]) => [key.slice(PROJECT.length + 1), value]),
  );

describe("parseStackSettings", () => {
  it("applies the documented defaults", () => {
    expect(parseStackSettings("prod", {})).toEqual({
      bundleDir: "dist/lambda",
      memorySize: 256,
      reservedConcurrency: 10,
      logRetentionDays: 7,
      logLevel: "INFO",
      retrieveRequireKey: "true",
      bucketVersioning: true,
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      workerMaximumRetryAttempts: 2,
      workerMaximumEventAgeInSeconds: 3600,
    });
  });

  it("parses the strings pulumi config holds", () => {
    const settings = parseStackSettings("dev", {
      memorySize: "512",
      bucketVersioning: "false",
      retentionDays: "30",
      alarmEmail: "ops@example.com",
      agentBasePrompt: "You are Ava.",
      defaultRegion: "gb",
    });
    expect(settings).toMatchObject({
      memorySize: 512,
      bucketVersioning: false,
      retentionDays: 30,
      alarmEmail: "ops@example.com",
      agentBasePrompt: "You are Ava.",
      defaultRegion: "GB",
    });
  });

  it.each([
    ["memorySize", "64"],
    ["memorySize", "lots"],
    ["reservedConcurrency", "0"],
    ["logRetentionDays", "10"],
    ["logLevel", "VERBOSE"],
    ["retrieveRequireKey", "yes"],
    ["bucketVersioning", "on"],
    ["retentionDays", "0"],
    ["alarmEmail", "not-an-address"],
    ["throttleRateLimit", "-1"],
    ["workerMaximumRetryAttempts", "3"],
    ["workerMaximumEventAgeInSeconds", "30"],
    ["defaultRegion", "UK"],
    ["defaultRegion", "USA"],
  ])("refuses %s=%s, naming the key", (key, value) => {
    expect(() => parseStackSettings("prod", { [key]: value })).toThrow(`${PROJECT}:${key}`);
  });

  it("refuses unknown keys (typos) but ignores the secret keys", () => {
    expect(() => parseStackSettings("prod", { memorySise: "256" })).toThrow(/memorySise: unknown config key/);
    expect(() => parseStackSettings("prod", { mem0OrgId: "org_1" })).toThrow(/mem0OrgId: no longer used: .*pulumi config rm mem0OrgId/);
    const secrets = Object.fromEntries(Object.values(SECRET_SOURCES).map((s) => [s.configKey, "x"]));
    expect(() => parseStackSettings("prod", secrets)).not.toThrow();
  });

  it("refuses stack names that cannot be part of resource names", () => {
    expect(() => parseStackSettings("Prod", {})).toThrow(/stack name/);
    expect(() => parseStackSettings("a-very-long-stack-name", {})).toThrow(/stack name/);
    expect(() => parseStackSettings("staging-2", {})).not.toThrow();
  });
});

describe.each(["Pulumi.prod.yaml", "Pulumi.dev.yaml"])("%s", (file) => {
  const config = stackFileConfig(file);

  it("sets the AWS region", () => {
    expect(config["aws:region"]).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
  });

  it("holds valid settings only, and no secrets", () => {
    const own = inProject(config);
    expect(Object.keys(own).length).toBeGreaterThan(0);
    expect(() => parseStackSettings(file.split(".")[1] as string, own)).not.toThrow();
    for (const source of Object.values(SECRET_SOURCES)) expect(own).not.toHaveProperty(source.configKey);
    for (const key of Object.keys(own)) expect(CONFIG_KEYS).toContain(key);
  });
});
