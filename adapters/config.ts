import * as z from "zod/mini";
import type { AgentOverride, CallSettings } from "../application/call-settings";
import { parseRegion } from "../domain/caller-id";
import { readFileSync } from "node:fs";
import { GREETINGS, type GreetingTemplates } from "../domain/greeting";
import { languageCode } from "../domain/language";

const bool = z.pipe(
  z.enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" }),
  z.transform((v: "true" | "false" | "1" | "0" | "yes" | "no") => v === "true" || v === "1" || v === "yes"),
);
const int = (min: number, max: number) =>
  z.coerce.number({ error: "must be a number" }).check(
    z.refine(Number.isInteger, "must be a whole number"),
    z.minimum(min, `must be at least ${min}`),
    z.maximum(max, `must be at most ${max}`),
  );
const optionalText = z.optional(z.pipe(z.string(), z.transform((s: string) => (s.trim() === "" ? undefined : s.trim()))));
/** An ISO 3166-1 alpha-2 code with a numbering plan (any case); empty reads as unset. */
const optionalRegion = z.optional(
  z.pipe(
    z.string().check(z.refine((s: string) => s.trim() === "" || parseRegion(s) !== null, "must be an ISO 3166-1 alpha-2 country code such as US, GB (not UK) or DE")),
    z.transform((s: string) => parseRegion(s) ?? undefined),
  ),
);

const OVERRIDES = ["first_message", "prompt", "language"] as const;

/** One template: a sentence the agent says first; `returningNamed` must place the name. */
const template = z.string().check(z.trim(), z.minLength(1, "must not be empty"), z.maxLength(500, "must be at most 500 characters"));
/**
 * Greetings per language, as an operator overrides them (`GREETINGS` or the file `GREETINGS_FILE`):
 * `{"es": {"newCaller": "…", "returningNamed": "… {name} …", "returningUnnamed": "…"}, …}`; each
 * template may be left out (the built-in one stays), a language we have none for may be added.
 */
const greetingsOverrideSchema = z.record(
  z.string(),
  z.strictObject({
    newCaller: z.optional(template),
    returningNamed: z.optional(template.check(z.refine((t: string) => t.includes("{name}"), "must contain {name}"))),
    returningUnnamed: z.optional(template),
  }),
);
type GreetingsOverride = z.infer<typeof greetingsOverrideSchema>;

/** A synchronous Lambda invocation accepts at most 6 MB of request (the API Gateway event, body included). */
const MAX_LAMBDA_REQUEST_BYTES = 6 * 1024 * 1024;
/**
 * The largest post-call body that reaches the function on AWS: the 6 MB invocation limit less room for
 * the rest of the API Gateway event (headers, request context) and the escaping of the body inside it.
 */
export const DEFAULT_MAX_POST_CALL_BODY_BYTES = 6_000_000;

/** Every setting the code reads from the environment, with its default. The README's config table mirrors this. */
const envSchema = z.object({
  MEMORY_BACKEND: z._default(z.enum(["embedded", "mem0"], { error: "must be embedded or mem0" }), "embedded"),
  ARCHIVE_BUCKET: optionalText,
  DEAD_LETTER_QUEUE_URL: optionalText,
  METRICS_NAMESPACE: z.optional(
    z.pipe(
      optionalText,
      z.optional(
        z.string().check(
          z.maxLength(255, "must be at most 255 characters"),
          z.regex(/^[\w .\-/#:]+$/, "must be letters, digits, spaces and . - _ / # : only"),
          z.refine((s: string) => !s.startsWith("AWS/"), "must not start with AWS/ (reserved for AWS services)"),
        ),
      ),
    ),
  ),
  ARCHIVE_SSE: z._default(z.enum(["AES256", "aws:kms"], { error: "must be AES256 or aws:kms" }), "AES256"),
  DATA_DIR: z._default(z.string().check(z.minLength(1, "must not be empty")), "./.data"),
  PORT: z._default(int(0, 65535), 3000),
  HOST: z._default(z.string().check(z.minLength(1, "must not be empty")), "127.0.0.1"),
  ELEVENLABS_WORKSPACE_KEY: optionalText,
  ELEVENLABS_HMAC_KEY: optionalText,
  ELEVENLABS_WORKSPACE_KEY_PARAM: optionalText,
  ELEVENLABS_HMAC_KEY_PARAM: optionalText,
  ELEVENLABS_API_KEY: optionalText,
  ELEVENLABS_API_KEY_PARAM: optionalText,
  ELEVENLABS_API_HOST: z._default(z.url({ error: "must be a URL such as https://api.elevenlabs.io" }), "https://api.elevenlabs.io"),
  MEM0_API_KEY: optionalText,
  // The operator dashboard's sign-in token (local server and `agentic-memory dashboard`); generated when unset.
  DASHBOARD_TOKEN: z.optional(z.string().check(z.minLength(16, "must be at least 16 characters (it guards every caller's data)"))),
  MEM0_API_KEY_PARAM: optionalText,
  MEM0_HOST: optionalText,
  RETRIEVE_REQUIRE_KEY: z._default(bool, true),
  AGENT_BASE_PROMPT: optionalText,
  AGENT_LANGUAGE: optionalText,
  DEFAULT_REGION: optionalRegion,
  AGENT_OVERRIDES: z._default(
    z.pipe(
      z.string(),
      z.pipe(
        z.transform((s: string) => s.split(",").map((p) => p.trim()).filter((p) => p !== "")),
        z.array(z.enum(OVERRIDES, { error: `each must be one of ${OVERRIDES.join(", ")}` })),
      ),
    ),
    ["first_message", "prompt"],
  ),
  GREETINGS: z.optional(z.pipe(z.string(), z.transform((text, ctx) => parseGreetings(text, ctx)))),
  GREETINGS_FILE: optionalText,
  GREETING_NEW_CALLER: optionalText,
  GREETING_RETURNING_NAMED: optionalText,
  GREETING_RETURNING_UNNAMED: optionalText,
  MEMORY_SUMMARY_MAX_CHARS: z._default(int(40, 1000), 300),
  CALLER_CONTEXT_BUDGET_CHARS: z._default(int(200, 20_000), 2000),
  CLIENT_DATA_DEADLINE_MS: z._default(int(100, 25_000), 1500),
  RETRIEVE_DEADLINE_MS: z._default(int(100, 25_000), 3000),
  WORKER_MAX_ATTEMPTS: z._default(int(1, 100), 5),
  WORKER_RETRY_BASE_MS: z._default(int(10, 600_000), 1000),
  MAX_JSON_BODY_BYTES: z._default(int(1024, 10 * 1024 * 1024), 64 * 1024),
  MAX_POST_CALL_BODY_BYTES: z._default(int(1024, MAX_LAMBDA_REQUEST_BYTES), DEFAULT_MAX_POST_CALL_BODY_BYTES),
});

export type Env = z.infer<typeof envSchema>;

/** Thrown at start when a setting is missing or malformed; the message names every bad setting. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Read and validate the environment once.
 *
 * @example
 * const env = loadEnv(process.env); // throws ConfigError("PORT: must be a number")
 */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}

export function callSettingsFrom(env: Env): CallSettings {
  const byLanguage = greetingsByLanguage(env);
  const fallback = byLanguage[languageCode(env.AGENT_LANGUAGE) ?? "en"] ?? GREETINGS.en;
  return {
    basePrompt: env.AGENT_BASE_PROMPT ?? null,
    // The operator's default language, with the single-template settings of older versions on top.
    greetings: {
      newCaller: env.GREETING_NEW_CALLER ?? fallback.newCaller,
      returningNamed: env.GREETING_RETURNING_NAMED ?? fallback.returningNamed,
      returningUnnamed: env.GREETING_RETURNING_UNNAMED ?? fallback.returningUnnamed,
    },
    greetingsByLanguage: byLanguage,
    overrides: env.AGENT_OVERRIDES as AgentOverride[],
    language: env.AGENT_LANGUAGE ?? null,
    summaryMaxChars: env.MEMORY_SUMMARY_MAX_CHARS,
    contextBudgetChars: env.CALLER_CONTEXT_BUDGET_CHARS,
    recentMemories: 50,
    clientDataDeadlineMs: env.CLIENT_DATA_DEADLINE_MS,
    retrieveDeadlineMs: env.RETRIEVE_DEADLINE_MS,
    defaultRegion: env.DEFAULT_REGION ?? null,
  };
}

/** Built-in greetings, then `GREETINGS_FILE`, then `GREETINGS`, template by template. */
function greetingsByLanguage(env: Env): Readonly<Record<string, GreetingTemplates>> {
  const merged: Record<string, GreetingTemplates> = { ...GREETINGS };
  const fromFile = env.GREETINGS_FILE === undefined ? {} : readGreetingsFile(env.GREETINGS_FILE);
  for (const override of [fromFile, env.GREETINGS ?? {}]) {
    for (const [language, templates] of Object.entries(override)) {
      const base = merged[language] ?? merged.en ?? GREETINGS.en;
      merged[language] = { ...base, ...templates };
    }
  }
  return merged;
}

function readGreetingsFile(path: string): GreetingsOverride {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`invalid configuration: GREETINGS_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const issues: string[] = [];
  const parsed = parseGreetings(text, { issues: { push: (issue: { message: string }) => issues.push(issue.message) } });
  if (issues.length > 0) throw new ConfigError(`invalid configuration: GREETINGS_FILE: ${issues.join("; ")}`);
  return parsed;
}

/** The JSON of a greetings override, every problem named by its path (`es.returningNamed: must contain {name}`). */
function parseGreetings(text: string, ctx: { issues: { push(issue: { code: "custom"; message: string; input: unknown }): void } }): GreetingsOverride {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    ctx.issues.push({ code: "custom", message: "must be JSON such as {\"es\": {\"returningNamed\": \"¡Hola, {name}!\"}}", input: text });
    return {};
  }
  const parsed = greetingsOverrideSchema.safeParse(data);
  if (parsed.success) {
    const badKeys = Object.keys(parsed.data).filter((code) => languageCode(code) !== code);
    for (const code of badKeys) ctx.issues.push({ code: "custom", message: `${code}: must be a language code such as es or pt (lower case)`, input: data });
    return badKeys.length === 0 ? parsed.data : {};
  }
  for (const issue of parsed.error.issues) ctx.issues.push({ code: "custom", message: `${issue.path.join(".") || "(document)"}: ${issue.message}`, input: data });
  return {};
}
