import { HeadObjectCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { APIGatewayProxyEventV2, S3Event } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signatureHeader } from "../../domain/webhook-signature";
import { createBucket, putSecureStrings, startAwsEndpoint, type AwsEndpoint } from "../support/aws-endpoint";
import { fixture, fixtureText, transcriptionFor } from "../support/fixtures";
import { startMem0StandIn, type Mem0StandIn } from "../support/mem0-stand-in";

/**
 * The production shape on this machine: the Lambda entry points themselves (`handler` exports,
 * configured only through the environment as on AWS), S3 and SSM on the emulator, Mem0 through the
 * real `mem0ai` client against the stand-in, driven by API Gateway v2 and S3 event fixtures.
 */
const CALLER = "+15550100123";
const WORKSPACE_KEY = "aws-test-workspace-key";
const HMAC_KEY = "aws-test-hmac-key";
const STAGE = "/elevenlabs-agentic-memory/test";

type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<{ statusCode: number; body: string }>;
let aws: AwsEndpoint;
let mem0: Mem0StandIn;
let s3: S3Client;
let bucket: string;
let handlers: { clientData: HttpHandler; retrieve: HttpHandler; postCall: HttpHandler; worker: (e: S3Event) => Promise<{ processed: number }> };

function apiEvent(route: "/client-data" | "/retrieve" | "/post-call", body: string, headers: Record<string, string>): APIGatewayProxyEventV2 {
  const event = fixture<APIGatewayProxyEventV2>("apigw-v2-event.json");
  return {
    ...event,
    routeKey: `POST ${route}`,
    rawPath: route,
    headers: { ...event.headers, ...headers, "content-length": String(Buffer.byteLength(body)) },
    requestContext: { ...event.requestContext, routeKey: `POST ${route}`, http: { ...event.requestContext.http, path: route } },
    body,
    isBase64Encoded: false,
  };
}

function s3Event(key: string): S3Event {
  const event = fixture<S3Event>("s3-object-created.json");
  const record = event.Records[0];
  if (!record) throw new Error("fixture has no record");
  return { Records: [{ ...record, s3: { ...record.s3, bucket: { ...record.s3.bucket, name: bucket }, object: { ...record.s3.object, key } } }] };
}

const keyed = { "x-workspace-key": WORKSPACE_KEY };
const clientData = async (callerId: string) => {
  const res = await handlers.clientData(apiEvent("/client-data", JSON.stringify({ caller_id: callerId }), keyed));
  return { status: res.statusCode, body: JSON.parse(res.body) as { dynamic_variables: Record<string, string>; conversation_config_override?: { agent: { first_message?: string } } } };
};
const retrieve = async (query: string) => {
  const res = await handlers.retrieve(apiEvent("/retrieve", JSON.stringify({ query, user_id: CALLER, limit: 5 }), keyed));
  return { status: res.statusCode, body: JSON.parse(res.body) as { memories: { memory: string; user_id: string; score: number }[]; warning?: string } };
};
const postCall = (body: string) =>
  handlers.postCall(apiEvent("/post-call", body, { "elevenlabs-signature": signatureHeader(HMAC_KEY, body, Math.floor(Date.now() / 1000)) }));

beforeAll(async () => {
  [aws, mem0] = await Promise.all([startAwsEndpoint(), startMem0StandIn()]);
  s3 = new S3Client(aws.clientConfig);
  bucket = await createBucket(s3);
  await putSecureStrings(new SSMClient(aws.clientConfig), {
    [`${STAGE}/ELEVENLABS_WORKSPACE_KEY`]: WORKSPACE_KEY,
    [`${STAGE}/ELEVENLABS_HMAC_KEY`]: HMAC_KEY,
    [`${STAGE}/MEM0_API_KEY`]: mem0.apiKey,
    [`${STAGE}/MEM0_ORG_ID`]: mem0.orgId,
    [`${STAGE}/MEM0_PROJECT_ID`]: mem0.projectId,
  });
  // Exactly what the Pulumi program puts in the Lambda environment (names of parameters, no secrets).
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: aws.region,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    MEMORY_BACKEND: "mem0",
    MEM0_HOST: mem0.host,
    ARCHIVE_BUCKET: bucket,
    ELEVENLABS_WORKSPACE_KEY_PARAM: `${STAGE}/ELEVENLABS_WORKSPACE_KEY`,
    ELEVENLABS_HMAC_KEY_PARAM: `${STAGE}/ELEVENLABS_HMAC_KEY`,
    MEM0_API_KEY_PARAM: `${STAGE}/MEM0_API_KEY`,
    MEM0_ORG_ID_PARAM: `${STAGE}/MEM0_ORG_ID`,
    MEM0_PROJECT_ID_PARAM: `${STAGE}/MEM0_PROJECT_ID`,
    RETRIEVE_DEADLINE_MS: "1500",
    POWERTOOLS_LOG_LEVEL: "ERROR",
  });
  const [cd, rt, pc, wk] = await Promise.all([
    import("../../adapters/inbound/lambda/client-data.handler"),
    import("../../adapters/inbound/lambda/retrieve.handler"),
    import("../../adapters/inbound/lambda/post-call.handler"),
    import("../../adapters/inbound/lambda/worker.handler"),
  ]);
  handlers = { clientData: cd.handler, retrieve: rt.handler, postCall: pc.handler, worker: wk.handler };
});

afterAll(async () => {
  await Promise.all([aws?.stop(), mem0?.close()]);
});

describe("Lambda handlers on S3, SSM and Mem0 (emulated)", () => {
  it("stores a signed post-call encrypted in S3, the worker turns it into memories, and the next call sees them", async () => {
    const body = fixtureText("post-call-transcription.json");
    const inboxKey = "inbox/post_call_transcription/conv_5201kfx7demo0conv0fixt00001a.json";
    const transcriptKey = "transcripts/+15550100123/conv_5201kfx7demo0conv0fixt00001a_1767268871.json";

    const ack = await postCall(body);
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: inboxKey }));
    const storedBody = await stored.Body?.transformToString();
    const worked = await handlers.worker(s3Event(inboxKey));
    const transcript = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: transcriptKey }));
    const next = await clientData(CALLER);
    const found = await retrieve("vegetarian");

    expect(ack.statusCode).toBe(200);
    expect(JSON.parse(ack.body)).toEqual({ status: "ok" });
    expect(storedBody).toBe(body);
    expect(stored.ServerSideEncryption).toBeDefined();
    expect(worked).toEqual({ processed: 1 });
    expect(transcript.ServerSideEncryption).toBeDefined();
    expect(mem0.memories(CALLER).length).toBeGreaterThan(0);
    expect(next.status).toBe(200);
    expect(next.body.dynamic_variables).toMatchObject({ caller_id: CALLER, returning_caller: "yes", caller_name: "Marisol" });
    expect(next.body.conversation_config_override?.agent.first_message).toContain("Marisol");
    expect(found.status).toBe(200);
    expect(found.body.memories.some((m) => m.memory.toLowerCase().includes("vegetarian"))).toBe(true);
    expect(found.body.memories.every((m) => m.user_id === CALLER)).toBe(true);
  });

  it("writes the memories of one call when the worker sees the same event three times", async () => {
    const key = "inbox/post_call_transcription/conv_5201kfx7demo0conv0fixt00001a.json";
    const before = mem0.memories(CALLER).length;

    const again = [await handlers.worker(s3Event(key)), await handlers.worker(s3Event(key)), await handlers.worker(s3Event(key))];

    expect(again.every((r) => r.processed === 1)).toBe(true);
    expect(mem0.memories(CALLER).length).toBe(before);
  });

  it("refuses an unsigned post-call with 401 and writes nothing to S3", async () => {
    const body = transcriptionFor({ conversationId: "conv_aws_unsigned", callerId: "+15550100128" });

    const res = await handlers.postCall(apiEvent("/post-call", body, {}));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "inbox/post_call_transcription/conv_aws_unsigned.json" })).catch((e: unknown) => e);

    expect(res.statusCode).toBe(401);
    expect((head as { name?: string }).name).toBe("NotFound");
  });

  it.each([
    ["answering 500", () => mem0.failNext(500, 50)],
    ["answering 429", () => mem0.failNext(429, 50)],
    ["hanging", () => mem0.setDelay(10_000)],
  ])("keeps calls flowing while Mem0 is %s", async (_case, inject) => {
    inject();
    try {
      const started = Date.now();
      const call = await clientData(CALLER);
      const clientDataMs = Date.now() - started;
      const searchStarted = Date.now();
      const search = await retrieve("vegetarian");
      const retrieveMs = Date.now() - searchStarted;

      expect(call.status).toBe(200);
      expect(call.body.dynamic_variables).toEqual({ caller_id: CALLER, memory_count: "0", memory_summary: "", returning_caller: "no", caller_name: "" });
      expect(clientDataMs).toBeLessThan(2000);
      expect(search.status).toBe(200);
      expect(search.body.memories).toEqual([]);
      expect(search.body.warning).toMatch(/unavailable/);
      expect(retrieveMs).toBeLessThan(2500);
    } finally {
      mem0.reset();
    }
  });

  it("never loses an event when Mem0 fails during ingestion: the worker throws, the event stays, a retry ingests it once", async () => {
    mem0.reset();
    const caller = "+15550100129";
    const body = transcriptionFor({ conversationId: "conv_aws_retry", callerId: caller });
    const key = "inbox/post_call_transcription/conv_aws_retry.json";
    expect((await postCall(body)).statusCode).toBe(200);

    mem0.failNext(500, 100);
    const failed = await handlers.worker(s3Event(key)).then(
      () => "resolved",
      () => "threw",
    );
    mem0.reset();
    const processedBefore = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "processed/post_call_transcription/conv_aws_retry.json" })).catch((e: unknown) => e);
    await handlers.worker(s3Event(key));
    const afterRetry = mem0.memories(caller).length;
    await handlers.worker(s3Event(key));

    expect(failed).toBe("threw");
    expect((processedBefore as { name?: string }).name).toBe("NotFound");
    expect(afterRetry).toBeGreaterThan(0);
    expect(mem0.memories(caller).length).toBe(afterRetry);
  });
});
