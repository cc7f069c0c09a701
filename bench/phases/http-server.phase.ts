/**
 * Bench phase (own process): `npm start`'s server — `createLocalServer` with the in-process worker —
 * on 127.0.0.1 over the seeded data dir, so the load generator has a core of its own.
 */
import { buildApp } from "../../adapters/composition-root";
import { loadEnv } from "../../adapters/config";
import { LocalWorker } from "../../adapters/inbound/local/local-worker";
import { createLocalServer } from "../../adapters/inbound/local/local-server";
import { phaseConfig, runPhase, tell } from "../support/child";

export interface HttpServerConfig {
  readonly dataDir: string;
  readonly keys: { readonly workspaceKey: string; readonly hmacKey: string };
}

runPhase(async () => {
  const { dataDir, keys } = phaseConfig<HttpServerConfig>();
  const env = loadEnv({ DATA_DIR: dataDir, MEMORY_BACKEND: "embedded", ELEVENLABS_WORKSPACE_KEY: keys.workspaceKey, ELEVENLABS_HMAC_KEY: keys.hmacKey, PORT: "0" });
  const worker = new LocalWorker();
  const app = await buildApp(env, { trigger: worker });
  worker.attach(app);
  worker.start();
  const server = createLocalServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the server has no TCP address");
  await tell({ type: "ready", port: address.port });
  // Stop at once: the worker's backlog of load-test events belongs to a temp dir that is about to go.
  await new Promise<void>((resolve) => {
    process.on("message", (message) => message === "stop" && resolve());
    process.on("disconnect", () => resolve());
  });
  server.closeAllConnections();
  server.close();
});
