import type { CallerProfileStore, StoredCallerProfile } from "../../../application/ports/caller-profile-store.port";
import { isCallerId, type CallerId } from "../../../domain/caller-id";
import type { CallerProfile } from "../../../domain/caller-profile";
import { PROFILES_PREFIX } from "../../function-declarations";
import { decodeProfile, encodeProfile } from "../caller-profile-document";
import { httpStatusOf, S3Bucket, type S3BucketOptions } from "./s3-bucket";

/** Where the profiles live: one object per caller, `profiles/{callerId}.json` (declared with the functions' grants). */
export const PROFILE_PREFIX = PROFILES_PREFIX;

/**
 * The key of one caller's profile.
 *
 * @example
 * profileKey("+15550100123" as CallerId); // "profiles/+15550100123.json"
 */
export function profileKey(callerId: CallerId): string {
  return `${PROFILE_PREFIX}${callerId}.json`;
}

/**
 * Whether a conditional write failed because another write came first: 412 PreconditionFailed (the
 * ETag moved, or an object appeared), 409 ConditionalRequestConflict (a concurrent conditional write
 * to the key is in flight), NoSuchKey (`If-Match` on an object removed meanwhile). A missing bucket
 * (404 NoSuchBucket) is not one of them.
 */
function lostRace(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 412 || status === 409 || (error as { name?: string } | null)?.name === "NoSuchKey";
}

/**
 * The {@link CallerProfileStore} in S3: one encrypted JSON object per caller, versioned by its ETag
 * and written with S3 conditional writes (`If-None-Match: *` to create, `If-Match: <etag>` to
 * replace), so of two writers that read the same version exactly one succeeds.
 *
 * An object that does not read back as the caller's profile counts as none: `get` answers `null`
 * and a write that expects no profile replaces it (conditionally on its ETag), else the caller's
 * profile could never be written again.
 *
 * Reading needs `s3:GetObject` (and `s3:ListBucket` on the prefix, to tell a missing key from a
 * refused one); writing `s3:PutObject`; `remove` erases every version, so it needs
 * `s3:ListBucketVersions` and `s3:DeleteObjectVersion` (see {@link S3Bucket.remove}).
 *
 * @example
 * const profiles = new S3CallerProfileStore({ s3: createS3Client(), bucket: env.ARCHIVE_BUCKET });
 * const stored = await profiles.get(callerId);
 * await profiles.put(next, stored?.version ?? null);
 */
export class S3CallerProfileStore implements CallerProfileStore {
  private readonly bucket: S3Bucket;

  constructor(options: S3BucketOptions) {
    this.bucket = new S3Bucket(options);
  }

  async get(callerId: CallerId): Promise<StoredCallerProfile | null> {
    const object = await this.bucket.get(profileKey(callerId));
    if (object === null || object.etag === "") return null;
    const profile = decodeProfile(new TextDecoder().decode(object.body), callerId);
    return profile === null ? null : { profile, version: object.etag };
  }

  async put(profile: CallerProfile, expectedVersion: string | null): Promise<boolean> {
    // Encoded first: a profile that would not read back throws before anything is written.
    const text = encodeProfile(profile);
    const key = profileKey(profile.callerId);
    if (expectedVersion !== null) return expectedVersion !== "" && this.conditionalPut(key, text, { IfMatch: expectedVersion });
    if (await this.conditionalPut(key, text, { IfNoneMatch: "*" })) return true;
    // Taken: only an unreadable object may be replaced, and only the one just read.
    const existing = await this.bucket.get(key);
    if (existing === null || existing.etag === "" || decodeProfile(new TextDecoder().decode(existing.body), profile.callerId) !== null) {
      return false;
    }
    return this.conditionalPut(key, text, { IfMatch: existing.etag });
  }

  async remove(callerId: CallerId): Promise<boolean> {
    const key = profileKey(callerId);
    const existed = await this.bucket.exists(key);
    // Also when no current version exists: earlier versions or delete markers may still be there.
    await this.bucket.remove(key);
    return existed;
  }

  async *callers(): AsyncIterable<CallerId> {
    for await (const key of this.bucket.keys(PROFILE_PREFIX)) {
      const callerId = key.endsWith(".json") ? key.slice(PROFILE_PREFIX.length, -".json".length) : "";
      if (isCallerId(callerId)) yield callerId;
    }
  }

  /** True when the write landed, false when its condition failed (another write came first). */
  private async conditionalPut(key: string, text: string, condition: { IfMatch: string } | { IfNoneMatch: "*" }): Promise<boolean> {
    try {
      await this.bucket.put(key, text, "application/json", condition);
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }
}
