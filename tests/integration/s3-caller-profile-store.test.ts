import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeProfile } from "../../adapters/outbound/caller-profile-document";
import { PROFILE_PREFIX, profileKey, S3CallerProfileStore } from "../../adapters/outbound/aws/s3-caller-profile-store";
import { SignedAwsClient } from "../../adapters/outbound/aws/signed-aws-client";
import type { CallerId } from "../../domain/caller-id";
import { ALICE, BOB, callerProfile, describeCallerProfileStoreContract } from "../contract/caller-profile-store.contract";
import { createBucket, startAwsEndpoint, type AwsEndpoint } from "../support/aws-endpoint";

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

/** A fresh bucket with versioning on, as the stack creates it by default (`bucketVersioning`). */
async function versionedBucket(): Promise<string> {
  const bucket = await createBucket(s3);
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
  return bucket;
}

/** Write `text` at the caller's profile key behind the store's back. */
async function putRaw(bucket: string, callerId: CallerId, text: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: profileKey(callerId), Body: text, ContentType: "application/json" }));
}

/** Every version and delete marker under `prefix`: what anyone with `s3:GetObjectVersion` could still read back. */
async function versionsUnder(bucket: string, prefix: string): Promise<{ key: string; deleteMarker: boolean }[]> {
  const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
  return [
    ...(out.Versions ?? []).map((v) => ({ key: v.Key ?? "", deleteMarker: false })),
    ...(out.DeleteMarkers ?? []).map((m) => ({ key: m.Key ?? "", deleteMarker: true })),
  ];
}

describeCallerProfileStoreContract("S3 (versioned bucket)", async () => {
  const bucket = await versionedBucket();
  return { store: new S3CallerProfileStore({ s3, bucket }), corrupt: (callerId) => putRaw(bucket, callerId, "not json {") };
});

describeCallerProfileStoreContract("S3 over signed requests (versioned bucket)", async () => {
  const bucket = await versionedBucket();
  const env = { AWS_REGION: aws.region, AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey, AWS_ENDPOINT_URL: aws.endpoint };
  // As the functions reach their bucket on Lambda (s3-access.ts): conditional writes and reads signed, erasure through the SDK.
  const signed = SignedAwsClient.fromEnvironment(env, "s3", bucket) ?? undefined;
  return { store: new S3CallerProfileStore({ s3, signed, bucket }), corrupt: (callerId) => putRaw(bucket, callerId, "not json {") };
});

describe("S3CallerProfileStore on the wire", () => {
  it("keeps one encrypted JSON object per caller at profiles/<caller>.json", async () => {
    const bucket = await createBucket(s3);
    const store = new S3CallerProfileStore({ s3, bucket, sse: "AES256" });
    const profile = callerProfile(ALICE, { callerName: "Zoë" });

    await store.put(profile, null);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "profiles/+15550100123.json" }));
    const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "profiles/+15550100123.json" }));

    expect(PROFILE_PREFIX).toBe("profiles/");
    expect(head.ContentType).toBe("application/json");
    expect(head.ServerSideEncryption).toBe("AES256");
    expect(JSON.parse((await body.Body?.transformToString("utf8")) ?? "")).toEqual({ v: 1, ...profile });
    expect((await store.get(ALICE))?.version).toBe(head.ETag);
  });

  it("encrypts with SSE-KMS by default, also when it replaces a profile", async () => {
    const bucket = await createBucket(s3);
    const store = new S3CallerProfileStore({ s3, bucket });
    await store.put(callerProfile(ALICE), null);

    await store.put(callerProfile(ALICE, { memoryCount: 4 }), (await store.get(ALICE))?.version ?? "");
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: profileKey(ALICE) }));

    expect((await store.get(ALICE))?.profile.memoryCount).toBe(4);
    expect(head.ServerSideEncryption).toBe("aws:kms");
  });

  it("leaves no version and no delete marker of a removed profile on a versioned bucket, and keeps other callers'", async () => {
    const bucket = await versionedBucket();
    const store = new S3CallerProfileStore({ s3, bucket });
    await store.put(callerProfile(ALICE), null);
    for (const memoryCount of [4, 5]) {
      await store.put(callerProfile(ALICE, { memoryCount }), (await store.get(ALICE))?.version ?? "");
    }
    await store.put(callerProfile(BOB), null);
    // A caller whose number starts with Alice's must keep the profile.
    const longer = "+155501001234" as CallerId;
    await store.put(callerProfile(longer), null);
    const before = await versionsUnder(bucket, profileKey(ALICE));

    const removed = await store.remove(ALICE);
    const after = await versionsUnder(bucket, PROFILE_PREFIX);

    expect(before).toHaveLength(3);
    expect(removed).toBe(true);
    expect(after.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: profileKey(longer), deleteMarker: false },
      { key: profileKey(BOB), deleteMarker: false },
    ]);
    expect((await store.get(longer))?.profile).toEqual(callerProfile(longer));
    expect(await store.get(ALICE)).toBeNull();
  });

  it("erases earlier versions and delete markers also when the profile itself is already hidden", async () => {
    const bucket = await versionedBucket();
    const store = new S3CallerProfileStore({ s3, bucket });
    await store.put(callerProfile(ALICE), null);
    // A plain delete (a lifecycle rule, a hand in the console) hides the profile behind a marker.
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: profileKey(ALICE) }));

    const removed = await store.remove(ALICE);

    expect(removed).toBe(false);
    expect(await versionsUnder(bucket, PROFILE_PREFIX)).toEqual([]);
  });

  it.each([
    ["not JSON", "not json {"],
    ["JSON that is not a profile", JSON.stringify({ hello: "world" })],
    ["another caller's profile", encodeProfile(callerProfile(BOB))],
  ])("reads an object holding %s as no profile", async (_, text) => {
    const bucket = await versionedBucket();
    const store = new S3CallerProfileStore({ s3, bucket });
    await putRaw(bucket, ALICE, text);

    expect(await store.get(ALICE)).toBeNull();
  });

  it("answers a write at a version nobody wrote with false, not an error", async () => {
    const bucket = await createBucket(s3);
    const store = new S3CallerProfileStore({ s3, bucket });
    await store.put(callerProfile(ALICE), null);

    expect(await store.put(callerProfile(ALICE, { memoryCount: 9 }), '"0123456789abcdef0123456789abcdef"')).toBe(false);
    expect(await store.put(callerProfile(ALICE, { memoryCount: 9 }), "")).toBe(false);
    expect((await store.get(ALICE))?.profile.memoryCount).toBe(3);
  });

  it("throws when the bucket does not exist, rather than reporting a lost race", async () => {
    const store = new S3CallerProfileStore({ s3, bucket: "no-such-bucket-for-profiles" });

    await expect(store.put(callerProfile(ALICE), null)).rejects.toThrow();
    await expect(store.put(callerProfile(ALICE), '"0123456789abcdef0123456789abcdef"')).rejects.toThrow();
  });
});
