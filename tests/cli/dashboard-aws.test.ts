// `agentic-memory dashboard` against an AWS deployment, configured as the README's "Operator dashboard"
// section says: ARCHIVE_BUCKET (the S3 emulator), MEMORY_BACKEND=mem0 with MEM0_API_KEY (the Mem0
// stand-in, through MEM0_HOST), METRICS_NAMESPACE (CloudWatch on the emulator), the operator's own AWS
// credentials and region, and DASHBOARD_TOKEN. What it shows was put there by the product: the local
// server runs the production handlers and worker over the same bucket, Mem0 and namespace.
//
// One stand-in step: CloudWatch Logs turns the EMF lines a function prints into metrics; the emulator
// has no such thing, so the lines the server printed are put in with PutMetricData as CloudWatch Logs
// would (`emfToMetricData`, per the EMF specification).
import { networkInterfaces } from "node:os";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBucket, startAwsEndpoint, type AwsEndpoint } from "../support/aws-endpoint";
import { emfLinesOf, emfToMetricData, type EmfLine } from "../support/emf";
import { transcriptionFor } from "../support/fixtures";
import { startMem0StandIn, type Mem0StandIn } from "../support/mem0-stand-in";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";
import { clientData, deliver, eventually } from "./cli-process";
import { signIn, startDashboard, type DashboardProcess } from "./dashboard-process";

const CALLER = "+15550100142";
const CONVERSATION = "conv_dash_aws_1";
const NAMESPACE = "agentic-memory-dashboard-test";
const TOKEN = "operator-dashboard-token-0123456789";

let aws: AwsEndpoint;
let mem0: Mem0StandIn;
let s3: S3Client;
let cloudwatch: CloudWatchClient;
let server: ServerProcess | undefined;
let dashboard: DashboardProcess | undefined;
let emf: EmfLine[] = [];
let cookie = "";

/** What the deployment's functions and the operator's machine share: where AWS is, the bucket, Mem0, the namespace. */
function deploymentEnv(bucket: string): Record<string, string> {
  return {
    ARCHIVE_BUCKET: bucket,
    MEMORY_BACKEND: "mem0",
    MEM0_API_KEY: mem0.apiKey,
    MEM0_HOST: mem0.host,
    METRICS_NAMESPACE: NAMESPACE,
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: aws.region,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
  };
}

async function keysIn(bucket: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key ?? "");
}

/** The stand-in for CloudWatch Logs' EMF extraction: each line's metric data, put as CloudWatch would. */
async function extractMetrics(lines: readonly EmfLine[]): Promise<void> {
  for (const { namespace, data } of lines.flatMap(emfToMetricData)) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
  }
}

async function page(path: string): Promise<{ status: number; html: string }> {
  const response = await fetch(`${dashboard?.url}${path}`, { headers: { cookie } });
  return { status: response.status, html: await response.text() };
}

/** The value of one overview tile, e.g. `tile(html, "last24h", "calls")`. */
function tile(html: string, window: string, metric: string): string | undefined {
  const tiles = new RegExp(`data-window="${window}">([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? "";
  return new RegExp(`data-metric="${metric}">.*?<span class="value">([^<]*)</span>`).exec(tiles)?.[1];
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

beforeAll(async () => {
  [aws, mem0] = await Promise.all([startAwsEndpoint(), startMem0StandIn()]);
  s3 = new S3Client(aws.clientConfig);
  cloudwatch = new CloudWatchClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  const bucket = await createBucket(s3);
  const env = deploymentEnv(bucket);

  // A caller's first call and the next one, through the production handlers and worker.
  server = await startServerProcess({ env });
  let stdout = "";
  server.child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, CALLER)).variables.returning_caller).toBe("no");
  expect(await deliver(server.baseUrl, TEST_HMAC_KEY, transcriptionFor({ conversationId: CONVERSATION, callerId: CALLER }))).toBe(200);
  await eventually(() => keysIn(bucket), (keys) => keys.includes(`processed/post_call_transcription/${CONVERSATION}.json`) && keys.includes(`profiles/${CALLER}.json`), 15_000);
  expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, CALLER)).variables.returning_caller).toBe("yes");
  emf = await eventually(
    async () => emfLinesOf(stdout.slice(0, stdout.lastIndexOf("\n") + 1)), // whole lines only
    (lines) => lines.filter((line) => line.route === "client-data").length === 2 && lines.some((line) => line.route === "worker"),
    10_000,
  );
  await server.kill();
  await extractMetrics(emf);

  dashboard = await startDashboard({ ...env, DASHBOARD_TOKEN: TOKEN });
  const session = await signIn(dashboard.url, TOKEN);
  expect(session.status).toBe(303);
  cookie = session.cookie ?? "";
}, 60_000);

afterAll(async () => {
  dashboard?.child.kill("SIGTERM");
  await server?.kill();
  s3?.destroy();
  cloudwatch?.destroy();
  await Promise.all([mem0?.close(), aws?.stop()]);
});

describe("agentic-memory dashboard (AWS: S3, Mem0 and CloudWatch)", () => {
  it("listens on 127.0.0.1 only, over the configured backends, and shows nothing before sign-in", async () => {
    const port = new URL(dashboard?.url ?? "").port;
    const otherAddresses = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && a.family === "IPv4" && !a.internal)
      .map((a) => a?.address ?? "");

    const unsigned = await fetch(`${dashboard?.url}/dashboard/callers`);
    const elsewhere = await Promise.all(otherAddresses.map((address) => fetch(`http://${address}:${port}/dashboard`).then((r) => `answered ${r.status}`, () => "refused")));

    expect(dashboard?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dashboard?.output()).toContain("(memories: mem0, archive: s3)");
    expect(unsigned.status).toBe(401);
    expect(await unsigned.text()).not.toContain("0142");
    expect(elsewhere.every((outcome) => outcome === "refused")).toBe(true);
  });

  it("shows the calls and memories the functions recorded, read from CloudWatch", async () => {
    const memoriesWritten = emf.filter((line) => line.route === "worker").reduce((sum, line) => sum + Number(line.MemoriesWritten), 0);

    const overview = await page("/dashboard");

    expect(overview.status).toBe(200);
    expect(overview.html).toContain(`From CloudWatch (namespace ${NAMESPACE})`);
    for (const window of ["last24h", "last7d"]) {
      expect(tile(overview.html, window, "calls")).toBe("2");
      expect(tile(overview.html, window, "returning")).toBe("50 %");
      expect(tile(overview.html, window, "greeted")).toBe("50 %");
      expect(tile(overview.html, window, "memories")).toBe(String(memoriesWritten));
    }
    expect(memoriesWritten).toBeGreaterThan(0);
    // How many requests each route had comes from SampleCount, which every CloudWatch computes.
    expect(overview.html).toMatch(/<tr data-route="client-data">(<t[dh][^>]*>[^<]*<\/t[dh]>){3}<td class="num">2<\/td>/);
  });

  it("still renders when CloudWatch refuses the latency percentiles (moto answers p50/p95 with a 500), and says so", async ({ skip }) => {
    if (aws.kind !== "moto") skip("only moto refuses percentile statistics");
    const overview = await page("/dashboard");

    expect(overview.status).toBe(200);
    expect(overview.html).toMatch(/data-metric="latency-unavailable">Latency percentiles are unavailable: CloudWatch did not answer the p50\/p95 query \(HTTP 500\)/);
    expect(overview.html).toMatch(/<tr data-route="client-data"><th scope="row">\/client-data<\/th><td class="num">unavailable<\/td><td class="num">unavailable<\/td>/);
  });

  it("lists the caller masked, and opens their memories from Mem0 and their call from S3", async () => {
    const memories = mem0.memories(CALLER).map((m) => m.memory);

    const callers = await page("/dashboard/callers");
    const caller = await page(`/dashboard/callers/${encodeURIComponent(CALLER)}`);

    expect(callers.status).toBe(200);
    expect(callers.html).toContain("+*******0142");
    expect(callers.html).not.toContain(CALLER);
    expect(caller.status).toBe(200);
    expect(memories.length).toBeGreaterThan(0);
    for (const memory of memories) expect(caller.html).toContain(escapeHtml(memory));
    expect(caller.html).toContain(`data-call="${CONVERSATION}"`);
    expect(caller.html).toContain(escapeHtml("Hi! Yes, it's Marisol Quenby. I called last week about the dinner booking."));
  });
});
