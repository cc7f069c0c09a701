import { InMemoryCallerProfileStore } from "../fakes/in-memory-caller-profile-store";
import { ListObjectVersionsCommand, ListObjectsV2Command, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboxEventId, type AwaitingAudio } from "../../application/ports/event-inbox.port";
import { ForgetCaller } from "../../application/use-cases/forget-caller.use-case";
import type { CallerId } from "../../domain/caller-id";
import { S3ConversationArchive } from "../../adapters/outbound/aws/s3-conversation-archive";
import { S3EventInbox } from "../../adapters/outbound/aws/s3-event-inbox";
import { InMemoryMemoryStore } from "../fakes/in-memory-memory-store";
import { createBucket, startAwsEndpoint, type AwsEndpoint } from "../support/aws-endpoint";
import { transcriptionFor } from "../support/fixtures";
import { ElevenLabsConversationReader } from "../../adapters/inbound/elevenlabs/elevenlabs-conversation-reader";

const reader = new ElevenLabsConversationReader();

const CALLER = "+15550100123" as CallerId;
const NEIGHBOUR = "+15550100145" as CallerId;

let aws: AwsEndpoint;
let s3: S3Client;

beforeAll(async () => {
  aws = await startAwsEndpoint();
  s3 = new S3Client(aws.clientConfig);
});

afterAll(async () => {
  s3?.destroy();
  await aws?.stop();
});

const wait = (conversationId: string, callerFolder: string): AwaitingAudio => ({ conversationId, callerFolder, eventTimestamp: 1_767_268_871, since: 1_767_268_900 });

async function keysIn(bucket: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key ?? "").sort();
}

/** Every version and delete marker under a prefix, as `key` or `key (delete marker)`. */
async function versionsIn(bucket: string, prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
  return [...(out.Versions ?? []).map((v) => v.Key ?? ""), ...(out.DeleteMarkers ?? []).map((m) => `${m.Key ?? ""} (delete marker)`)].sort();
}

/** A client that records the name of every command it sends. */
function recordingClient(): { client: S3Client; commands: string[] } {
  const client = new S3Client(aws.clientConfig);
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(context.commandName ?? "unknown");
      return next(args);
    },
    { step: "initialize" },
  );
  return { client, commands };
}

describe("S3 inbox: waits for audio", () => {
  it("are written under awaiting-audio/, never under inbox/ (which would start the worker), and settled with a plain delete", async () => {
    // Prepare
    const bucket = await createBucket(s3);
    const { client, commands } = recordingClient();
    const inbox = new S3EventInbox({ s3: client, bucket, sse: "AES256" });

    // Act
    await inbox.awaitAudio(wait("conv_s3_wait_1", CALLER));
    const written = await keysIn(bucket);
    commands.length = 0;
    await inbox.audioSettled("conv_s3_wait_1");

    // Assess: DeleteObject is what the worker and the sweep are granted on this prefix.
    expect(written).toEqual(["awaiting-audio/conv_s3_wait_1.json"]);
    expect(commands).toEqual(["DeleteObjectCommand"]);
    expect(await keysIn(bucket)).toEqual([]);
    expect(await inbox.listAwaitingAudio()).toEqual([]);
    client.destroy();
  });

  it("of a forgotten caller are erased in every version, settled ones included, and no other caller's", async () => {
    // Prepare: a versioned bucket; one wait of the caller settled (a noncurrent version remains), one
    // still open whose transcription event is gone, and a neighbour's open wait.
    const bucket = await createBucket(s3);
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const inbox = new S3EventInbox({ s3, bucket, sse: "AES256" });
    const archive = new S3ConversationArchive({ s3, bucket, sse: "AES256" });
    const settled = inboxEventId("post_call_transcription", "conv_s3_caller_1");
    await inbox.store({ id: settled, eventType: "post_call_transcription", conversationId: "conv_s3_caller_1", receivedAt: 1_767_268_900, rawBody: transcriptionFor({ conversationId: "conv_s3_caller_1", callerId: CALLER }) });
    await inbox.markDone(settled);
    await inbox.awaitAudio(wait("conv_s3_caller_1", CALLER));
    await inbox.audioSettled("conv_s3_caller_1");
    await inbox.awaitAudio(wait("conv_s3_caller_2", CALLER));
    await inbox.awaitAudio(wait("conv_s3_neighbour_1", NEIGHBOUR));
    const before = await versionsIn(bucket, "awaiting-audio/");

    // Act
    const report = await new ForgetCaller(new InMemoryMemoryStore(), archive, inbox, reader, new InMemoryCallerProfileStore()).execute(CALLER);

    // Assess
    expect(before).toEqual([
      "awaiting-audio/conv_s3_caller_1.json",
      "awaiting-audio/conv_s3_caller_1.json (delete marker)",
      "awaiting-audio/conv_s3_caller_2.json",
      "awaiting-audio/conv_s3_neighbour_1.json",
    ]);
    expect(report.awaitingAudio).toEqual(["conv_s3_caller_2"]);
    expect(await versionsIn(bucket, "awaiting-audio/")).toEqual(["awaiting-audio/conv_s3_neighbour_1.json"]);
    expect(await inbox.listAwaitingAudio()).toEqual([wait("conv_s3_neighbour_1", NEIGHBOUR)]);
  });
});
