import * as z from "zod/mini";
import type { AgentOverride, CallSettings } from "../application/call-settings";
import { parseRegion } from "../domain/caller-id";
import { DEFAULT_GREETING_TEMPLATES } from "../domain/greeting";

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
  return {
    basePrompt: env.AGENT_BASE_PROMPT ?? null,
    greetings: {
      newCaller: env.GREETING_NEW_CALLER ?? DEFAULT_GREETING_TEMPLATES.newCaller,
      returningNamed: env.GREETING_RETURNING_NAMED ?? DEFAULT_GREETING_TEMPLATES.returningNamed,
      returningUnnamed: env.GREETING_RETURNING_UNNAMED ?? DEFAULT_GREETING_TEMPLATES.returningUnnamed,
    },
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
