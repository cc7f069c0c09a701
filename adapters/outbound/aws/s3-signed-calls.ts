import type { AwsResponse, SignedAwsClient } from "./signed-aws-client";
import { uriEncode } from "./sigv4";

/**
 * S3's error answer, shaped as the SDK's errors are where our adapters read them: `name` is S3's
 * error code (`NoSuchKey`, `PreconditionFailed`…, `NotFound` for a body-less 404) and
 * `$metadata.httpStatusCode` the status (see `httpStatusOf` in s3-bucket.ts).
 */
class S3AnswerError extends Error {
  readonly $metadata: { readonly httpStatusCode: number };

  constructor(code: string, status: number) {
    super(`S3 answered ${status} ${code}`);
    this.name = code;
    this.$metadata = { httpStatusCode: status };
  }
}

/** One object as read: its bytes, user metadata (`x-amz-meta-*`, names lower-case), write time and ETag. */
export interface S3Object {
  readonly body: Uint8Array;
  readonly metadata: Record<string, string>;
  readonly lastModified: number;
  readonly etag: string;
}

/** One page of a listing: keys with their write times, folders (with a delimiter), and where the next page starts. */
export interface S3ListPage {
  readonly objects: readonly { readonly key: string; readonly lastModified: number }[];
  readonly folders: readonly string[];
  readonly next: string | undefined;
}

/** A key as a request path: each segment encoded once, slashes kept (how S3 and the SDK send it). */
const keyPath = (key: string) => `/${key.split("/").map(uriEncode).join("/")}`;

function failed(answer: AwsResponse): S3AnswerError {
  const code = /<Code>([^<]*)<\/Code>/.exec(answer.body.toString("utf8"))?.[1];
  return new S3AnswerError(code ?? (answer.status === 404 ? "NotFound" : `Http${answer.status}`), answer.status);
}

/** GetObject. Throws {@link S3AnswerError} for any answer but 200. */
export async function getObject(s3: SignedAwsClient, key: string): Promise<S3Object> {
  const answer = await s3.send({ method: "GET", path: keyPath(key) });
  if (answer.status !== 200) throw failed(answer);
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (name.startsWith("x-amz-meta-") && typeof value === "string") metadata[name.slice("x-amz-meta-".length)] = value;
  }
  const modified = Date.parse(String(answer.headers["last-modified"] ?? ""));
  return {
    body: new Uint8Array(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength),
    metadata,
    lastModified: Number.isNaN(modified) ? 0 : modified,
    etag: String(answer.headers.etag ?? ""),
  };
}

/** PutObject with the given headers (content type, encryption, conditions, `x-amz-meta-*`). */
export async function putObject(s3: SignedAwsClient, key: string, body: string | Uint8Array, headers: Readonly<Record<string, string>>): Promise<void> {
  const answer = await s3.send({ method: "PUT", path: keyPath(key), headers, body });
  if (answer.status !== 200) throw failed(answer);
}

/** DeleteObject (a delete marker on a versioned bucket); a missing key is not an error, as in S3. */
export async function deleteObject(s3: SignedAwsClient, key: string): Promise<void> {
  const answer = await s3.send({ method: "DELETE", path: keyPath(key) });
  if (answer.status !== 204 && answer.status !== 200) throw failed(answer);
}

/** One page of ListObjectsV2 under `prefix` (with `delimiter`, the folders right under it too). */
export async function listPage(
  s3: SignedAwsClient,
  options: { readonly prefix: string; readonly maxKeys?: number; readonly delimiter?: string; readonly continuationToken?: string },
): Promise<S3ListPage> {
  const query: Record<string, string> = { "list-type": "2", prefix: options.prefix };
  if (options.maxKeys !== undefined) query["max-keys"] = String(options.maxKeys);
  if (options.delimiter !== undefined) query.delimiter = options.delimiter;
  if (options.continuationToken !== undefined) query["continuation-token"] = options.continuationToken;
  const answer = await s3.send({ method: "GET", path: "", query });
  if (answer.status !== 200) throw failed(answer);
  const xml = answer.body.toString("utf8");
  const objects = [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map(([, inner = ""]) => {
    const modified = Date.parse(textOf(inner, "LastModified") ?? "");
    return { key: textOf(inner, "Key") ?? "", lastModified: Number.isNaN(modified) ? 0 : modified };
  });
  const folders = [...xml.matchAll(/<CommonPrefixes>([\s\S]*?)<\/CommonPrefixes>/g)].flatMap(([, inner = ""]) => textOf(inner, "Prefix") ?? []);
  const truncated = textOf(xml, "IsTruncated") === "true";
  const next = textOf(xml, "NextContinuationToken");
  // A truncated page without a token would have the next request ask for the same page again.
  if (truncated && next === undefined) throw new Error("S3 cut a listing short without a continuation token");
  return { objects, folders, next: truncated ? next : undefined };
}

/** The text of the first `<tag>` in `xml`, XML entities decoded. */
function textOf(xml: string, tag: string): string | undefined {
  const raw = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
  return raw?.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as Record<string, string>)[entity] ?? "";
  });
}
