// Types only: the SDK's module is loaded when a call needs it (see S3BucketOptions.signed).
import type { ListObjectsV2CommandInput, ObjectIdentifier, PutObjectCommandInput, S3Client } from "@aws-sdk/client-s3";
import { deleteObject, getObject, listPage, putObject, type S3ListPage } from "./s3-signed-calls";
import type * as S3SdkCommands from "./s3-sdk-commands";
import type { SignedAwsClient } from "./signed-aws-client";

type S3Sdk = typeof S3SdkCommands;

/** The most keys one DeleteObjects request may name. */
const DELETE_BATCH = 1000;

/** Server-side encryption applied to every object we write: SSE-KMS (default) or SSE-S3. */
type ServerSideEncryptionMode = "aws:kms" | "AES256";

/** Where and how the S3 adapters write: shared by the inbox and the archive. */
export interface S3BucketOptions {
  /** The SDK's client, or how to make it when a call first needs it (s3-access.ts). */
  readonly s3: S3Client | (() => Promise<S3Client>);
  /**
   * Signed requests to this bucket (s3-access.ts, where the environment allows them, as on Lambda):
   * every call but {@link S3Bucket.remove} then goes without the SDK, whose S3 client costs a cold
   * start about 40 ms of module loading.
   */
  readonly signed?: SignedAwsClient;
  readonly bucket: string;
  /** Default `aws:kms` (the account's `aws/s3` key unless `kmsKeyId` names another). */
  readonly sse?: ServerSideEncryptionMode;
  /** Only with `sse: "aws:kms"`: the key id or ARN to encrypt with. */
  readonly kmsKeyId?: string;
}

/** One listed object: its key and when it was last written. */
export interface ListedObject {
  readonly key: string;
  readonly lastModified: number;
}

/**
 * A bucket seen through the few calls the adapters need. Every write carries server-side
 * encryption explicitly, so objects are encrypted even where the bucket has no default.
 */
export class S3Bucket {
  readonly name: string;
  private readonly encryption: Pick<PutObjectCommandInput, "ServerSideEncryption" | "SSEKMSKeyId">;
  private readonly signed: SignedAwsClient | undefined;
  private client: S3Client | Promise<S3Client> | (() => Promise<S3Client>);

  constructor(options: S3BucketOptions) {
    const sse = options.sse ?? "aws:kms";
    if (options.bucket.trim() === "") throw new Error("S3 bucket name is empty");
    if (options.kmsKeyId !== undefined && sse !== "aws:kms") throw new Error('kmsKeyId needs sse "aws:kms"');
    this.client = options.s3;
    this.signed = options.signed;
    this.name = options.bucket;
    this.encryption = { ServerSideEncryption: sse, ...(options.kmsKeyId === undefined ? {} : { SSEKMSKeyId: options.kmsKeyId }) };
  }

  /** The SDK's client and its module, made on first use. */
  private async sdk(): Promise<{ s3: S3Client; sdk: S3Sdk }> {
    if (typeof this.client === "function") this.client = this.client();
    const [s3, sdk] = await Promise.all([this.client, import("./s3-sdk-commands")]);
    return { s3, sdk };
  }

  /** Write one encrypted object; `extra` adds conditions (`IfNoneMatch`, `IfMatch`) or metadata. */
  async put(
    key: string,
    body: string | Uint8Array,
    contentType: string,
    extra: Pick<PutObjectCommandInput, "IfNoneMatch" | "IfMatch" | "Metadata"> = {},
  ): Promise<void> {
    if (this.signed !== undefined) {
      const headers: Record<string, string> = { "content-type": contentType, "x-amz-server-side-encryption": this.encryption.ServerSideEncryption ?? "aws:kms" };
      if (this.encryption.SSEKMSKeyId !== undefined) headers["x-amz-server-side-encryption-aws-kms-key-id"] = this.encryption.SSEKMSKeyId;
      if (extra.IfNoneMatch !== undefined) headers["if-none-match"] = extra.IfNoneMatch;
      if (extra.IfMatch !== undefined) headers["if-match"] = extra.IfMatch;
      for (const [name, value] of Object.entries(extra.Metadata ?? {})) headers[`x-amz-meta-${name.toLowerCase()}`] = value;
      return putObject(this.signed, key, body, headers);
    }
    const { s3, sdk } = await this.sdk();
    await s3.send(new sdk.PutObjectCommand({ Bucket: this.name, Key: key, Body: body, ContentType: contentType, ...this.encryption, ...extra }));
  }

  /**
   * The object's bytes, user metadata, write time and ETag, or null when there is no such key. The
   * ETag (quotes included, as S3 sends it) is what a conditional `put` names in `IfMatch`.
   */
  async get(key: string): Promise<{ body: Uint8Array; metadata: Record<string, string>; lastModified: number; etag: string } | null> {
    try {
      if (this.signed !== undefined) return await getObject(this.signed, key);
      const { s3, sdk } = await this.sdk();
      const out = await s3.send(new sdk.GetObjectCommand({ Bucket: this.name, Key: key }));
      const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
      // The SDK may hand back a Buffer view; callers get a plain Uint8Array like the other adapters.
      return {
        body: new Uint8Array(bytes),
        metadata: out.Metadata ?? {},
        lastModified: out.LastModified?.getTime() ?? 0,
        etag: out.ETag ?? "",
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      // Without an unconditional s3:ListBucket, S3 answers 403 for a missing key: ask the listing.
      if (httpStatusOf(error) === 403 && !(await this.exists(key))) return null;
      throw error;
    }
  }

  /**
   * Hide the key's current version (a plain DeleteObject, `s3:DeleteObject`): on a versioned bucket
   * earlier versions stay until the bucket's lifecycle drops them. For short-lived bookkeeping that
   * the functions settle themselves; erasure uses {@link remove}.
   */
  async removeCurrent(key: string): Promise<void> {
    if (this.signed !== undefined) return deleteObject(this.signed, key);
    const { s3, sdk } = await this.sdk();
    await s3.send(new sdk.DeleteObjectCommand({ Bucket: this.name, Key: key }));
  }

  /**
   * Whether the key exists, asked as a listing of exactly that prefix. Unlike HeadObject, this
   * works with an `s3:ListBucket` grant limited by `s3:prefix` (the functions get no wider one).
   */
  async exists(key: string): Promise<boolean> {
    const page = await this.firstPage({ Prefix: key, MaxKeys: 1 });
    return page.objects.some((object) => object.key === key);
  }

  /**
   * Delete one object for good: every version and every delete marker of exactly this key. The
   * production bucket is versioned, where a plain delete only hides the object behind a marker and
   * leaves every earlier version readable. On an unversioned bucket the object is listed with version
   * id `null` and deleted the same way. Deleting a missing key is not an error.
   *
   * Needs `s3:ListBucketVersions` on the bucket and `s3:DeleteObjectVersion` on the key. Only the
   * operator CLI calls this (forget and retention through the archive's and the inbox's `remove`,
   * replay through `requeue`), with the operator's credentials; no Lambda function does. A version
   * written while this runs is not seen and stays.
   *
   * @example
   * await bucket.remove("transcripts/+15550100123/conv_1_1767268871.json");
   */
  async remove(key: string): Promise<void> {
    const { s3, sdk } = await this.sdk();
    const doomed: ObjectIdentifier[] = [];
    // The SDK has no paginator for this listing: page by hand with the markers S3 hands back.
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (;;) {
      const page = await s3.send(new sdk.ListObjectVersionsCommand({ Bucket: this.name, Prefix: key, ...markers }));
      // A prefix listing also returns longer keys (`conv_1.json` lists `conv_1.json.bak`): only exact matches go.
      for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
        if (entry.Key === key) doomed.push({ Key: key, ...(entry.VersionId === undefined ? {} : { VersionId: entry.VersionId }) });
      }
      if (page.IsTruncated !== true) break;
      // Without a marker the next request would ask for the same page again.
      if (page.NextKeyMarker === undefined) throw new Error(`S3 cut the version listing of ${key} short without a marker`);
      markers = { KeyMarker: page.NextKeyMarker, ...(page.NextVersionIdMarker === undefined ? {} : { VersionIdMarker: page.NextVersionIdMarker }) };
    }
    for (let start = 0; start < doomed.length; start += DELETE_BATCH) {
      const batch = doomed.slice(start, start + DELETE_BATCH);
      const out = await s3.send(new sdk.DeleteObjectsCommand({ Bucket: this.name, Delete: { Objects: batch, Quiet: true } }));
      const refused = out.Errors ?? [];
      if (refused.length > 0) {
        const reasons = [...new Set(refused.map((e) => `${e.Code ?? "error"}: ${e.Message ?? "no message"}`))].join("; ");
        throw new Error(`S3 kept ${refused.length} of ${batch.length} version(s) of ${key} (${reasons})`);
      }
    }
  }

  /** The keys under `prefix`, one page (up to 1000 keys) at a time as the loop goes. */
  async *keys(prefix: string): AsyncIterable<string> {
    for await (const page of this.pages({ Prefix: prefix })) for (const object of page.objects) yield object.key;
  }

  /**
   * The names of the "folders" right under `prefix` (S3's common prefixes with delimiter `/`), one page
   * at a time as the loop goes: `folders("transcripts/")` yields `+15550100123` for
   * `transcripts/+15550100123/conv_a_1.json`.
   */
  async *folders(prefix: string): AsyncIterable<string> {
    for await (const page of this.pages({ Prefix: prefix, Delimiter: "/" })) for (const folder of page.folders) yield folder.slice(prefix.length, -1);
  }

  /** Whether any object lies under `prefix` (a listing of one key). */
  async hasAny(prefix: string): Promise<boolean> {
    const page = await this.firstPage({ Prefix: prefix, MaxKeys: 1 });
    return page.objects.length > 0;
  }

  /** Every object under `prefix`, across all pages. */
  async list(prefix: string): Promise<ListedObject[]> {
    const found: ListedObject[] = [];
    for await (const page of this.pages({ Prefix: prefix })) found.push(...page.objects);
    return found;
  }

  private async firstPage(input: Pick<ListObjectsV2CommandInput, "Prefix" | "MaxKeys">): Promise<S3ListPage> {
    for await (const page of this.pages(input, 1)) return page;
    return { objects: [], folders: [], next: undefined };
  }

  /**
   * ListObjectsV2 page by page (at most `limit` pages): signed where it can, else through the SDK's
   * paginator. `MaxKeys` is the size of a page, not of the whole listing.
   */
  private async *pages(input: Pick<ListObjectsV2CommandInput, "Prefix" | "Delimiter" | "MaxKeys">, limit = Number.POSITIVE_INFINITY): AsyncGenerator<S3ListPage> {
    let served = 0;
    if (this.signed !== undefined) {
      let continuationToken: string | undefined;
      do {
        const page = await listPage(this.signed, {
          prefix: input.Prefix ?? "",
          ...(input.MaxKeys === undefined ? {} : { maxKeys: input.MaxKeys }),
          ...(input.Delimiter === undefined ? {} : { delimiter: input.Delimiter }),
          ...(continuationToken === undefined ? {} : { continuationToken }),
        });
        yield page;
        continuationToken = page.next;
      } while (continuationToken !== undefined && ++served < limit);
      return;
    }
    const { s3, sdk } = await this.sdk();
    for await (const page of sdk.paginateListObjectsV2({ client: s3 }, { Bucket: this.name, ...input })) {
      yield {
        objects: (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ key: o.Key, lastModified: o.LastModified?.getTime() ?? 0 }])),
        folders: (page.CommonPrefixes ?? []).flatMap((c) => (c.Prefix === undefined ? [] : [c.Prefix])),
        next: page.NextContinuationToken,
      };
      if (++served >= limit) return;
    }
  }
}

/** HTTP status of an AWS SDK error, when it has one. */
export function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/** A missing key (404). A 403 is never taken for "absent" on its own; see {@link S3Bucket.get}. */
function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === "NoSuchKey" || name === "NotFound" || httpStatusOf(error) === 404;
}
