// `npm start` fills the embedded metrics store: every request the local server hands to a route and every
// event its worker ingests is one metric event in DATA_DIR/metrics.db, and the app's usage reader
// summarises them for the dashboard. Nothing about the caller is kept there.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, type App } from "../../adapters/composition-root";
import { loadEnv } from "../../adapters/config";
import { createLocalServer } from "../../adapters/inbound/local/local-server";
import { LocalWorker } from "../../adapters/inbound/local/local-worker";
import { signatureHeader } from "../../domain/webhook-signature";
import { fixtureText } from "../support/fixtures";
import { eventually } from "../support/eventually";

const WORKSPACE_KEY = "usage-workspace-key";
const HMAC_KEY = "usage-hmac-key";
const CALLER = "+15550100123";

let dataDir: string;
let app: App;
let worker: LocalWorker;
let server: Server;
let base: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "usage-e2e-"));
  const env = loadEnv({ DATA_DIR: dataDir, ELEVENLABS_WORKSPACE_KEY: WORKSPACE_KEY, ELEVENLABS_HMAC_KEY: HMAC_KEY });
  worker = new LocalWorker({ pollMs: 20 });
  app = await buildApp(env, { trigger: worker });
  worker.attach(app);
  worker.start();
  server = createLocalServer(app);
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server?.close();
  await worker?.stop();
  await app?.close();
});

const post = (path: string, body: string, headers: Record<string, string>) =>
  fetch(`${base}${path}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
const clientData = (key = WORKSPACE_KEY) => post("/client-data", JSON.stringify({ caller_id: CALLER }), { "x-workspace-key": key });

describe("metric events of the local server", () => {
  it("records each answered request and each ingestion, and the overview shows the calls, who was known, the memories and the latency", async () => {
    // Prepare: a new caller, a refused request, the call's webhook (ingested by the worker), the caller again, a search.
    const first = await clientData();
    const refused = await clientData("wrong-key");
    const transcription = fixtureText("post-call-transcription.json");
    const ack = await post("/post-call", transcription, { "elevenlabs-signature": signatureHeader(HMAC_KEY, transcription, Math.floor(Date.now() / 1000)) });
    const ingested = await eventually(() => app.usage.overview(Date.now()), (o) => o.last24h.memoriesWritten > 0);
    const again = await clientData();
    const search = await post("/retrieve", JSON.stringify({ query: "vegetarian", user_id: CALLER }), { "x-workspace-key": WORKSPACE_KEY });
    // Answered before any route: not requests of a route.
    await fetch(`${base}/health`);
    await fetch(`${base}/nowhere`);

    // Act
    const overview = await app.usage.overview(Date.now());

    // Assess
    expect([first.status, refused.status, ack.status, again.status, search.status]).toEqual([200, 401, 200, 200, 200]);
    expect(ingested.last24h.memoriesWritten).toBeGreaterThan(0);
    expect(((await again.json()) as { dynamic_variables: Record<string, string> }).dynamic_variables).toMatchObject({ returning_caller: "yes", caller_name: "Marisol" });
    expect(overview.last24h).toMatchObject({ calls: 2, returningShare: 0.5, greetedByNameShare: 0.5, degradedShare: 0 });
    expect(overview.last24h.latency["client-data"].count).toBe(3);
    expect(overview.last24h.latency.retrieve.count).toBe(1);
    expect(overview.last24h.latency["post-call"].count).toBe(1);
    expect(overview.last24h.latency["client-data"].p95).toBeGreaterThan(0);
    expect(overview.days.at(-1)).toMatchObject({ calls: 2, memoriesWritten: overview.last24h.memoriesWritten });
    expect(app.usageSource).toBe(`embedded store (${join(dataDir, "metrics.db")})`);
  });

  it("keeps nothing about the caller in the metrics files: no caller id, no name", () => {
    const files = readdirSync(dataDir).filter((name) => name.startsWith("metrics.db"));
    const bytes = Buffer.concat(files.map((name) => readFileSync(join(dataDir, name))));

    expect(files).toContain("metrics.db");
    expect(bytes.includes(Buffer.from("5550100123"))).toBe(false);
    expect(bytes.includes(Buffer.from("Marisol"))).toBe(false);
  });
});
