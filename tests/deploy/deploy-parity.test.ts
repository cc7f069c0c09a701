// Deploy parity: every function runs here exactly as `pulumi up` would deploy it. The Pulumi program
// runs under mocks; each function's generated environment and policy are taken from what it
// registered; the real bundles are built and each is loaded in its own process with exactly that
// environment plus the ADDITIONS below; a whole life is driven through them against the S3/SSM
// emulator and the Mem0 and ElevenLabs stand-ins; and every AWS call each bundle made is evaluated
// against its own generated policy with an offline IAM evaluator.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FUNCTIONS, type FunctionDeclaration } from "../../adapters/function-declarations";
import { signatureHeader } from "../../domain/webhook-signature";
import { functionEnvironment, type FunctionsArgs } from "../../infra/functions";
import { functionPolicy } from "../../infra/iam-policies";
import { type AwsCall, AwsCallRecorder } from "../support/aws-call-recorder";
import { createBucket, putSecureStrings, startAwsEndpoint, type AwsEndpoint } from "../support/aws-endpoint";
import { startElevenLabsStandIn, type ElevenLabsStandIn } from "../support/elevenlabs-stand-in";
import { fixtureText, transcriptionFor } from "../support/fixtures";
import { evaluateCalls, type PolicyDocument } from "../support/iam-evaluation";
import { apiEvent, s3ObjectCreated, scheduledEvent } from "../support/lambda-events";
import { startLambda, type LambdaProcess } from "../support/lambda-process";
import { startMem0StandIn, type Mem0StandIn } from "../support/mem0-stand-in";
import { ACCOUNT_ID, REGION, T, policyDocument, runProgram, secretValue, type ProgramRun } from "../infra/program-harness";

const ROOT = resolve(import.meta.dirname, "..", "..");
const STACK = "prod";
const P = `elevenlabs-agentic-memory-${STACK}`;
const BUCKET = `${P}-archive-${ACCOUNT_ID}`;
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${P}-secrets`;
const WORKSPACE_KEY = "parity-workspace-key";
const HMAC_KEY = "parity-hmac-key";
const CALLER = "+15550100123";
const CONVERSATION = "conv_5201kfx7demo0conv0fixt00001a";
const NAMES = Object.keys(FUNCTIONS) as (keyof typeof FUNCTIONS)[];

/**
 * What each process gets beyond the environment Pulumi generated, and nothing else: where AWS is
 * (the recording endpoint in front of the emulator), dummy credentials and the region the mocks
 * deploy into, and the hosts of the Mem0 and ElevenLabs API stand-ins for the functions that call them.
 * The runner (tests/support/lambda-runner.mjs) sets `AWS_LAMBDA_FUNCTION_NAME` itself, as the Lambda
 * runtime does: the handlers prime their scope while imported where it is set.
 */
function additions(generated: Record<string, string>, awsEndpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    ...(generated.MEMORY_BACKEND === "mem0" ? { MEM0_HOST: mem0.host } : {}),
    ...(generated.ELEVENLABS_API_KEY_PARAM !== undefined ? { ELEVENLABS_API_HOST: elevenlabs.host } : {}),
  };
}

/** Statements no bundle call can use, and why each is still needed. */
const USED_BY_AWS_ITSELF: Readonly<Record<string, string>> = {
  OwnLogGroup: "the Lambda service writes the function's output to its log group with the function's role",
  DeadLetter: "the Lambda service sends a failed asynchronous invocation to the dead-letter queue with the function's role",
};

let aws: AwsEndpoint;
let mem0: Mem0StandIn;
let elevenlabs: ElevenLabsStandIn;
let run: ProgramRun;
let recorder: AwsCallRecorder;
let s3: S3Client;
let bundles: string;
const lambdas = new Map<string, LambdaProcess>();
const generatedEnv = new Map<string, Record<string, string>>();

const lambda = (name: string): LambdaProcess => {
  const found = lambdas.get(name);
  if (found === undefined) throw new Error(`no process for ${name}`);
  return found;
};
const fnInputs = (name: string) => run.get(T.function, `${P}-${name}`).inputs;

async function http(name: "client-data" | "retrieve" | "remember" | "post-call", body: string, headers: Record<string, string>) {
  const answer = await lambda(name).invoke<{ statusCode: number; body: string }>(apiEvent(FUNCTIONS[name].trigger.path, body, headers));
  if (!answer.ok || answer.result === undefined) throw new Error(`${name} failed: ${JSON.stringify(answer.error)}\n${lambda(name).output().slice(-2000)}`);
  return { status: answer.result.statusCode, body: JSON.parse(answer.result.body) as Record<string, unknown> };
}
const clientData = (callerId: string) => http("client-data", JSON.stringify({ caller_id: callerId }), { "x-workspace-key": WORKSPACE_KEY });
const retrieve = (query: string) => http("retrieve", JSON.stringify({ query, user_id: CALLER, limit: 5 }), { "x-workspace-key": WORKSPACE_KEY });
const postCall = (body: string, signedAt = Math.floor(Date.now() / 1000)) =>
  http("post-call", body, { "content-type": "application/json", "elevenlabs-signature": signatureHeader(HMAC_KEY, body, signedAt) });
const worker = (key: string) => lambda("worker").invoke<{ processed: number; parked: number }>(s3ObjectCreated(BUCKET, key));
const sweep = () => lambda("sweep").invoke<Record<string, unknown>>(scheduledEvent(`arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/${P}-sweep`));

async function keys(prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key ?? "").sort();
}
async function text(key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await out.Body?.transformToString()) ?? "";
}
/** An event stored `ageSecs` ago whose S3 notification never reached the worker. */
async function storeUnnotified(key: string, body: string, ageSecs: number): Promise<void> {
  const receivedAt = String(Math.floor(Date.now() / 1000) - ageSecs);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: "application/json", ServerSideEncryption: "AES256", Metadata: { "received-at": receivedAt } }));
}

beforeAll(async () => {
  [aws, mem0, elevenlabs] = await Promise.all([startAwsEndpoint(), startMem0StandIn(), startElevenLabsStandIn()]);
  // Every secret the program knows, so every declared parameter and grant exists.
  run = await runProgram(STACK, {}, {
    mem0ApiKey: mem0.apiKey,
    elevenlabsWorkspaceKey: WORKSPACE_KEY,
    elevenlabsHmacKey: HMAC_KEY,
    elevenlabsApiKey: elevenlabs.apiKey,
  });

  bundles = mkdtempSync(join(tmpdir(), "parity-bundles-"));
  execFileSync("npm", ["run", "build", "--", "--out", bundles], { cwd: ROOT, stdio: "pipe" });

  s3 = new S3Client(aws.clientConfig);
  await createBucket(s3, BUCKET);
  if (run.ofType(T.bucketVersioning).length > 0) {
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Enabled" } }));
  }
  const parameters = Object.fromEntries(
    run.ofType(T.parameter).map((parameter) => [String(parameter.inputs.name), String(secretValue(parameter.inputs.value).value)]),
  );
  // In the functions' region: SSM parameters are regional.
  await putSecureStrings(new SSMClient({ ...aws.clientConfig, region: REGION }), parameters);

  recorder = new AwsCallRecorder({ upstream: aws.endpoint, region: REGION, accountId: ACCOUNT_ID, parametersKeyArn: KEY_ARN });
  for (const name of NAMES) {
    const inputs = fnInputs(name);
    const generated = (inputs.environment as { variables: Record<string, string> }).variables;
    generatedEnv.set(name, generated);
    const env = { ...generated, ...additions(generated, await recorder.endpointFor(name)) };
    lambdas.set(name, await startLambda(bundles, name, env, Number(inputs.timeout)));
  }
}, 240_000);

afterAll(async () => {
  if (process.env.PARITY_LOGS === "1") for (const [name, p] of lambdas) console.log(`--- ${name}\n${p.output().slice(-3000)}`);
  await Promise.all([...lambdas.values()].map((p) => p.stop()));
  await Promise.all([recorder?.close(), aws?.stop(), mem0?.close(), elevenlabs?.close()]);
});

describe("deploy parity: the bundles with exactly what Pulumi gives them", () => {
  it("deploys every declared function, and only those, on a runtime AWS accepts", () => {
    expect(run.ofType(T.function).map((r) => r.name).sort()).toEqual(NAMES.map((name) => `${P}-${name}`).sort());
    for (const name of NAMES) expect(fnInputs(name).runtime).toMatch(/^nodejs(22|24)\.x$/);
  });

  it("gives post-call no memory backend and no Mem0 secret, retrieve no bucket, and client-data the bucket for profiles only", () => {
    expect(Object.keys(generatedEnv.get("post-call") ?? {}).filter((k) => k.startsWith("MEM0") || k === "MEMORY_BACKEND")).toEqual([]);
    expect(generatedEnv.get("retrieve")?.ARCHIVE_BUCKET).toBeUndefined();
    expect(generatedEnv.get("client-data")?.ARCHIVE_BUCKET).toBe(BUCKET);
    expect(FUNCTIONS["client-data"].bucket.map((grant) => grant.prefix)).toEqual(["profiles/"]);
  });

  it("opens the bucket's connection during Init in each function that keeps caller profiles, by reading a fictional caller's profile", () => {
    // Before any event reached them (beforeAll only started them): what their Init did.
    const rehearsalProfile = `arn:aws:s3:::${BUCKET}/profiles/+15550100199.json`;
    const readDuringInit = NAMES.filter((name) => recorder.of(name).some((c) => c.action === "s3:GetObject" && c.resource === rehearsalProfile));

    expect(readDuringInit.sort()).toEqual(["client-data", "remember", "sweep", "worker"]);
  });

  it("lives a caller's whole life: unknown, called, remembered by name, found, delivered twice, written once", async () => {
    const before = await clientData(CALLER);
    const transcription = fixtureText("post-call-transcription.json");
    const ack = await postCall(transcription);
    const audioAck = await postCall(fixtureText("post-call-audio.json"));
    const audioWorked = await worker(`inbox/post_call_audio/${CONVERSATION}.json`);
    const worked = await worker(`inbox/post_call_transcription/${CONVERSATION}.json`);
    const mem0RequestsBefore = mem0.requests.length;
    const after = await clientData(CALLER);
    const mem0RequestsOfClientData = mem0.requests.length - mem0RequestsBefore;
    const found = await retrieve("vegetarian");

    expect(before.status).toBe(200);
    expect(before.body.dynamic_variables).toEqual({ caller_id: CALLER, memory_count: "0", memory_summary: "", returning_caller: "no", caller_name: "" });
    expect([ack.status, audioAck.status]).toEqual([200, 200]);
    expect(audioWorked.ok && worked.ok).toBe(true);
    expect(await keys(`transcripts/${CALLER}/`)).toEqual([`transcripts/${CALLER}/${CONVERSATION}_1767268871.json`]);
    expect(await keys(`audio/${CALLER}/`)).toEqual([`audio/${CALLER}/${CONVERSATION}_1767268873.mp3`]);
    expect(await text(`inbox/post_call_transcription/${CONVERSATION}.json`)).toBe(transcription);
    expect(after.body.dynamic_variables).toMatchObject({ caller_id: CALLER, returning_caller: "yes", caller_name: "Marisol" });
    // The next call starts from the profile the worker wrote: one S3 read, not one request to Mem0.
    expect(await keys(`profiles/${CALLER}`)).toEqual([`profiles/${CALLER}.json`]);
    expect(mem0RequestsOfClientData).toBe(0);
    expect(recorder.of("client-data").filter((c) => c.action === "s3:GetObject").map((c) => c.resource)).toContain(`arn:aws:s3:::${BUCKET}/profiles/${CALLER}.json`);
    expect(found.status).toBe(200);
    const memories = found.body.memories as { memory: string; user_id: string }[];
    expect(memories.some((m) => m.memory.toLowerCase().includes("vegetarian"))).toBe(true);
    expect(memories.every((m) => m.user_id === CALLER)).toBe(true);

    const memoriesBefore = mem0.memories(CALLER).length;
    const putsBefore = recorder.of("post-call").filter((c) => c.action === "s3:PutObject").length;
    const again = await postCall(transcription);
    const redelivered = await worker(`inbox/post_call_transcription/${CONVERSATION}.json`);

    expect(again.status).toBe(200);
    expect(redelivered.result).toEqual({ processed: 1, parked: 0 });
    expect(recorder.of("post-call").filter((c) => c.action === "s3:PutObject").length).toBe(putsBefore);
    expect(mem0.memories(CALLER).length).toBe(memoriesBefore);
  });

  it("remembers a fact during a call: stored at once, found by retrieve in the same call, and the caller's profile rebuilt", async () => {
    const caller = "+15550100131";
    const conversation = "conv_parity_remember";
    const remember = (fact: string) =>
      http("remember", JSON.stringify({ user_id: caller, fact, category: "contact preference", conversation_id: conversation }), { "x-workspace-key": WORKSPACE_KEY });

    const first = await remember("Prefers text messages over calls");
    const again = await remember("prefers text messages over calls.");
    const found = await http("retrieve", JSON.stringify({ query: "text messages", user_id: caller }), { "x-workspace-key": WORKSPACE_KEY });
    const next = await clientData(caller);

    expect(first).toMatchObject({ status: 200, body: { status: "stored" } });
    expect(again).toMatchObject({ status: 200, body: { status: "already_remembered" } });
    expect((found.body.memories as { memory: string }[]).map((m) => m.memory)).toContain("Prefers text messages over calls");
    expect(mem0.memories(caller)).toHaveLength(1);
    expect(await keys(`profiles/${caller}`)).toEqual([`profiles/${caller}.json`]);
    expect(next.body.dynamic_variables).toMatchObject({ returning_caller: "yes", memory_count: "1" });
    expect(String((next.body.dynamic_variables as Record<string, string>).memory_summary)).toContain("Prefers text messages over calls");
  });

  it("refuses an unsigned post-call with 401 and stores nothing", async () => {
    const body = transcriptionFor({ conversationId: "conv_parity_unsigned", callerId: "+15550100128" });
    const answer = await http("post-call", body, { "content-type": "application/json" });

    expect(answer.status).toBe(401);
    expect(await keys("inbox/post_call_transcription/conv_parity_unsigned")).toEqual([]);
  });

  it("parks an event when Mem0 is down, and replay ingests it exactly once", async () => {
    const caller = "+15550100129";
    const key = "inbox/post_call_transcription/conv_parity_outage.json";
    expect((await postCall(transcriptionFor({ conversationId: "conv_parity_outage", callerId: caller }))).status).toBe(200);

    mem0.failNext(500, 1_000);
    const worked = await worker(key);
    mem0.reset();
    const parked = await keys("failed/post_call_transcription/conv_parity_outage");
    // Not execFileSync: the Mem0 stand-in answers from this very process.
    const { stdout: replay } = await promisify(execFile)(process.execPath, ["bin/agentic-memory.mjs", "replay", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
      // The operator's own configuration and credentials (not a function's): the CLI runs outside Lambda.
      env: {
        PATH: process.env.PATH ?? "",
        AWS_ENDPOINT_URL: aws.endpoint,
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        ARCHIVE_BUCKET: BUCKET,
        MEMORY_BACKEND: "mem0",
        MEM0_API_KEY: mem0.apiKey,
        MEM0_HOST: mem0.host,
        DATA_DIR: bundles,
        POWERTOOLS_LOG_LEVEL: "ERROR",
      },
      timeout: 60_000,
    });
    const afterReplay = mem0.memories(caller).length;
    await worker(key);

    expect(worked.result).toEqual({ processed: 0, parked: 1 });
    expect(parked).toEqual(["failed/post_call_transcription/conv_parity_outage.json"]);
    expect(JSON.parse(replay)).toMatchObject({ replayed: 1, failed: 0, events: [{ id: "post_call_transcription/conv_parity_outage", status: "ingested" }] });
    expect(afterReplay).toBeGreaterThan(0);
    expect(mem0.memories(caller).length).toBe(afterReplay);
  });

  it("acknowledges a signed event of a type it does not know, keeps it, and parks it with its reason", async () => {
    const body = JSON.stringify({ type: "answering_machine_detection", event_timestamp: 1767268900, data: { conversation_id: "conv_parity_amd", agent_id: "agent_x" } });

    const ack = await postCall(body);
    const worked = await worker("inbox/answering_machine_detection/conv_parity_amd.json");
    const note = JSON.parse(await text("failed/answering_machine_detection/conv_parity_amd.json")) as { reason: string };

    expect(ack.status).toBe(200);
    expect(await text("inbox/answering_machine_detection/conv_parity_amd.json")).toBe(body);
    expect(worked.result).toEqual({ processed: 0, parked: 1 });
    expect(note.reason).toMatch(/answering_machine_detection/);
  });

  it("keeps calls flowing while Mem0 fails: a caller with a profile is still known, one without is answered as new in time, retrieve an empty list", async () => {
    // Known to Mem0, but no call of theirs was ingested here: no profile, so client-data must ask Mem0.
    mem0.seed({ userId: "+15550100133", text: "Caller's name is Ada.", metadata: { type: "factual", source: "caller_name" } });
    mem0.failNext(500, 1_000);
    try {
      const known = await clientData(CALLER);
      const started = Date.now();
      const call = await clientData("+15550100133");
      const clientDataMs = Date.now() - started;
      const search = await retrieve("vegetarian");

      expect(known.body.dynamic_variables).toMatchObject({ returning_caller: "yes", caller_name: "Marisol" });
      expect(call.status).toBe(200);
      expect(call.body.dynamic_variables).toMatchObject({ returning_caller: "no", memory_count: "0" });
      // CLIENT_DATA_DEADLINE_MS is 1.5 s; the rest is margin for a loaded machine.
      expect(clientDataMs).toBeLessThan(3_000);
      expect(search.status).toBe(200);
      expect(search.body.memories).toEqual([]);
    } finally {
      mem0.reset();
    }
  });

  it("sweeps on schedule: re-drives a lost notification, archives orphaned audio, fetches a recording that never came", async () => {
    const lostCaller = "+15550100131";
    await storeUnnotified("inbox/post_call_transcription/conv_parity_lost.json", transcriptionFor({ conversationId: "conv_parity_lost", callerId: lostCaller }), 600);
    const orphan = JSON.stringify({ type: "post_call_audio", event_timestamp: 1767268999, data: { agent_id: "agent_x", conversation_id: "conv_parity_orphan", full_audio: "SUQzBAAAAAAAAP/7kGQAAAAA" } });
    await storeUnnotified("inbox/post_call_audio/conv_parity_orphan.json", orphan, 2 * 3600);
    const longCaller = "+15550100132";
    await storeUnnotified(
      "inbox/post_call_transcription/conv_parity_long.json",
      transcriptionFor({ conversationId: "conv_parity_long", callerId: longCaller, eventTimestamp: 1767269000 }),
      2 * 3600,
    );
    elevenlabs.setAudio("conv_parity_long", Buffer.from("long call mp3 bytes"));

    const swept = await sweep();

    expect(swept.ok).toBe(true);
    expect(mem0.memories(lostCaller).length).toBeGreaterThan(0);
    expect(await keys("audio/unmatched/")).toEqual(["audio/unmatched/conv_parity_orphan_1767268999.mp3"]);
    expect(await keys(`audio/${longCaller}/`)).toEqual([`audio/${longCaller}/conv_parity_long_1767269000.mp3`]);
    expect(await text(`audio/${longCaller}/conv_parity_long_1767269000.mp3`)).toBe("long call mp3 bytes");
    expect(await keys("awaiting-audio/conv_parity_long")).toEqual([]);
  });

  it("parks an event the sweep cannot ingest, with the sweep's reason", async () => {
    await storeUnnotified("inbox/post_call_transcription/conv_parity_sweep_fail.json", transcriptionFor({ conversationId: "conv_parity_sweep_fail", callerId: "+15550100135" }), 600);
    mem0.failNext(500, 1_000);
    try {
      const swept = await sweep();

      expect(swept.ok).toBe(true);
      const note = JSON.parse(await text("failed/post_call_transcription/conv_parity_sweep_fail.json")) as { reason: string };
      expect(note.reason).toMatch(/^sweep: /);
    } finally {
      mem0.reset();
    }
  });

  it("prints one EMF metric line per request under the namespace Pulumi gives the function (no grant needed), and none from the sweep", () => {
    type EmfLine = { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] }; route: string; [metric: string]: unknown };
    const emf = (name: string): EmfLine[] =>
      lambda(name)
        .output()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Partial<EmfLine>)
        .filter((line): line is EmfLine => line._aws !== undefined);

    for (const name of ["client-data", "retrieve", "remember", "post-call", "worker"] as const) {
      expect(generatedEnv.get(name)?.METRICS_NAMESPACE).toBe(P);
      expect(emf(name).length).toBeGreaterThan(0);
      for (const line of emf(name)) {
        expect(line._aws.CloudWatchMetrics).toEqual([expect.objectContaining({ Namespace: P, Dimensions: [["service", "route"]] })]);
        expect(line.route).toBe(name);
      }
    }
    // The returning caller of the life above, greeted by name; the unsigned post-call refused; the call's memories written.
    expect(emf("client-data").some((line) => line.Ok === 1 && line.Returning === 1 && line.GreetedByName === 1)).toBe(true);
    expect(emf("post-call").some((line) => line.Rejected === 1)).toBe(true);
    expect(emf("worker").some((line) => typeof line.MemoriesWritten === "number" && line.MemoriesWritten > 0)).toBe(true);
    expect(generatedEnv.get("sweep")?.METRICS_NAMESPACE).toBeUndefined();
    expect(emf("sweep")).toEqual([]);
  });

  it("makes no AWS call that the function's generated policy would deny", async () => {
    const denied: string[] = [];
    for (const name of NAMES) denied.push(...(await verdictOf(name, generatedPolicy(name))).denied);

    expect(recorder.calls.length).toBeGreaterThan(0);
    expect(denied).toEqual([]);
  });

  it("grants no statement, and no action in one, that no call uses, except those AWS itself uses on the function's behalf", async () => {
    const unused: string[] = [];
    for (const name of NAMES) {
      const policy = generatedPolicy(name);
      const { used } = await verdictOf(name, policy);
      for (const statement of policy.Statement) {
        const sid = statement.Sid ?? "(no Sid)";
        if (USED_BY_AWS_ITSELF[sid] !== undefined) continue;
        for (const action of [statement.Action].flat()) if (!used.has(`${sid} ${action}`)) unused.push(`${name}: ${sid} ${action}`);
      }
    }

    expect(unused).toEqual([]);
  });
});

describe("the parity test goes red when a declaration and the code disagree", () => {
  it("names the call a policy without post-call's failed/ prefix would deny", async () => {
    const declaration = FUNCTIONS["post-call"];
    const narrowed: FunctionDeclaration = { ...declaration, bucket: declaration.bucket.filter((grant) => grant.prefix !== "failed/") };

    const { denied } = await verdictOf("post-call", await rendered(narrowed));

    expect(denied.length).toBeGreaterThan(0);
    expect(denied[0]).toMatch(/^post-call: s3:ListBucket on arn:aws:s3:::elevenlabs-agentic-memory-prod-archive-123456789012 with .*"s3:prefix":"failed\//);
  });

  it("fails the signed post-call when the declaration loses the HMAC secret", async () => {
    const declaration = FUNCTIONS["post-call"];
    const narrowed: FunctionDeclaration = { ...declaration, secrets: [] };
    const env = Object.fromEntries(Object.entries(functionEnvironment(narrowed, stackArgs())).map(([k, v]) => [k, String(v)]));
    const process_ = await startLambda(bundles, "post-call", { ...env, ...additions(env, aws.endpoint) }, 30);
    try {
      const body = transcriptionFor({ conversationId: "conv_parity_no_secret", callerId: "+15550100133" });
      const answer = await process_.invoke<{ statusCode: number; body: string }>(
        apiEvent("/post-call", body, { "elevenlabs-signature": signatureHeader(HMAC_KEY, body, Math.floor(Date.now() / 1000)) }),
      );

      expect(env.ELEVENLABS_HMAC_KEY_PARAM).toBeUndefined();
      expect(answer.result?.statusCode).toBe(500);
      expect(process_.output()).toMatch(/ELEVENLABS_HMAC_KEY/);
    } finally {
      await process_.stop();
    }
  });
});

describe("post-call answers within API Gateway's 30 s while S3 hangs", () => {
  let hanging: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Accepts connections and never answers: the worst case for the acknowledgement path.
    hanging = createServer((socket) => sockets.add(socket));
    await new Promise<void>((ready) => hanging.listen(0, "127.0.0.1", ready));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((done) => hanging.close(() => done()));
  });

  it("answers 503 (retryable) well before 30 s, with the SDK settings and retries it ships with", async () => {
    const generated = generatedEnv.get("post-call") ?? {};
    const port = (hanging.address() as { port: number }).port;
    // SSM answers (the secret is read), S3 hangs.
    const env = { ...generated, ...additions(generated, await recorder.endpointFor("post-call-hanging-s3")), AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` };
    const stalled = await startLambda(bundles, "post-call", env, Number(fnInputs("post-call").timeout));
    try {
      const body = transcriptionFor({ conversationId: "conv_parity_hang", callerId: "+15550100134" });
      const started = Date.now();
      const answer = await stalled.invoke<{ statusCode: number; body: string }>(
        apiEvent("/post-call", body, { "elevenlabs-signature": signatureHeader(HMAC_KEY, body, Math.floor(Date.now() / 1000)) }),
      );
      const elapsed = Date.now() - started;

      expect(answer.result?.statusCode).toBe(503);
      expect(elapsed).toBeLessThan(25_000);
    } finally {
      await stalled.stop();
    }
  }, 60_000);
});

/** The policy Pulumi generated for one function. */
function generatedPolicy(name: string): PolicyDocument {
  return policyDocument(run.get(T.rolePolicy, `${P}-${name}`)) as unknown as PolicyDocument;
}

/** The ARNs and names of this stack, as the program computed them, for rendering a changed declaration. */
function stackArgs(): FunctionsArgs {
  const parameters = Object.fromEntries(run.ofType(T.parameter).map((p) => [String(p.name).slice(`${P}-`.length), p.inputs.name]));
  return {
    prefix: P,
    bundleDir: bundles,
    memorySize: 128,
    reservedConcurrency: 10,
    logRetentionDays: 7,
    logLevel: "INFO",
    metricsNamespace: P,
    settings: { RETRIEVE_REQUIRE_KEY: "true" },
    bucketName: BUCKET,
    bucketArn: `arn:aws:s3:::${BUCKET}`,
    deadLetterQueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${P}-worker-dlq`,
    parameters: {},
    parameterNames: parameters as FunctionsArgs["parameterNames"],
    secretsKeyArn: KEY_ARN,
  };
}

/** A declaration's policy, rendered the way the program renders it (same ARNs). */
async function rendered(declaration: FunctionDeclaration): Promise<PolicyDocument> {
  const { jsonStringify } = await import("@pulumi/pulumi");
  const parameterArns = declaration.secrets.map((secret) => `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter/elevenlabs-agentic-memory/${STACK}/${secret}`);
  const document = functionPolicy({
    declaration,
    logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/lambda/${P}-${declaration.name}`,
    parameterArns,
    secretsKeyArn: KEY_ARN,
    bucketArn: `arn:aws:s3:::${BUCKET}`,
    deadLetterQueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${P}-worker-dlq`,
  });
  return new Promise((done) => jsonStringify(document).apply((json) => done(JSON.parse(json) as PolicyDocument)));
}

async function verdictOf(name: string, policy: PolicyDocument) {
  const bucketPolicy = JSON.parse(String(run.ofType(T.bucketPolicy)[0]?.inputs.policy ?? "{}")) as object;
  const key = run.ofType(T.key)[0]?.inputs;
  // A key created without a policy gets AWS's default one: the account may use it as IAM allows.
  const keyPolicy =
    typeof key?.policy === "string"
      ? (JSON.parse(key.policy) as object)
      : { Version: "2012-10-17", Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }] };
  const calls: AwsCall[] = recorder.of(name);
  return evaluateCalls(calls, policy, {
    accountId: ACCOUNT_ID,
    roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${P}-${name}-role`,
    resourcePolicyFor: (call) => (call.action.startsWith("s3:") ? bucketPolicy : call.action.startsWith("kms:") ? keyPolicy : undefined),
  });
}
