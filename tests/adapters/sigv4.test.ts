// Our SigV4 signing (aws4 and the headers we add, used for the functions' SSM and S3 calls) against
// the AWS SDK's own signer: the SDK signs real requests, a request handler catches them on the wire,
// and ours must sign the same request with the same signature, byte for byte.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { signRequest, uriEncode, type AwsCredentials } from "../../adapters/outbound/aws/sigv4";

interface WireRequest {
  method: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

const REGION = "eu-central-1";
const PERMANENT: AwsCredentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const TEMPORARY: AwsCredentials = { ...PERMANENT, accessKeyId: "ASIAEXAMPLE", sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE//session+token=" };

/** What the SDK puts on the wire for one command: the handler keeps the request and refuses to send it. */
async function sdkWire(client: SSMClient | S3Client, send: (c: never) => Promise<unknown>): Promise<WireRequest> {
  let caught: WireRequest | undefined;
  const handler = {
    handle: (request: WireRequest) => {
      caught = request;
      return Promise.reject(new Error("caught"));
    },
  };
  (client.config as unknown as { requestHandler: typeof handler }).requestHandler = handler;
  await send(client as never).catch(() => undefined);
  if (caught === undefined) throw new Error("the SDK sent nothing");
  return caught;
}

/** Our signature of the request the SDK sent, over exactly the headers the SDK signed. */
function ourSignature(wire: WireRequest, service: string, credentials: AwsCredentials): string | undefined {
  const authorization = wire.headers.authorization ?? "";
  const signed = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(";") ?? [];
  const ours = new Set(["host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]);
  const headers = Object.fromEntries(signed.filter((name) => !ours.has(name)).map((name) => [name, wire.headers[name] ?? ""]));
  const stamp = wire.headers["x-amz-date"] ?? "";
  const now = new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`);
  const query = Object.fromEntries(Object.entries(wire.query).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? "") : (v ?? "")]));
  const body = typeof wire.body === "string" || wire.body instanceof Uint8Array ? wire.body : undefined;
  const host = wire.port === undefined ? wire.hostname : `${wire.hostname}:${wire.port}`;
  const result = signRequest({ method: wire.method, host, path: wire.path, query, headers, body }, { service, region: REGION, credentials, now });
  return result.authorization;
}

describe("signRequest", () => {
  it.each([
    ["permanent", PERMANENT],
    ["temporary", TEMPORARY],
  ])("signs SSM GetParameter as the SDK does, with %s credentials", async (_, credentials) => {
    const ssm = new SSMClient({ region: REGION, credentials, maxAttempts: 1 });
    const wire = await sdkWire(ssm, (c: SSMClient) => c.send(new GetParameterCommand({ Name: "/elevenlabs-agentic-memory-prod/elevenlabs-workspace-key", WithDecryption: true })));

    expect(ourSignature(wire, "ssm", credentials)).toBe(wire.headers.authorization);
    expect(wire.headers["x-amz-security-token"]).toBe(credentials.sessionToken);
  });

  it("signs an SSM read at an emulator's endpoint (host with a port)", async () => {
    const ssm = new SSMClient({ region: REGION, credentials: TEMPORARY, endpoint: "http://127.0.0.1:4566", maxAttempts: 1 });
    const wire = await sdkWire(ssm, (c: SSMClient) => c.send(new GetParameterCommand({ Name: "plain-name", WithDecryption: true })));

    expect(wire.port).toBe(4566);
    expect(ourSignature(wire, "ssm", TEMPORARY)).toBe(wire.headers.authorization);
  });

  it.each([
    ["a caller's profile", "profiles/+15550100123.json"],
    ["spaces, unicode and reserved characters", "transcripts/anonymous/conv a*b(c)!'~_é.json"],
  ])("signs S3 reads of %s as the SDK does (path style, key encoded once)", async (_, key) => {
    const s3 = new S3Client({ region: REGION, credentials: TEMPORARY, endpoint: "http://127.0.0.1:5000", forcePathStyle: true, maxAttempts: 1 });
    const get = await sdkWire(s3, (c: S3Client) => c.send(new GetObjectCommand({ Bucket: "archive-123", Key: key })));
    const list = await sdkWire(s3, (c: S3Client) => c.send(new ListObjectsV2Command({ Bucket: "archive-123", Prefix: key, MaxKeys: 1 })));

    expect(ourSignature(get, "s3", TEMPORARY)).toBe(get.headers.authorization);
    expect(ourSignature(list, "s3", TEMPORARY)).toBe(list.headers.authorization);
  });

  it("signs an S3 write with a body and conditions as the SDK does", async () => {
    const s3 = new S3Client({ region: REGION, credentials: PERMANENT, requestChecksumCalculation: "WHEN_REQUIRED", maxAttempts: 1 });
    const wire = await sdkWire(s3, (c: S3Client) =>
      c.send(new PutObjectCommand({ Bucket: "archive-123", Key: "inbox/post_call_transcription/conv_1.json", Body: '{"a": 1}', IfNoneMatch: "*", ServerSideEncryption: "aws:kms" })),
    );

    expect(ourSignature(wire, "s3", PERMANENT)).toBe(wire.headers.authorization);
  });
});

describe("uriEncode", () => {
  it("encodes everything but RFC 3986's unreserved characters", () => {
    expect(uriEncode("a-z_A.Z~0 9+/=!'()*é")).toBe("a-z_A.Z~0%209%2B%2F%3D%21%27%28%29%2A%C3%A9");
  });
});
