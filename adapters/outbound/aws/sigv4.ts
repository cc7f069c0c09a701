import { createHash } from "node:crypto";
import aws4 from "aws4";

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
  /** Lower-case names. Every one given is signed, but those SigV4 leaves out (`user-agent`, `range`, `expect`…). */
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

/** RFC 3986 percent-encoding, as SigV4 wants it (`encodeURIComponent` leaves `!'()*` alone). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `query` as it is signed and must be sent: RFC 3986, not as URLSearchParams writes it (`+` for a space, `~` escaped). */
export function queryString(query: Readonly<Record<string, string>> = {}): string {
  return Object.entries(query)
    .map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`)
    .join("&");
}

/**
 * The headers that sign `request` with AWS Signature Version 4 (header form), signed by `aws4`:
 * `x-amz-date`, `x-amz-content-sha256` (S3 requires it; aws4 adds it for S3 only, the SDK sends it to
 * SSM too, so it is set here), `x-amz-security-token` with temporary credentials, `content-length`
 * with a body, and `authorization`; names lower-case. aws4 signs an S3 path as sent (each segment
 * encoded once) and SSM's JSON API is called at `/`, the only services this is used for.
 * Checked against the AWS SDK's own signer (`@smithy/signature-v4`) in tests/adapters/sigv4.test.ts.
 *
 * @example
 * const signed = signRequest({ method: "POST", host: "ssm.eu-west-1.amazonaws.com", path: "/", headers, body }, { service: "ssm", region: "eu-west-1", credentials });
 */
export function signRequest(request: RequestToSign, scope: SigningScope): Record<string, string> {
  const { body } = request;
  const search = queryString(request.query);
  const signed = aws4.sign(
    {
      method: request.method,
      host: request.host,
      path: search === "" ? request.path : `${request.path}?${search}`,
      service: scope.service,
      region: scope.region,
      headers: {
        ...request.headers,
        host: request.host,
        "x-amz-date": (scope.now ?? new Date()).toISOString().replace(/[:-]|\.\d{3}/g, ""),
        "x-amz-content-sha256": createHash("sha256").update(body ?? "").digest("hex"),
      },
      body: typeof body === "string" || body === undefined ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    },
    scope.credentials,
  );
  return Object.fromEntries(Object.entries(signed.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
}
