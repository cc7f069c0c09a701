import { createHash, createHmac } from "node:crypto";

/** Credentials a request is signed with; `sessionToken` for temporary ones (a Lambda role's always are). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** One request as it will be sent: `path` already URI-encoded, exactly as it goes on the wire. */
export interface RequestToSign {
  readonly method: string;
  /** `host[:port]`, as in the Host header. */
  readonly host: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** Lower-case names. Every one given is signed. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

export interface SigningScope {
  readonly service: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  /** Signing time; now unless given (tests). */
  readonly now?: Date;
}

const ALGORITHM = "AWS4-HMAC-SHA256";

/** RFC 3986 percent-encoding, as SigV4 wants it (`encodeURIComponent` leaves `!'()*` alone). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/**
 * The headers that sign `request` with AWS Signature Version 4 (header form): `x-amz-date`,
 * `x-amz-content-sha256` (S3 requires it, the SDK sends it to SSM too), `x-amz-security-token` with temporary credentials, and `authorization`.
 * The path is signed as sent, which is its canonical form for S3 and for services called at `/`
 * (SSM's JSON API), the only ones this is used for; other services would want it encoded twice.
 * Checked against the AWS SDK's own signer (`@smithy/signature-v4`) in tests/unit/sigv4.test.ts.
 *
 * @example
 * const signed = signRequest({ method: "POST", host: "ssm.eu-west-1.amazonaws.com", path: "/", headers, body }, { service: "ssm", region: "eu-west-1", credentials });
 */
export function signRequest(request: RequestToSign, scope: SigningScope): Record<string, string> {
  const amzDate = (scope.now ?? new Date()).toISOString().replace(/[:-]|\.\d{3}/g, "");
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(request.body ?? "");
  const { credentials } = scope;
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.host,
    "x-amz-date": amzDate,
    "x-amz-content-sha256": payloadHash,
    ...(credentials.sessionToken === undefined ? {} : { "x-amz-security-token": credentials.sessionToken }),
  };
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${(headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  const signedHeaders = names.join(";");
  const canonicalQuery = Object.entries(request.query ?? {})
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalRequest = [request.method, request.path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, credentialScope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), scope.region), scope.service), "aws4_request");
  const signature = createHmac("sha256", signingKey).update(stringToSign).digest("hex");
  headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
