import "reflect-metadata";
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import { buildApp, type App } from "../../composition-root";
import { ConfigError, loadEnv } from "../../config";
import { getRequestListener } from "@hono/node-server";
import { createDashboard } from "../dashboard/dashboard-app";
import { generateDashboardToken } from "../dashboard/dashboard-auth";
import { loadOrCreateDashboardToken, loadOrCreateDevKeys } from "./dev-keys";
import { LocalWorker } from "./local-worker";
import { createLocalServer } from "./local-server";
import { describeError } from "../../../domain/error-description";

/** The running local backend, as {@link serve} leaves it. */
export interface RunningServer {
  readonly app: App;
  readonly server: Server;
  readonly worker: LocalWorker;
  /** `http://HOST:PORT`, with the port actually bound (PORT=0 picks a free one). */
  readonly baseUrl: string;
  /** Stop accepting requests, finish the event in hand, close the stores. */
  close(): Promise<void>;
}

/**
 * The whole backend on one machine — the three ElevenLabs routes, the embedded memory store and the
 * in-process worker, all under DATA_DIR — with the banner `npm start` prints. Configuration comes
 * from `.env` and the environment; SIGINT and SIGTERM shut it down cleanly and end the process.
 * Run by `npm start` and `agentic-memory serve`.
 *
 * @example
 * const { baseUrl } = await serve(); // prints "AgenticMemory listening on http://127.0.0.1:3000 …"
 */
export async function serve(): Promise<RunningServer> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env = loadEnv(process.env);

  let banner: string[] = [];
  if (env.ELEVENLABS_WORKSPACE_KEY === undefined || env.ELEVENLABS_HMAC_KEY === undefined) {
    const dev = await loadOrCreateDevKeys(env.DATA_DIR);
    env.ELEVENLABS_WORKSPACE_KEY ??= dev.workspaceKey;
    env.ELEVENLABS_HMAC_KEY ??= dev.hmacKey;
    banner = dev.created
      ? [
          `Generated development keys (saved in ${dev.path}; shown only this once):`,
          `  ELEVENLABS_WORKSPACE_KEY=${dev.workspaceKey}`,
          `  ELEVENLABS_HMAC_KEY=${dev.hmacKey}`,
        ]
      : [`Using the development keys in ${dev.path}.`];
  }

  const worker = new LocalWorker({ maxAttempts: env.WORKER_MAX_ATTEMPTS, retryDelayMs: env.WORKER_RETRY_BASE_MS });
  const app = await buildApp(env, { trigger: worker });
  worker.attach(app);
  let dashboardToken = env.DASHBOARD_TOKEN;
  if (dashboardToken === undefined) {
    const generated = await loadOrCreateDashboardToken(env.DATA_DIR, generateDashboardToken);
    dashboardToken = generated.token;
    banner.push(generated.created ? `Generated a dashboard token (saved in ${generated.path}; shown only this once):\n  DASHBOARD_TOKEN=${generated.token}` : `Dashboard token: the one in ${generated.path}.`);
  }
  const dashboard = createDashboard({ app, token: dashboardToken, usage: app.usage, usageSource: "this server's metrics store (DATA_DIR)" });
  const server = createLocalServer(app, getRequestListener(dashboard.fetch));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : env.PORT;
  const base = `http://${env.HOST}:${port}`;

  console.log(
    [
      `AgenticMemory listening on ${base} (memories: ${app.backends.memory}, data: ${env.DATA_DIR})`,
      ...banner,
      "Paste into ElevenLabs (behind an HTTPS tunnel for a real agent):",
      `  conversation-initiation webhook: ${base}/client-data   (header X-Workspace-Key)`,
      `  retrieve server tool:            ${base}/retrieve      (header X-Workspace-Key)`,
      `  post-call webhook:               ${base}/post-call     (HMAC secret = ELEVENLABS_HMAC_KEY)`,
      `Operator dashboard: ${base}/dashboard   (sign in with DASHBOARD_TOKEN; never expose it without a tunnel you control)`,
      "Try it:",
      `  curl -s ${base}/client-data -H 'content-type: application/json' -H "X-Workspace-Key: $ELEVENLABS_WORKSPACE_KEY" -d '{"caller_id":"+15550100123"}'`,
    ].join("\n"),
  );
  worker.start();

  const close = async () => {
    server.close();
    await worker.stop();
    await app.close();
  };
  const shutdown = async (signal: string) => {
    app.logger.info("shutting down", { signal });
    await close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  return { app, server, worker, baseUrl: base, close };
}

/** The one-line reason a start failed, as both entry points print it. */
export function startFailure(error: unknown): string {
  const message = error instanceof ConfigError ? error.message : describeError(error);
  return `AgenticMemory could not start: ${message}`;
}
