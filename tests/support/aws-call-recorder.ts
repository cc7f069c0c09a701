import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * One AWS API call as IAM sees it: the action, the resource ARN it is authorised against, and the
 * condition keys AWS would put in the request context for it.
 */
export interface AwsCall {
  /** Which process made it (the function name the recorder was asked for). */
  readonly caller: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string>>;
  /** Calls that AWS makes on the caller's behalf with the caller's credentials (kms:Decrypt for a SecureString read). */
  readonly implied: boolean;
  /** The HTTP status the emulator answered (a denied call would have been 403 on AWS). */
  readonly status: number;
}

export interface AwsCallRecorderOptions {
  /** The emulator requests are forwarded to (moto, LocalStack). */
  readonly upstream: string;
  readonly region: string;
  readonly accountId: string;
  /** The KMS key of the SSM SecureString parameters (for the implied kms:Decrypt). */
  readonly parametersKeyArn: string;
}

/**
 * A recording proxy in front of an S3/SSM emulator. Each function process gets its own endpoint
 * (`endpointFor(name)`), so every call is attributed to the function that made it. Requests are
 * forwarded untouched; each one is translated into the IAM action, resource and condition keys that
 * AWS would evaluate for it. The emulator enforces no IAM: this is what lets a test check the calls
 * against each function's generated policy offline.
 */
export class AwsCallRecorder {
  readonly calls: AwsCall[] = [];
  private readonly servers: Server[] = [];

  constructor(private readonly options: AwsCallRecorderOptions) {}

  /** A new endpoint (`http://127.0.0.1:port`) whose calls are recorded as `caller`'s. */
  async endpointFor(caller: string): Promise<string> {
    const server = createServer((req, res) => {
      void this.forward(caller, req)
        .then(({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        })
        .catch((error: unknown) => {
          res.writeHead(502, { "content-type": "text/plain" });
          res.end(`recorder: ${error instanceof Error ? error.message : String(error)}`);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** The calls one function made. */
  of(caller: string): AwsCall[] {
    return this.calls.filter((call) => call.caller === caller);
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  private async forward(caller: string, req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const upstream = new URL(req.url ?? "/", this.options.upstream);
    const answer = await new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
      const headers = { ...req.headers, host: upstream.host };
      const out = httpRequest(upstream, { method: req.method, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on("data", (part: Buffer) => parts.push(part));
        res.on("end", () => {
          const plain: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined && name !== "transfer-encoding" && name !== "connection") plain[name] = Array.isArray(value) ? value.join(",") : value;
          }
          resolve({ status: res.statusCode ?? 502, headers: plain, body: Buffer.concat(parts) });
        });
        res.on("error", reject);
      });
      out.on("error", reject);
      out.end(body);
    });
    const calls = this.translate(req, body);
    const answered = missingObjectAsAws(calls, answer);
    for (const call of calls) this.calls.push({ ...call, caller, status: answered.status });
    return answered;
  }

  /** The IAM view of one HTTP request to S3 (path-style) or SSM (JSON protocol). */
  private translate(req: IncomingMessage, body: Buffer): Omit<AwsCall, "caller" | "status">[] {
    const { region, accountId } = this.options;
    const target = req.headers["x-amz-target"];
    if (typeof target === "string") {
      const [service, operation] = target.split(".");
      if (service !== "AmazonSSM" || operation === undefined) throw new Error(`unexpected JSON-protocol call ${target}`);
      const input = JSON.parse(body.toString("utf8") || "{}") as { Name?: string; Names?: string[]; WithDecryption?: boolean };
      const names = input.Names ?? (input.Name === undefined ? [] : [input.Name]);
      return names.flatMap((name) => {
        const arn = `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith("/") ? name : `/${name}`}`;
        const read = { action: `ssm:${operation}`, resource: arn, context: {}, implied: false };
        // SSM decrypts a SecureString with KMS using the caller's own credentials, naming the parameter.
        const decrypt = { action: "kms:Decrypt", resource: this.options.parametersKeyArn, context: { "kms:EncryptionContext:PARAMETER_ARN": arn }, implied: true };
        return input.WithDecryption === true ? [read, decrypt] : [read];
      });
    }
    return s3Calls(req, body);
  }
}

/**
 * What AWS answers a GetObject of a missing key: 404 NoSuchKey only to a principal allowed
 * `s3:ListBucket` on the bucket, 403 AccessDenied to any other (S3 GetObject API reference,
 * "Permissions"). Our functions' list grants are all bound to prefixes by `s3:prefix`, a key a GetObject
 * request does not carry, so they are taken not to count: the emulator's 404 becomes AWS's 403, and
 * the adapters must tell a missing key from a refusal by listing it, as they would on AWS.
 */
function missingObjectAsAws(
  calls: readonly Omit<AwsCall, "caller" | "status">[],
  answer: { status: number; headers: Record<string, string>; body: Buffer },
): { status: number; headers: Record<string, string>; body: Buffer } {
  const getObject = calls.length === 1 && (calls[0]?.action === "s3:GetObject" || calls[0]?.action === "s3:GetObjectVersion");
  if (!getObject || answer.status !== 404 || !answer.body.toString("utf8").includes("<Code>NoSuchKey</Code>")) return answer;
  const body = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
  return { status: 403, headers: { "content-type": "application/xml", "content-length": String(body.length) }, body };
}

/** S3 REST (path-style: `/bucket/key?query`) to its IAM action. Only the operations our adapters use are known. */
function s3Calls(req: IncomingMessage, body: Buffer): Omit<AwsCall, "caller" | "status">[] {
  const url = new URL(req.url ?? "/", "http://s3");
  const [, bucket = "", ...rest] = url.pathname.split("/");
  const key = decodeURIComponent(rest.join("/"));
  const q = url.searchParams;
  const method = req.method ?? "GET";
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === "string" ? value : undefined;
  };
  // Every real request is over TLS (the bucket policy denies anything else); the emulator is plain HTTP.
  const base: Record<string, string> = { "aws:SecureTransport": "true" };
  if (key === "") {
    if (method === "GET" && q.has("versions")) return [{ action: "s3:ListBucketVersions", resource: bucketArn, context: { ...base, ...listKeys(q) }, implied: false }];
    if (method === "GET") return [{ action: "s3:ListBucket", resource: bucketArn, context: { ...base, ...listKeys(q) }, implied: false }];
    if (method === "POST" && q.has("delete")) {
      // DeleteObjects is authorised per key it names (as s3:DeleteObject, or s3:DeleteObjectVersion with a version).
      const xml = body.toString("utf8");
      return [...xml.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((object) => {
        const inner = object[1] ?? "";
        const objectKey = /<Key>([^<]*)<\/Key>/.exec(inner)?.[1] ?? "";
        const action = /<VersionId>/.test(inner) ? "s3:DeleteObjectVersion" : "s3:DeleteObject";
        return { action, resource: `${bucketArn}/${objectKey}`, context: base, implied: false };
      });
    }
    throw new Error(`unexpected bucket-level S3 call ${method} ${url.pathname}${url.search}`);
  }
  const objectArn = `${bucketArn}/${key}`;
  const versioned = q.has("versionId");
  switch (method) {
    case "GET":
    case "HEAD":
      return [{ action: versioned ? "s3:GetObjectVersion" : "s3:GetObject", resource: objectArn, context: base, implied: false }];
    case "PUT": {
      if (header("x-amz-copy-source") !== undefined) throw new Error("unexpected CopyObject");
      const sse = header("x-amz-server-side-encryption");
      return [{ action: "s3:PutObject", resource: objectArn, context: sse === undefined ? base : { ...base, "s3:x-amz-server-side-encryption": sse }, implied: false }];
    }
    case "DELETE":
      return [{ action: versioned ? "s3:DeleteObjectVersion" : "s3:DeleteObject", resource: objectArn, context: base, implied: false }];
    default:
      throw new Error(`unexpected S3 call ${method} ${url.pathname}`);
  }
}

/** The condition keys of a listing: `s3:prefix` (absent when the request names none), `s3:max-keys`. */
function listKeys(q: URLSearchParams): Record<string, string> {
  const keys: Record<string, string> = {};
  const prefix = q.get("prefix");
  if (prefix !== null) keys["s3:prefix"] = prefix;
  const maxKeys = q.get("max-keys");
  if (maxKeys !== null) keys["s3:max-keys"] = maxKeys;
  return keys;
}
