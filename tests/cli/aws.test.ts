import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboxEventId } from "../../application/ports/event-inbox.port";
import { S3EventInbox } from "../../adapters/outbound/aws/s3-event-inbox";
import { createBucket, startAwsEndpoint, type AwsEndpoint } from "../support/aws-endpoint";
import { fixture, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";
import { audioFor, cli, deliver, eventually, jsonOf, tempDir } from "./cli-process";

const MARISOL = "+15550100123";
/** A neighbouring number (none that starts with all of Marisol's can call: every +1 number has ten digits after the 1). */
const NEIGHBOUR = "+15550100124";
const OLD_CALLER = "+15550100135";
const DAY = 24 * 60 * 60;

let aws: AwsEndpoint;
let s3: S3Client;
let sqs: SQSClient;

beforeAll(async () => {
  aws = await startAwsEndpoint();
  s3 = new S3Client(aws.clientConfig);
  sqs = new SQSClient(aws.clientConfig);
});
afterAll(async () => {
  s3?.destroy();
  sqs?.destroy();
  await aws?.stop();
});

/** What the CLI (and the server) need to reach the emulated bucket. */
function awsEnv(bucket: string): Record<string, string> {
  return {
    ARCHIVE_BUCKET: bucket,
    ARCHIVE_SSE: "AES256",
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: aws.region,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
  };
}

async function keysIn(bucket: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key ?? "").sort();
}

describe("agentic-memory forget, export and retention on the S3 archive and inbox", () => {
  const now = Math.floor(Date.now() / 1000);
  const recent = now - DAY;
  const old = now - 40 * DAY;
  let bucket: string;
  let server: ServerProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    bucket = await createBucket(s3);
    server = await startServerProcess({ env: awsEnv(bucket) });
    env = { ...awsEnv(bucket), DATA_DIR: server.dataDir, ELEVENLABS_WORKSPACE_KEY: TEST_WORKSPACE_KEY, ELEVENLABS_HMAC_KEY: TEST_HMAC_KEY };
    const calls = [
      audioFor("conv_marisol", recent + 2),
      transcriptionFor({ conversationId: "conv_marisol", callerId: MARISOL, eventTimestamp: recent }),
      transcriptionFor({ conversationId: "conv_neighbour", callerId: NEIGHBOUR, eventTimestamp: recent }),
      transcriptionFor({ conversationId: "conv_old", callerId: OLD_CALLER, eventTimestamp: old }),
    ];
    for (const body of calls) expect(await deliver(server.baseUrl, TEST_HMAC_KEY, body)).toBe(200);
    await eventually(() => keysIn(bucket), (keys) => keys.filter((k) => k.startsWith("processed/")).length === 4, 10_000);
  });
  afterAll(async () => {
    await server?.kill();
  });

  it("erases one caller's objects in the bucket, and keeps the caller with the neighbouring number", async () => {
    const exported = jsonOf<{ transcripts: { key: string }[]; audio: string[] }>(await cli(["export", MARISOL], env));

    const run = await cli(["forget", MARISOL, "--json"], env);
    const keys = await keysIn(bucket);

    expect(exported.transcripts.map((t) => t.key)).toEqual([`transcripts/+15550100123/conv_marisol_${recent}.json`]);
    expect(exported.audio).toEqual([`audio/+15550100123/conv_marisol_${recent + 2}.mp3`]);
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({ caller_id: MARISOL, transcripts: 1, audio: 1, inbox_events: 2 });
    expect(keys.filter((k) => k.includes("marisol") || k.includes("+15550100123/"))).toEqual([]);
    expect(keys).toEqual(
      expect.arrayContaining([
        "inbox/post_call_transcription/conv_neighbour.json",
        "processed/post_call_transcription/conv_neighbour.json",
        `transcripts/+15550100124/conv_neighbour_${recent}.json`,
      ]),
    );
  });

  it("removes only the objects of calls older than the retention period, and only with --apply", async () => {
    const before = await keysIn(bucket);

    const dryRun = jsonOf<{ transcripts: number; inbox_events: number }>(await cli(["retention", "--days", "30", "--json"], env));
    const afterDryRun = await keysIn(bucket);
    const run = await cli(["retention", "--days", "30", "--apply"], env);

    expect(dryRun).toMatchObject({ transcripts: 1, inbox_events: 1 });
    expect(afterDryRun).toEqual(before);
    expect(run.code).toBe(0);
    // The old call's objects, and the profile of its caller, which was built from the memories that went.
    const oldCaller = before.find((k) => k.includes("conv_old") && k.startsWith("transcripts/"))?.split("/")[1];
    expect(await keysIn(bucket)).toEqual(before.filter((k) => !k.includes("conv_old") && k !== `profiles/${oldCaller}.json`));
    expect(before).toContain(`profiles/${oldCaller}.json`);
    // Its event, done marker and transcript, and its wait for the audio that never came.
    expect(before.filter((k) => k.includes("conv_old"))).toHaveLength(4);
    expect(before).toContain("awaiting-audio/conv_old.json");
  });
});

describe("agentic-memory replay with the SQS dead-letter queue", () => {
  it("ingests the events the worker's failure records name, deletes those messages, and keeps what it cannot replay", async () => {
    const bucket = await createBucket(s3);
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `dlq-${bucket}` }))).QueueUrl ?? "";
    const inbox = new S3EventInbox({ s3, bucket, sse: "AES256" });
    const id = inboxEventId("post_call_transcription", "conv_dlq");
    await inbox.store({ id, eventType: "post_call_transcription", conversationId: "conv_dlq", receivedAt: 1_767_268_900, rawBody: transcriptionFor({ conversationId: "conv_dlq", callerId: MARISOL }) });
    const s3Event = fixture<{ Records: { s3: { object: { key: string } } }[] }>("s3-object-created.json");
    const key = "inbox/post_call_transcription/conv_dlq.json";
    for (const record of s3Event.Records) record.s3.object.key = key;
    // What Lambda sends to an on-failure destination after the last retry.
    const failureRecord = {
      version: "1.0",
      timestamp: "2026-01-01T12:02:00.000Z",
      requestContext: { requestId: "c0ffee00-0000-4000-8000-000000000001", functionArn: "arn:aws:lambda:us-east-1:123456789012:function:worker:$LATEST", condition: "RetriesExhausted", approximateInvokeCount: 3 },
      requestPayload: s3Event,
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
      responsePayload: { errorType: "Mem0AddFailedError", errorMessage: "Mem0 failed to process add event" },
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(failureRecord) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "not a failure record" }));
    const dataDir = tempDir();
    const env = { ...awsEnv(bucket), DATA_DIR: dataDir, DEAD_LETTER_QUEUE_URL: queueUrl };

    const run = await cli(["replay", "--json"], env);
    const report = jsonOf<{ failed: number; dead_letter_queue: { messages: number; deleted: number; failed: number; events: { keys: string[]; status: string; deleted: boolean }[] } }>(run);
    const left = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const exported = jsonOf<{ memories: unknown[]; transcripts: { key: string }[] }>(await cli(["export", MARISOL], env));

    expect(run.code).toBe(1);
    expect(report.failed).toBe(1);
    expect(report.dead_letter_queue).toMatchObject({ messages: 2, deleted: 1, failed: 1 });
    expect(report.dead_letter_queue.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ keys: [key], status: "ingested", deleted: true }),
        expect.objectContaining({ keys: [], status: "unreadable", deleted: false }),
      ]),
    );
    expect(run.stderr).toContain(`${key}: ingested (message deleted)`);
    expect(left.Messages?.map((m) => m.Body)).toEqual(["not a failure record"]);
    expect(await inbox.state(id)).toBe("done");
    expect(exported.transcripts.map((t) => t.key)).toEqual(["transcripts/+15550100123/conv_dlq_1767268871.json"]);
    expect(exported.memories.length).toBeGreaterThan(0);
  });
});
