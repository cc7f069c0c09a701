import { existsSync } from "node:fs";
import { join } from "node:path";
import type { SecretName } from "../../../application/ports/secrets.port";
import { buildApp, type App } from "../../composition-root";
import { ConfigError, loadEnv, type Env } from "../../config";
import { loadOrCreateDevKeys } from "../local/dev-keys";

/** What a command gets: its arguments, flags, and a way to reach the same data the server uses. */
export interface CliContext {
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean>>;
  readonly json: boolean;
  /** The app over the configured backends (DATA_DIR or AWS), built on first use. */
  app(): Promise<App>;
  env(): Env;
  /** A key as the server gets it: the environment or dev keys, else SSM (through the app) when only `*_PARAM` is set. */
  secret(name: SecretName): Promise<string>;
  out(line: string): void;
  err(line: string): void;
}

/** A command's `--options` and whether each takes a value, as `node:util` `parseArgs` reads them. */
export type CliOptions = Readonly<Record<string, { readonly type: "string" | "boolean" }>>;

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  /** Full help text, shown by `--help`. */
  readonly usage: string;
  /** The `--options` it accepts besides `--help` (anything else is a usage error). */
  readonly options: CliOptions;
  run(context: CliContext): Promise<number>;
}

/** Thrown for a usage mistake: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * The same configuration as the server: `.env`, then the environment; locally the dev keys in
 * DATA_DIR fill in unset keys, so signing and replays use exactly what the server verifies with.
 */
export async function loadCliEnv(): Promise<Env> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env = loadEnv(process.env);
  const needsDevKeys = env.ELEVENLABS_WORKSPACE_KEY_PARAM === undefined && env.ELEVENLABS_HMAC_KEY_PARAM === undefined;
  // Only keys the server already generated: creating them is the server's job (it prints them once).
  const devKeysExist = existsSync(join(env.DATA_DIR, "dev-keys.json"));
  if (needsDevKeys && (env.ELEVENLABS_WORKSPACE_KEY === undefined || env.ELEVENLABS_HMAC_KEY === undefined) && devKeysExist) {
    const dev = await loadOrCreateDevKeys(env.DATA_DIR);
    env.ELEVENLABS_WORKSPACE_KEY ??= dev.workspaceKey;
    env.ELEVENLABS_HMAC_KEY ??= dev.hmacKey;
  }
  return env;
}

/**
 * The app over the configured backends. A DATA_DIR that does not exist is refused rather than
 * created: an operator command pointed at the wrong directory must not act on an empty new store.
 */
async function openApp(env: Env): Promise<App> {
  const usesDataDir = env.MEMORY_BACKEND === "embedded" || env.ARCHIVE_BUCKET === undefined;
  if (usesDataDir && !existsSync(env.DATA_DIR)) {
    throw new ConfigError(`DATA_DIR ${env.DATA_DIR} does not exist: set DATA_DIR to the server's data directory (or run from where the server runs)`);
  }
  return buildApp(env);
}

export function createContext(args: readonly string[], flags: Record<string, string | boolean>, env: Env): CliContext & { close(): Promise<void> } {
  let app: Promise<App> | undefined;
  const context: CliContext & { close(): Promise<void> } = {
    args,
    flags,
    json: flags.json === true,
    env: () => env,
    app: () => (app ??= openApp(env)),
    secret: async (name) => {
      const value = env[name];
      if (value !== undefined) return value;
      if (env[`${name}_PARAM`] === undefined) {
        throw new ConfigError(`${name} is not set (nor ${name}_PARAM): set it in the environment or .env, or run from the server's DATA_DIR`);
      }
      return (await context.app()).secrets.get(name);
    },
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    close: async () => {
      if (app) await (await app.catch(() => null))?.close();
    },
  };
  return context;
}
