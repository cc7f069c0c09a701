import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { SecretName, SettingName } from "../adapters/function-declarations";
import { parseRegion } from "../domain/caller-id";

/** The Pulumi project name; also the namespace of every stack config key. */
export const PROJECT = "elevenlabs-agentic-memory";

export type { SecretName };

/** Where each secret comes from (`pulumi config set --secret <configKey>`) and whether the stack needs it. */
export const SECRET_SOURCES: Readonly<Record<SecretName, { configKey: string; required: boolean }>> = {
  MEM0_API_KEY: { configKey: "mem0ApiKey", required: true },
  ELEVENLABS_WORKSPACE_KEY: { configKey: "elevenlabsWorkspaceKey", required: true },
  ELEVENLABS_HMAC_KEY: { configKey: "elevenlabsHmacKey", required: true },
  // Optional: with it, the sweep fetches recordings whose audio webhook never came (long calls).
  ELEVENLABS_API_KEY: { configKey: "elevenlabsApiKey", required: false },
};

/** Retention values CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL", "SILENT"] as const;

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = z.enum(["true", "false"]);

/** Plain (non-secret) stack settings; every value arrives as a string from `pulumi config`. */
const settingsSchema = z.strictObject({
  bundleDir: z.string().min(1).default("dist/lambda"),
  // 256 MB: a function wired as deployed (AWS SDK clients, mem0ai, fetch) peaks at 100–120 MB of RSS,
  // too close to 128 MB, and Lambda's CPU share grows with memory, which shortens cold starts.
  memorySize: integer(128, 10_240).default(256),
  reservedConcurrency: integer(1, 1000).default(10),
  logRetentionDays: z.coerce
    .number()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      message: `must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
    })
    .default(7),
  logLevel: z.enum(LOG_LEVELS).default("INFO"),
  agentBasePrompt: z.string().min(1).optional(),
  // The same values the local server reads from its environment (validated again by the function at start).
  agentLanguage: z.string().regex(/^[a-z]{2,3}$/, { message: "must be a language code such as en or es (lower case)" }).optional(),
  agentOverrides: z
    .string()
    .regex(/^\s*(first_message|prompt|language)(\s*,\s*(first_message|prompt|language))*\s*$/, { message: "must be a comma-separated list of first_message, prompt, language" })
    .optional(),
  greetings: z
    .string()
    .refine((text) => {
      try {
        const value: unknown = JSON.parse(text);
        return typeof value === "object" && value !== null && !Array.isArray(value);
      } catch {
        return false;
      }
    }, { message: "must be a JSON object of greetings per language, e.g. {\"es\": {\"returningNamed\": \"¡Hola, {name}!\"}}" })
    .optional(),
  retrieveRequireKey: flag.default("true"),
  defaultRegion: z
    .string()
    .refine((code) => parseRegion(code) !== null, { message: "must be an ISO 3166-1 alpha-2 country code such as US, GB (not UK) or DE" })
    .transform((code) => code.trim().toUpperCase())
    .optional(),
  bucketVersioning: flag.default("true").transform((value) => value === "true"),
  retentionDays: integer(1, 36_500).optional(),
  alarmEmail: z.email().optional(),
  throttleRateLimit: z.coerce.number().positive().max(10_000).default(50),
  throttleBurstLimit: integer(1, 5000).default(100),
  workerMaximumRetryAttempts: integer(0, 2).default(2),
  workerMaximumEventAgeInSeconds: integer(60, 21_600).default(3600),
});

/** Validated plain settings of one stack, defaults applied. */
export type StackSettings = z.infer<typeof settingsSchema>;

/** The stack setting behind each function setting (a function gets the ones it declares). */
const SETTING_SOURCES = {
  AGENT_BASE_PROMPT: "agentBasePrompt",
  AGENT_LANGUAGE: "agentLanguage",
  AGENT_OVERRIDES: "agentOverrides",
  GREETINGS: "greetings",
  RETRIEVE_REQUIRE_KEY: "retrieveRequireKey",
  DEFAULT_REGION: "defaultRegion",
} as const satisfies Record<SettingName, keyof StackSettings>;

/** The values of the function settings this stack sets. */
export function functionSettings(settings: StackSettings): Partial<Record<SettingName, string>> {
  const values: Partial<Record<SettingName, string>> = {};
  for (const [name, key] of Object.entries(SETTING_SOURCES) as [SettingName, keyof StackSettings][]) {
    const value = settings[key];
    if (value !== undefined) values[name] = String(value);
  }
  return values;
}

/** The config keys this program reads, plain and secret: anything else in the project namespace is a typo. */
export const CONFIG_KEYS: readonly string[] = [
  ...Object.keys(settingsSchema.shape),
  ...Object.values(SECRET_SOURCES).map((source) => source.configKey),
];

/** Stack names end up in resource names; the bucket name (max 63 chars) leaves room for 16. */
const STACK_NAME = /^[a-z0-9](?:[a-z0-9-]{0,14}[a-z0-9])?$/;

/** Everything the program needs to know about one stack. */
export interface StackConfig extends StackSettings {
  stack: string;
  /** `elevenlabs-agentic-memory-<stack>`: every physical name starts with it. */
  prefix: string;
  /** Secret values by name; optional secrets that are not set are absent. */
  secrets: Partial<Record<SecretName, pulumi.Output<string>>>;
}

/** Config keys earlier versions read, with what to do about them now. */
const RETIRED_KEYS: Readonly<Record<string, string>> = {
  mem0OrgId: "no longer used: Mem0's v3 API scopes every request by the API key's project; run `pulumi config rm mem0OrgId`",
  mem0ProjectId: "no longer used: Mem0's v3 API scopes every request by the API key's project; run `pulumi config rm mem0ProjectId`",
};

/**
 * Validates raw stack settings (strings, as `pulumi config` holds them) and applies defaults.
 * Throws one error naming every bad key.
 *
 * @example
 * parseStackSettings("prod", { memorySize: "256" }).memorySize; // 256
 */
export function parseStackSettings(stack: string, raw: Record<string, string | undefined>): StackSettings {
  const problems: string[] = [];
  if (!STACK_NAME.test(stack)) {
    problems.push(`stack name "${stack}": use 1-16 lowercase letters, digits or dashes (it is part of resource names)`);
  }
  for (const [key, advice] of Object.entries(RETIRED_KEYS)) if (raw[key] !== undefined) problems.push(`${PROJECT}:${key}: ${advice}`);
  const plain = Object.fromEntries(
    Object.entries(raw).filter(([key]) => !Object.values(SECRET_SOURCES).some((s) => s.configKey === key) && !(key in RETIRED_KEYS)),
  );
  const result = settingsSchema.safeParse(plain);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.join(".") || (issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "");
      const what = issue.code === "unrecognized_keys" ? "unknown config key (typo?)" : issue.message;
      problems.push(`${PROJECT}:${key}: ${what}`);
    }
  }
  if (problems.length > 0 || !result.success) {
    throw new Error(`Invalid stack configuration:\n  ${problems.join("\n  ")}`);
  }
  return result.data;
}

/**
 * Reads and validates the current stack's config: plain settings and the secrets
 * (`requireSecret` for required ones, so a missing secret fails `pulumi up` by name).
 *
 * @example
 * const config = loadStackConfig();
 * config.prefix; // "elevenlabs-agentic-memory-prod"
 */
export function loadStackConfig(): StackConfig {
  const stack = pulumi.getStack();
  const namespace = `${PROJECT}:`;
  const raw = Object.fromEntries(
    Object.entries(pulumi.runtime.allConfig())
      .filter(([key]) => key.startsWith(namespace))
      .map(([key, value]) => [key.slice(namespace.length), value]),
  );
  const settings = parseStackSettings(stack, raw);
  const config = new pulumi.Config(PROJECT);
  const secrets: Partial<Record<SecretName, pulumi.Output<string>>> = {};
  for (const [name, source] of Object.entries(SECRET_SOURCES) as [SecretName, (typeof SECRET_SOURCES)[SecretName]][]) {
    const value = source.required ? config.requireSecret(source.configKey) : config.getSecret(source.configKey);
    if (value !== undefined) secrets[name] = value;
  }
  return { ...settings, stack, prefix: `${PROJECT}-${stack}`, secrets };
}
