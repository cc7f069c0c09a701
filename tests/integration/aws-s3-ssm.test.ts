import { randomUUID } from "node:crypto";
import { InMemoryCallerProfileStore } from "../fakes/in-memory-caller-profile-store";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  type ListObjectsV2CommandOutput,
} from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { audioKey, transcriptKey } from "../../application/ports/conversation-archive.port";
import { inboxEventId } from "../../application/ports/event-inbox.port";
import { ForgetCaller } from "../../application/use-cases/forget-caller.use-case";
import { ElevenLabsConversationReader } from "../../adapters/inbound/elevenlabs/elevenlabs-conversation-reader";
import type { CallerId } from "../../domain/caller-id";
import { inboxIdFromKey } from "../../adapters/inbound/lambda/worker.handler";
import { buildS3Client, createS3Client } from "../../adapters/outbound/aws/s3-client";
import { buildSsmClient, sdkParameterReader } from "../../adapters/outbound/aws/ssm-client";
import { parameterReaderFor, signedParameterReader } from "../../adapters/outbound/aws/ssm-parameter-reader";
import { SignedAwsClient } from "../../adapters/outbound/aws/signed-aws-client";
import { listPage } from "../../adapters/outbound/aws/s3-signed-calls";
import { S3ConversationArchive } from "../../adapters/outbound/aws/s3-conversation-archive";
import { S3EventInbox } from "../../adapters/outbound/aws/s3-event-inbox";
import { S3Bucket } from "../../adapters/outbound/aws/s3-bucket";
import { SecretUnavailableError, SsmSecrets, type ReadParameters } from "../../adapters/outbound/aws/ssm-secrets";
import { describeConversationArchiveContract } from "../contract/conversation-archive.contract";
import { describeEventInboxContract, inboxEvent } from "../contract/event-inbox.contract";
import { InMemoryMemoryStore } from "../fakes/in-memory-memory-store";
import { SecretReader } from "../../adapters/outbound/secret-reader";
import { loadEnv } from "../../adapters/config";
import { AwsCallRecorder } from "../support/aws-call-recorder";
import { createBucket, putSecureStrings, startAwsEndpoint, uniqueBucketName, type AwsEndpoint } from "../support/aws-endpoint";
import { fixtureText, transcriptionFor } from "../support/fixtures";

let aws: AwsEndpoint;
let s3: S3Client;
let ssm: SSMClient;

beforeAll(async () => {
  aws = await startAwsEndpoint();
  s3 = new S3Client(aws.clientConfig);
  ssm = new SSMClient(aws.clientConfig);
});

afterAll(async () => {
  s3?.destroy();
  ssm?.destroy();
  await aws?.stop();
});

describeEventInboxContract("S3", async () => new S3EventInbox({ s3, bucket: await createBucket(s3) }));
describeConversationArchiveContract("S3", async () => new S3ConversationArchive({ s3, bucket: await createBucket(s3) }));

/** A bucket reached as the functions reach theirs on Lambda (s3-access.ts): signed requests, the SDK's client only for erasure. */
async function signedAccess(): Promise<{ s3: S3Client; signed: SignedAwsClient; bucket: string }> {
  const bucket = await createBucket(s3);
  const env = { AWS_REGION: aws.region, AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey, AWS_ENDPOINT_URL: aws.endpoint };
  const signed = SignedAwsClient.fromEnvironment(env, "s3", bucket);
  if (signed === null) throw new Error("the environment has a region and credentials: a signed client was expected");
  return { s3, signed, bucket };
}

describeEventInboxContract("S3 over signed requests", async () => new S3EventInbox(await signedAccess()));
describeConversationArchiveContract("S3 over signed requests", async () => new S3ConversationArchive(await signedAccess()));

describe("S3 over signed requests, on the wire", () => {
  it("writes encrypted objects with their content type and metadata, and reads them back whole", async () => {
    const access = await signedAccess();
    const inbox = new S3EventInbox({ ...access, sse: "AES256" });
    const rawBody = fixtureText("post-call-transcription.json");
    const event = inboxEvent("conv_signed_1", { rawBody, receivedAt: 1_767_268_900 });

    await inbox.store(event);
    const read = await inbox.get(event.id);

    const key = "inbox/post_call_transcription/conv_signed_1.json";
    const head = await s3.send(new HeadObjectCommand({ Bucket: access.bucket, Key: key }));
    expect(await bodyText(access.bucket, key)).toBe(rawBody);
    expect({ type: head.ContentType, sse: head.ServerSideEncryption, metadata: head.Metadata }).toEqual({
      type: "application/json",
      sse: "AES256",
      metadata: { "received-at": "1767268900" },
    });
    expect(read).toMatchObject({ id: event.id, receivedAt: 1_767_268_900, rawBody });
  });

  it("encrypts with the KMS key it is given", async () => {
    const access = await signedAccess();
    const kmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001";

    await new S3ConversationArchive({ ...access, kmsKeyId }).putTranscript("transcripts/+15550100123/conv_kms_1.json", "{}");

    const head = await s3.send(new HeadObjectCommand({ Bucket: access.bucket, Key: "transcripts/+15550100123/conv_kms_1.json" }));
    expect({ sse: head.ServerSideEncryption, key: head.SSEKMSKeyId }).toEqual({ sse: "aws:kms", key: kmsKeyId });
  });

  it("finds, lists and reads keys with characters S3 encodes, and none that only share a prefix", async () => {
    const access = await signedAccess();
    const objects = new S3Bucket(access);
    const keys = ["odd/+1 555 (01) & co's é.json", "odd/a*b!~c.json", "odd/a*b!~c.json.bak", "odd/sub/x<y>.json"];
    for (const key of keys) await objects.put(key, key, "text/plain");

    expect((await objects.list("odd/")).map((o) => o.key).sort()).toEqual([...keys].sort());
    expect(await objects.exists("odd/a*b!~c.json")).toBe(true);
    expect(await objects.exists("odd/a*b!~c")).toBe(false);
    expect(new TextDecoder().decode((await objects.get(keys[0] ?? ""))?.body)).toBe(keys[0]);
    expect(await objects.get("odd/missing.json")).toBeNull();
    expect(await objects.hasAny("odd/sub/")).toBe(true);
    expect(await objects.hasAny("odd/none/")).toBe(false);
  });

  it("answers a conditional write that lost with the SDK's status, so a duplicate is told from a failure", async () => {
    const access = await signedAccess();
    const inbox = new S3EventInbox(access);
    const event = inboxEvent("conv_signed_twice");

    expect(await inbox.store(event)).toEqual({ duplicate: false });
    expect(await inbox.store(event)).toEqual({ duplicate: true });
  });

  it("lists every page of a long listing, and names the folders under a prefix", async () => {
    const access = await signedAccess();
    const objects = new S3Bucket(access);
    const keys = Array.from({ length: 5 }, (_, i) => `transcripts/+1555010012${i}/conv_${i}_1767268871.json`);
    for (const key of keys) await objects.put(key, "{}", "application/json");

    const first = await listPage(access.signed, { prefix: "transcripts/", maxKeys: 2 });
    const second = await listPage(access.signed, { prefix: "transcripts/", maxKeys: 2, ...(first.next === undefined ? {} : { continuationToken: first.next }) });
    const folders: string[] = [];
    for await (const folder of objects.folders("transcripts/")) folders.push(folder);

    expect(first.objects.map((o) => o.key)).toEqual(keys.slice(0, 2));
    expect(second.objects.map((o) => o.key)).toEqual(keys.slice(2, 4));
    expect(first.objects[0]?.lastModified).toBeGreaterThan(0);
    expect((await objects.list("transcripts/")).map((o) => o.key)).toEqual(keys);
    expect(folders).toEqual(keys.map((k) => k.split("/")[1]));
  });

  it("removes the current version, then every version, of one key", async () => {
    const access = await signedAccess();
    await s3.send(new PutBucketVersioningCommand({ Bucket: access.bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const objects = new S3Bucket(access);
    await objects.put("awaiting-audio/conv_1.json", "{}", "application/json");

    await objects.removeCurrent("awaiting-audio/conv_1.json");
    const hidden = await objects.exists("awaiting-audio/conv_1.json");
    await objects.remove("awaiting-audio/conv_1.json");

    expect(hidden).toBe(false);
    expect(await versionsIn(access.bucket)).toEqual([]);
  });
});

/** Every key in the bucket, with what a reader would notice changing. */
async function objectsIn(bucket: string, prefix = ""): Promise<{ key: string; etag: string | undefined }[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => ({ key: o.Key ?? "", etag: o.ETag }));
}

async function bodyText(bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString("utf8")) ?? "";
}

type SendObserver = (commandName: string, input: Record<string, unknown>) => void;
/** The slice of an SDK v3 client's middleware stack the tests use (keeps `@smithy/types` out of the imports). */
interface ObservableClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: object }) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: { input: object }) => Promise<unknown>,
      options: { step: "initialize" },
    ): void;
  };
}

/** Call `observe` on every `send` of `client` (once per send, retries aside), before the request is built. */
function onEachSend(client: ObservableClient, observe: SendObserver): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      observe(context.commandName ?? "", args.input as Record<string, unknown>);
      return next(args);
    },
    { step: "initialize" },
  );
}

function countRequests(client: ObservableClient, commandName?: string): { count: number } {
  const counter = { count: 0 };
  onEachSend(client, (name) => {
    if (commandName === undefined || name === commandName) counter.count += 1;
  });
  return counter;
}

/** A client whose listings come back `maxKeys` at a time, so paging is exercised with a handful of objects. */
function smallPagesClient(maxKeys: number): S3Client {
  const client = new S3Client(aws.clientConfig);
  onEachSend(client, (name, input) => {
    if (name === "ListObjectsV2Command" || name === "ListObjectVersionsCommand") input.MaxKeys = maxKeys;
  });
  return client;
}

/** A fresh bucket with versioning on, as the stack creates it by default (`bucketVersioning`). */
async function versionedBucket(): Promise<string> {
  const bucket = await createBucket(s3);
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
  return bucket;
}

interface StoredVersion {
  readonly key: string;
  readonly versionId: string;
  readonly deleteMarker: boolean;
}

/** Every version and delete marker in the bucket: what anyone with `s3:GetObjectVersion` could still read back. */
async function versionsIn(bucket: string): Promise<StoredVersion[]> {
  const found: StoredVersion[] = [];
  let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, ...markers }));
    for (const v of page.Versions ?? []) found.push({ key: v.Key ?? "", versionId: v.VersionId ?? "", deleteMarker: false });
    for (const m of page.DeleteMarkers ?? []) found.push({ key: m.Key ?? "", versionId: m.VersionId ?? "", deleteMarker: true });
    if (page.IsTruncated !== true) break;
    markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
  }
  return found.sort((a, b) => a.key.localeCompare(b.key) || a.versionId.localeCompare(b.versionId));
}

const keysOf = (versions: readonly StoredVersion[]): string[] => [...new Set(versions.map((v) => v.key))].sort();

describe("S3 inbox and archive on the wire", () => {
  it.each(["aws:kms", "AES256"] as const)("encrypts every object they write with %s", async (sse) => {
    const bucket = await createBucket(s3);
    const inbox = new S3EventInbox({ s3, bucket, sse });
    const archive = new S3ConversationArchive({ s3, bucket, sse });
    const event = inboxEvent("conv_sse");

    await inbox.store(event);
    await inbox.markDone(event.id);
    await archive.putTranscript("transcripts/+15550100123/conv_sse_1767268871.json", event.rawBody);
    await archive.putAudio("audio/+15550100123/conv_sse_1767268871.mp3", Buffer.from("ID3 audio").toString("base64"));

    const keys = (await objectsIn(bucket)).map((o) => o.key);
    expect(keys.sort()).toEqual([
      "audio/+15550100123/conv_sse_1767268871.mp3",
      "inbox/post_call_transcription/conv_sse.json",
      "processed/post_call_transcription/conv_sse.json",
      "transcripts/+15550100123/conv_sse_1767268871.json",
    ]);
    for (const key of keys) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      expect({ key, sse: head.ServerSideEncryption }).toEqual({ key, sse });
    }
  });

  it("encrypts with the KMS key it is given", async () => {
    const bucket = await createBucket(s3);
    const kmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001";
    const archive = new S3ConversationArchive({ s3, bucket, kmsKeyId });

    await archive.putTranscript("transcripts/+15550100123/conv_kms_1.json", "{}");

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "transcripts/+15550100123/conv_kms_1.json" }));
    expect(head.ServerSideEncryption).toBe("aws:kms");
    expect(head.SSEKMSKeyId).toBe(kmsKeyId);
  });

  it("keeps the raw webhook body verbatim under inbox/, where the worker finds it", async () => {
    const bucket = await createBucket(s3);
    const inbox = new S3EventInbox({ s3, bucket });
    const rawBody = fixtureText("post-call-transcription.json");
    const event = inboxEvent("conv_5201kfx7demo0conv0fixt00001a", { rawBody, receivedAt: 1_767_268_900 });

    await inbox.store(event);

    const key = "inbox/post_call_transcription/conv_5201kfx7demo0conv0fixt00001a.json";
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(await bodyText(bucket, key)).toBe(rawBody);
    expect(head.ContentType).toBe("application/json");
    expect(head.Metadata).toEqual({ "received-at": "1767268900" });
    expect(inboxIdFromKey(key)).toBe(event.id);
  });

  it("marks done under processed/ without writing anything under inbox/", async () => {
    const bucket = await createBucket(s3);
    const inbox = new S3EventInbox({ s3, bucket });
    const event = inboxEvent("conv_done");
    await inbox.store(event);
    const inboxBefore = await objectsIn(bucket, "inbox/");

    await inbox.markDone(event.id);

    expect(await objectsIn(bucket, "inbox/")).toEqual(inboxBefore);
    const marker = JSON.parse(await bodyText(bucket, "processed/post_call_transcription/conv_done.json")) as { doneAt: unknown };
    expect(marker.doneAt).toEqual(expect.any(Number));
  });

  it("refuses to mark done an event it never stored, so a later delivery is not lost", async () => {
    const inbox = new S3EventInbox({ s3, bucket: await createBucket(s3) });
    const event = inboxEvent("conv_unknown");

    await expect(inbox.markDone(event.id)).rejects.toThrow(/conv_unknown/);

    expect(await inbox.store(event)).toEqual({ duplicate: false });
  });

  it("lists pending events oldest first across pages of the listing", async () => {
    const bucket = await createBucket(s3);
    const paged = smallPagesClient(2);
    const listings = countRequests(paged, "ListObjectsV2Command");
    const inbox = new S3EventInbox({ s3: paged, bucket });
    // Written a second apart with the older one last by name: order must come from the write time.
    await inbox.store(inboxEvent("conv_z_first"));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (const id of ["conv_a", "conv_b", "conv_c", "conv_d"]) await inbox.store(inboxEvent(id));
    await inbox.markDone(inboxEventId("post_call_transcription", "conv_b"));
    await inbox.markDone(inboxEventId("post_call_transcription", "conv_d"));

    const pending = await inbox.listPending();

    expect(pending).toEqual(["conv_z_first", "conv_a", "conv_c"].map((id) => inboxEventId("post_call_transcription", id)));
    expect(listings.count).toBeGreaterThan(2);
    paged.destroy();
  });

  it("lists archive keys across pages and reads back audio as audio/mpeg", async () => {
    const bucket = await createBucket(s3);
    const paged = smallPagesClient(1);
    const archive = new S3ConversationArchive({ s3: paged, bucket });
    const keys = [1, 2, 3].map((n) => `audio/+15550100123/conv_${n}_1767268871.mp3`);
    for (const key of keys) await archive.putAudio(key, Buffer.from([0xff, 0xfb]).toString("base64"));

    expect(await archive.list("audio/+15550100123/")).toEqual(keys);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: keys[0] }));
    expect(head.ContentType).toBe("audio/mpeg");
    expect(head.ContentLength).toBe(2);
    paged.destroy();
  });

  it("never lets the archive write where it would start the worker", async () => {
    const bucket = await createBucket(s3);
    const archive = new S3ConversationArchive({ s3, bucket });

    await expect(archive.putTranscript("inbox/post_call_transcription/conv_x.json", "{}")).rejects.toThrow(/transcripts\/ or audio\//);

    expect(await objectsIn(bucket)).toEqual([]);
  });

  it("reads back an inbox object written without our metadata, dated by when it was written", async () => {
    const bucket = await createBucket(s3);
    const inbox = new S3EventInbox({ s3, bucket });
    const before = Math.floor(Date.now() / 1000) - 2;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "inbox/post_call_audio/conv_hand.json", Body: '{"by":"hand"}' }));

    const event = await inbox.get(inboxEventId("post_call_audio", "conv_hand"));

    expect(event).toMatchObject({ eventType: "post_call_audio", conversationId: "conv_hand", rawBody: '{"by":"hand"}' });
    expect(event?.receivedAt).toBeGreaterThanOrEqual(before);
  });
});

describe("erasure on a versioned bucket", () => {
  const CALLER = "+15550100123" as CallerId;
  /** Shares every digit of CALLER's number and one more: a prefix match would reach them. */
  const NEIGHBOUR = "+155501001234" as CallerId;
  const AT = 1_767_268_871;

  /** One caller's calls as the app stores them: a transcription ingested, one parked as failed, audio, archive objects. */
  async function storeCalls(inbox: S3EventInbox, archive: S3ConversationArchive, callerId: CallerId, tag: string): Promise<void> {
    const ingested = inboxEvent(`conv_${tag}_1`, { rawBody: transcriptionFor({ conversationId: `conv_${tag}_1`, callerId, eventTimestamp: AT }) });
    const failed = inboxEvent(`conv_${tag}_2`, { rawBody: transcriptionFor({ conversationId: `conv_${tag}_2`, callerId, eventTimestamp: AT + 60 }) });
    const audio = inboxEvent(`conv_${tag}_1`, { eventType: "post_call_audio" });
    for (const event of [ingested, failed, audio]) expect(await inbox.store(event)).toEqual({ duplicate: false });
    await inbox.markDone(ingested.id);
    await inbox.markDone(audio.id);
    await inbox.markFailed(failed.id, "mem0 unavailable", AT + 120);
    // A re-delivered transcription is archived again: the second write leaves a second version.
    await archive.putTranscript(transcriptKey(callerId, `conv_${tag}_1`, AT), ingested.rawBody);
    await archive.putTranscript(transcriptKey(callerId, `conv_${tag}_1`, AT), ingested.rawBody);
    await archive.putAudio(audioKey(callerId, `conv_${tag}_1`, AT), Buffer.from("ID3 audio").toString("base64"));
  }

  it("forgets every version of the caller's transcripts, audio and stored events, and no version of anyone else's", async () => {
    const bucket = await versionedBucket();
    const inbox = new S3EventInbox({ s3, bucket, sse: "AES256" });
    const archive = new S3ConversationArchive({ s3, bucket, sse: "AES256" });
    await storeCalls(inbox, archive, CALLER, "caller");
    await storeCalls(inbox, archive, NEIGHBOUR, "neighbour");
    const before = await versionsIn(bucket);
    const callersKeys = keysOf(before).filter((key) => key.includes("conv_caller_"));

    const report = await new ForgetCaller(new InMemoryMemoryStore(), archive, inbox, new ElevenLabsConversationReader(), new InMemoryCallerProfileStore()).execute(CALLER);

    const after = await versionsIn(bucket);
    expect(callersKeys).toEqual([
      "audio/+15550100123/conv_caller_1_1767268871.mp3",
      "failed/post_call_transcription/conv_caller_2.json",
      "inbox/post_call_audio/conv_caller_1.json",
      "inbox/post_call_transcription/conv_caller_1.json",
      "inbox/post_call_transcription/conv_caller_2.json",
      "processed/post_call_audio/conv_caller_1.json",
      "processed/post_call_transcription/conv_caller_1.json",
      "transcripts/+15550100123/conv_caller_1_1767268871.json",
    ]);
    expect(before.filter((v) => v.key === "transcripts/+15550100123/conv_caller_1_1767268871.json")).toHaveLength(2);
    expect(report.transcripts).toEqual(["transcripts/+15550100123/conv_caller_1_1767268871.json"]);
    expect(report.inboxEvents).toHaveLength(3);
    expect(after.filter((v) => callersKeys.includes(v.key))).toEqual([]);
    expect(after).toEqual(before.filter((v) => !callersKeys.includes(v.key)));
    expect(keysOf(after)).toHaveLength(8);
    expect(after.every((v) => v.key.includes("conv_neighbour_") && !v.deleteMarker)).toBe(true);
  });

  it("removes every version and delete marker of one key, across pages, and no version of the keys beside it", async () => {
    const bucket = await versionedBucket();
    const paged = smallPagesClient(2);
    const listings = countRequests(paged, "ListObjectVersionsCommand");
    const target = "inbox/post_call_audio/conv_1.json";
    // conv_10 shares the conversation id's prefix; conversation `conv_1.json` has a key that starts with the whole target key.
    const neighbours = ["inbox/post_call_audio/conv_10.json", "inbox/post_call_audio/conv_1.json.json"];
    for (const body of ["v1", "v2", "v3"]) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: target, Body: body }));
    // A plain delete, as retention used to send: the object looks gone but every version stays.
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: target }));
    for (const key of neighbours) for (const body of ["w1", "w2"]) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const before = await versionsIn(bucket);

    await new S3Bucket({ s3: paged, bucket, sse: "AES256" }).remove(target);

    const after = await versionsIn(bucket);
    expect(before.filter((v) => v.key === target).map((v) => v.deleteMarker).sort()).toEqual([false, false, false, true]);
    expect(after).toEqual(before.filter((v) => v.key !== target));
    expect(keysOf(after)).toEqual([...neighbours].sort());
    expect(after).toHaveLength(4);
    for (const key of neighbours) expect(await bodyText(bucket, key)).toBe("w2");
    expect(listings.count).toBeGreaterThan(1);
    paged.destroy();
  });

  it("deletes the object on an unversioned bucket, leaves its neighbour, and takes a missing key as done", async () => {
    const bucket = await createBucket(s3);
    const objects = new S3Bucket({ s3, bucket, sse: "AES256" });
    await objects.put("audio/+15550100123/conv_1.mp3", "ID3", "audio/mpeg");
    await objects.put("audio/+15550100123/conv_10.mp3", "ID3", "audio/mpeg");

    await objects.remove("audio/+15550100123/conv_1.mp3");
    await objects.remove("audio/+15550100123/conv_1.mp3");

    expect(await versionsIn(bucket)).toEqual([{ key: "audio/+15550100123/conv_10.mp3", versionId: "null", deleteMarker: false }]);
    expect(await objects.get("audio/+15550100123/conv_1.mp3")).toBeNull();
  });
});

/** A signed SSM client for the emulator at `endpoint`, from an environment as Lambda's would carry it. */
function signedSsm(endpoint: string): SignedAwsClient {
  const env = { AWS_REGION: aws.region, AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey, AWS_ENDPOINT_URL: endpoint };
  const client = SignedAwsClient.fromEnvironment(env, "ssm");
  if (client === null) throw new Error("the environment has a region and credentials: a signed client was expected");
  return client;
}

/** The two ways a parameter is read (ssm-parameter-reader.ts): the SDK's client elsewhere, signed requests on Lambda. */
const PARAMETER_READERS: readonly [string, (endpoint?: string) => ReadParameters][] = [
  ["the SDK's client", (endpoint) => sdkParameterReader(new SSMClient({ ...aws.clientConfig, ...(endpoint === undefined ? {} : { endpoint, maxAttempts: 1 }) }))],
  ["signed requests", (endpoint) => signedParameterReader(signedSsm(endpoint ?? aws.endpoint))],
];

describe.each(PARAMETER_READERS)("SsmSecrets against SSM, read with %s", (_, readerFor) => {
  const prefix = `/agentic-memory-test/${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
  const names = {
    ELEVENLABS_HMAC_KEY: `${prefix}/elevenlabs-hmac-key`,
    ELEVENLABS_WORKSPACE_KEY: `${prefix}/elevenlabs-workspace-key`,
    MEM0_API_KEY: `${prefix}/mem0-api-key`,
    ELEVENLABS_API_KEY: `${prefix}/elevenlabs-api-key`,
  };

  beforeAll(async () => {
    await putSecureStrings(ssm, {
      [names.ELEVENLABS_HMAC_KEY]: "hmac-secret-1",
      [names.ELEVENLABS_WORKSPACE_KEY]: "workspace-secret",
      [names.MEM0_API_KEY]: "m0-key",
      [names.ELEVENLABS_API_KEY]: "el-key",
    });
  });

  /** Reads (one request each: no retry is needed against a healthy emulator) counted as they reach SSM. */
  function counted(read: ReadParameters): { read: ReadParameters; requests: { count: number } } {
    const requests = { count: 0 };
    return {
      read: (names) => {
        requests.count += 1;
        return read(names);
      },
      requests,
    };
  }

  function secretsWithCounter(options: { maxAgeSecs?: number } = {}) {
    const { read, requests } = counted(readerFor());
    const secrets = new SsmSecrets({ read, ...options });
    return { secrets, requests };
  }

  it("reads a SecureString decrypted, once within the max age and again after it", async () => {
    // Only the clock Powertools reads for the cache's age; the SDK's timers stay real.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      const { secrets, requests } = secretsWithCounter({ maxAgeSecs: 60 });

      const first = await secrets.getParameter(names.ELEVENLABS_HMAC_KEY);
      vi.advanceTimersByTime(59_000);
      const cached = await secrets.getParameter(names.ELEVENLABS_HMAC_KEY);
      const requestsWithinMaxAge = requests.count;
      await putSecureStrings(ssm, { [names.ELEVENLABS_HMAC_KEY]: "hmac-secret-2" });
      vi.advanceTimersByTime(2_000);
      const refreshed = await secrets.getParameter(names.ELEVENLABS_HMAC_KEY);

      expect([first, cached, refreshed]).toEqual(["hmac-secret-1", "hmac-secret-1", "hmac-secret-2"]);
      expect(requestsWithinMaxAge).toBe(1);
      expect(requests.count).toBe(2);
    } finally {
      vi.useRealTimers();
      await putSecureStrings(ssm, { [names.ELEVENLABS_HMAC_KEY]: "hmac-secret-1" });
    }
  });

  it("keeps a value five minutes by default", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      const { secrets, requests } = secretsWithCounter();

      await secrets.getParameter(names.ELEVENLABS_HMAC_KEY);
      vi.advanceTimersByTime(299_000);
      await secrets.getParameter(names.ELEVENLABS_HMAC_KEY);
      const withinFiveMinutes = requests.count;
      vi.advanceTimersByTime(2_000);
      await secrets.getParameter(names.ELEVENLABS_HMAC_KEY);

      expect(withinFiveMinutes).toBe(1);
      expect(requests.count).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads every time with a max age of zero", async () => {
    const { secrets, requests } = secretsWithCounter({ maxAgeSecs: 0 });

    await secrets.getParameter(names.ELEVENLABS_HMAC_KEY);
    await secrets.getParameter(names.ELEVENLABS_HMAC_KEY);

    expect(requests.count).toBe(2);
  });

  it("shares one request among concurrent first reads", async () => {
    const { secrets, requests } = secretsWithCounter();

    const values = await Promise.all(Array.from({ length: 8 }, () => secrets.getParameter(names.ELEVENLABS_WORKSPACE_KEY)));

    expect(new Set(values)).toEqual(new Set(["workspace-secret"]));
    expect(requests.count).toBe(1);
  });

  it("caches each parameter on its own", async () => {
    const { secrets, requests } = secretsWithCounter();

    const values = await Promise.all([secrets.getParameter(names.MEM0_API_KEY), secrets.getParameter(names.ELEVENLABS_API_KEY)]);
    await secrets.getParameter(names.MEM0_API_KEY);

    expect(values).toEqual(["m0-key", "el-key"]);
    expect(requests.count).toBe(2);
  });

  it("reads several parameters in one request when prefetching, and serves each from the cache afterwards", async () => {
    const { secrets, requests } = secretsWithCounter();
    const missing = `${prefix}/never`;

    await secrets.prefetch([names.MEM0_API_KEY, names.ELEVENLABS_API_KEY, missing, names.MEM0_API_KEY]);
    const afterPrefetch = requests.count;
    const values = await Promise.all([secrets.getParameter(names.MEM0_API_KEY), secrets.getParameter(names.ELEVENLABS_API_KEY)]);
    const error = await secrets.getParameter(missing).catch((e: unknown) => e);

    expect(afterPrefetch).toBe(1);
    expect(values).toEqual(["m0-key", "el-key"]);
    // The missing one is not cached: asked for, it is read again (and named).
    expect((error as Error).message).toBe(`SSM parameter ${JSON.stringify(missing)} does not exist`);
    expect(requests.count).toBe(2);
  });

  it("reads more parameters than one request takes in as many requests as needed", async () => {
    const many = Array.from({ length: 12 }, (_, i) => `${prefix}/many-${i}`);
    await putSecureStrings(ssm, Object.fromEntries(many.map((name, i) => [name, `value-${i}`])));
    const { secrets, requests } = secretsWithCounter();

    await secrets.prefetch(many);
    const values = await Promise.all(many.map((name) => secrets.getParameter(name)));

    expect(requests.count).toBe(2);
    expect(values).toEqual(many.map((_, i) => `value-${i}`));
  });

  it("names a missing parameter, and reads it once it exists", async () => {
    const missing = `${prefix}/not-yet`;
    const { secrets, requests } = secretsWithCounter();

    const error = await secrets.getParameter(missing).catch((e: unknown) => e);
    await putSecureStrings(ssm, { [missing]: "late-secret" });
    const later = await secrets.getParameter(missing);

    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect((error as Error).message).toBe(`SSM parameter ${JSON.stringify(missing)} does not exist`);
    expect(later).toBe("late-secret");
    expect(requests.count).toBe(2);
  });

  it("says a parameter could not be read when SSM does not answer, keeps the cause, and tries again next time", async () => {
    const { read, requests } = counted(readerFor("http://127.0.0.1:9"));
    const secrets = new SsmSecrets({ read });

    const errors = [await secrets.getParameter(names.MEM0_API_KEY).catch((e: unknown) => e), await secrets.getParameter(names.MEM0_API_KEY).catch((e: unknown) => e)];

    expect(errors[0]).toBeInstanceOf(SecretUnavailableError);
    expect(errors[0]).toMatchObject({ message: `SSM parameter ${JSON.stringify(names.MEM0_API_KEY)} could not be read`, parameterName: names.MEM0_API_KEY });
    expect((errors[0] as Error).cause).toBeInstanceOf(Error);
    expect(JSON.stringify(errors[0]) + String(errors[0])).not.toContain("m0-key");
    expect(requests.count).toBe(2);
  });
});

describe("SecretReader over SSM, as a function reads its secrets", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("reads every declared SecureString at once when prefetching, so no first use waits for its own SSM round trip", async () => {
    // Prepare: a worker's two secrets in SSM, read through a recorder that counts the calls reaching SSM.
    const prefix = `/agentic-memory-test/prefetch-${randomUUID().slice(0, 8)}`;
    await putSecureStrings(ssm, { [`${prefix}/mem0`]: "m0-prefetched", [`${prefix}/elevenlabs`]: "el-prefetched" });
    const recorder = new AwsCallRecorder({ upstream: aws.endpoint, region: aws.region, accountId: "123456789012", parametersKeyArn: "arn:aws:kms:us-east-1:123456789012:key/test" });
    vi.stubEnv("AWS_REGION", aws.region);
    vi.stubEnv("AWS_ACCESS_KEY_ID", aws.credentials.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", aws.credentials.secretAccessKey);
    vi.stubEnv("AWS_ENDPOINT_URL", await recorder.endpointFor("worker"));
    const env = loadEnv({ MEM0_API_KEY_PARAM: `${prefix}/mem0`, ELEVENLABS_API_KEY_PARAM: `${prefix}/elevenlabs` });
    const reader = new SecretReader(env, ["MEM0_API_KEY", "ELEVENLABS_API_KEY"], ["MEM0_API_KEY"]);
    const reads = () => recorder.of("worker").filter((call) => call.action === "ssm:GetParameters").map((call) => call.resource);

    // Act
    await reader.prefetch();
    const afterPrefetch = reads();
    const values = [await reader.get("MEM0_API_KEY"), await reader.find("ELEVENLABS_API_KEY")];

    // Assess: both read by the prefetch, and served from the cache afterwards.
    expect(afterPrefetch.sort()).toEqual([expect.stringMatching(/parameter\/agentic-memory-test\/prefetch-.*\/elevenlabs$/), expect.stringMatching(/\/mem0$/)]);
    expect(values).toEqual(["m0-prefetched", "el-prefetched"]);
    expect(reads()).toHaveLength(2);
    await recorder.close();
  });

  it("reports a secret that could not be prefetched when it is asked for, and reads it again then", async () => {
    const prefix = `/agentic-memory-test/prefetch-${randomUUID().slice(0, 8)}`;
    vi.stubEnv("AWS_REGION", aws.region);
    vi.stubEnv("AWS_ACCESS_KEY_ID", aws.credentials.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", aws.credentials.secretAccessKey);
    vi.stubEnv("AWS_ENDPOINT_URL", aws.endpoint);
    const reader = new SecretReader(loadEnv({ MEM0_API_KEY_PARAM: `${prefix}/mem0` }), ["MEM0_API_KEY"], ["MEM0_API_KEY"]);

    await reader.prefetch();
    const missing = await reader.get("MEM0_API_KEY").catch((error: unknown) => error);
    await putSecureStrings(ssm, { [`${prefix}/mem0`]: "m0-late" });

    expect(missing).toMatchObject({ message: expect.stringContaining(`${prefix}/mem0`) });
    expect(await reader.get("MEM0_API_KEY")).toBe("m0-late");
  });
});

describe("AWS clients from the environment", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("reach the endpoint in AWS_ENDPOINT_URL, path-style", async () => {
    vi.stubEnv("AWS_REGION", aws.region);
    vi.stubEnv("AWS_ACCESS_KEY_ID", aws.credentials.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", aws.credentials.secretAccessKey);
    const env = { AWS_ENDPOINT_URL: aws.endpoint };
    const client = buildS3Client(env);
    const ssmClient = buildSsmClient(env);
    const bucket = uniqueBucketName("env");

    await createBucket(client, bucket);
    await new S3ConversationArchive({ s3: client, bucket }).putTranscript("transcripts/anonymous/conv_env_1.json", "{}");
    const listed: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const parameter = `/agentic-memory-test/${bucket}`;
    await putSecureStrings(ssmClient, { [parameter]: "via-env" });
    const secret = await new SsmSecrets({ read: sdkParameterReader(ssmClient) }).getParameter(parameter);
    // As on Lambda: region and credentials in the environment, so the signed requests go to the same endpoint.
    const signed = await new SsmSecrets({ read: await parameterReaderFor({ ...process.env, ...env }) }).getParameter(parameter);

    expect(client.config.forcePathStyle).toBe(true);
    expect(listed.Contents?.map((o) => o.Key)).toEqual(["transcripts/anonymous/conv_env_1.json"]);
    expect(secret).toBe("via-env");
    expect(signed).toBe("via-env");
    client.destroy();
    ssmClient.destroy();
  });

  it("use AWS's own endpoints, virtual-hosted, when no override is set", () => {
    const client = buildS3Client({});

    expect(client.config.forcePathStyle).toBe(false);
    expect(createS3Client()).toBe(createS3Client());
    client.destroy();
  });
});
