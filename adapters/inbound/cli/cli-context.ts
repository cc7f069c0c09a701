import { existsSync } from "node:fs";
import { buildApp, type App } from "../../composition-root";
import { loadEnv, type Env } from "../../config";
import { loadOrCreateDevKeys } from "../local/dev-keys";

/** What a command gets: its arguments, flags, and a way to reach the same data the server uses. */
export interface CliContext {
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean>>;
  readonly json: boolean;
  /** The app over the configured backends (DATA_DIR or AWS), built on first use. */
  app(): Promise<App>;
  env(): Env;
  out(line: string): void;
  err(line: string): void;
}

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  /** Full help text, shown by `--help`. */
  readonly usage: string;
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
  if (needsDevKeys && (env.ELEVENLABS_WORKSPACE_KEY === undefined || env.ELEVENLABS_HMAC_KEY === undefined) && existsSync(env.DATA_DIR)) {
    const dev = await loadOrCreateDevKeys(env.DATA_DIR);
    env.ELEVENLABS_WORKSPACE_KEY ??= dev.workspaceKey;
    env.ELEVENLABS_HMAC_KEY ??= dev.hmacKey;
  }
  return env;
}

export function createContext(args: readonly string[], flags: Record<string, string | boolean>, env: Env): CliContext & { close(): Promise<void> } {
  let app: Promise<App> | undefined;
  return {
    args,
    flags,
    json: flags.json === true,
    env: () => env,
    app: () => (app ??= buildApp(env)),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    close: async () => {
      if (app) await (await app).close();
    },
  };
}
