import { HttpExchange, type HttpAnswer } from "../http/http-exchange";
import { endpointOverride, MAX_ATTEMPTS, REQUEST_HANDLER, type EnvSource } from "./aws-clients";
import { queryString, signRequest, type AwsCredentials } from "./sigv4";

/** The services this client is used for, by their signing name. */
type SignedService = "ssm" | "s3";

export interface SignedRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** URI-encoded, as sent, after the endpoint's own path (an S3 client's bucket, path-style). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** Lower-case names; all are signed. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

export type AwsResponse = HttpAnswer;

/** A request that got no answer (connection refused or reset, a timeout) after every attempt. */
class AwsRequestError extends Error {
  override readonly name = "AwsRequestError";
}

/** Statuses worth another attempt, as the SDK's standard retry strategy treats them (and SSM's JSON throttling codes below). */
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const THROTTLING_CODES = /"__type"\s*:\s*"[^"]*(Throttling|ThrottledException|TooManyRequests|RequestLimitExceeded)/;
/** Backoff before the next attempt: full jitter over 100 ms × 2^attempt, as the SDK's standard strategy. */
const BASE_DELAY_MS = 100;

/**
 * AWS calls signed with SigV4 over node's own `http`/`https`: a few kilobytes where an SDK client is
 * hundreds, which on a cold start is the difference between a few milliseconds and about fifty (the
 * SDK client's modules are compiled and its middleware stack built on the first call). Used only where
 * the environment carries the region and the credentials, as Lambda's does
 * ({@link SignedAwsClient.fromEnvironment}); anywhere else (a profile, SSO, instance metadata) the SDK's
 * credential chain is needed and the SDK client is used. Same limits as our SDK clients: the
 * connection and socket timeouts of {@link REQUEST_HANDLER} and {@link MAX_ATTEMPTS} tries for network
 * errors, throttling and 5xx answers. `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL` are honoured.
 *
 * @example
 * const ssm = SignedAwsClient.fromEnvironment(process.env, "ssm");
 * const answer = await ssm?.send({ method: "POST", path: "/", headers: { "x-amz-target": "AmazonSSM.GetParameters" }, body });
 */
export class SignedAwsClient {
  /** Our SDK clients' connection and socket limits; one keep-alive agent per client, so later calls reuse the connection. */
  private readonly http = new HttpExchange({ connectTimeoutMs: REQUEST_HANDLER.connectionTimeout, socketTimeoutMs: REQUEST_HANDLER.requestTimeout });

  private constructor(
    private readonly service: SignedService,
    private readonly region: string,
    private readonly endpoint: URL,
    private readonly env: EnvSource,
  ) {}

  /**
   * A client for `service` when `env` names a region and carries credentials (`AWS_ACCESS_KEY_ID`,
   * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` if temporary), else null. Also null where an SDK
   * setting changes the endpoint we would not follow (FIPS, dual-stack or S3 accelerate endpoints).
   * An S3 client is for one bucket: requests name keys in it (`/key`), or the bucket itself (`""`).
   * It addresses the bucket as our SDK client does (s3-client.ts): path-style at an endpoint override
   * (an emulator), virtual-hosted on AWS (path-style for a name with dots, as the SDK does).
   */
  static fromEnvironment(env: EnvSource, service: "ssm"): SignedAwsClient | null;
  static fromEnvironment(env: EnvSource, service: "s3", bucket: string): SignedAwsClient | null;
  static fromEnvironment(env: EnvSource, service: SignedService, bucket?: string): SignedAwsClient | null {
    const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
    if (!region || credentialsFrom(env) === null) return null;
    if ([env.AWS_USE_FIPS_ENDPOINT, env.AWS_USE_DUALSTACK_ENDPOINT, env.AWS_S3_USE_ACCELERATE_ENDPOINT].some((v) => v?.trim().toLowerCase() === "true")) return null;
    const override = endpointOverride(env, service === "ssm" ? "SSM" : "S3");
    const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    if (service === "ssm") return new SignedAwsClient(service, region, new URL(override ?? `https://ssm.${region}.${suffix}`), env);
    if (bucket === undefined || bucket.trim() === "") throw new Error("an S3 client is for one bucket: name it");
    const pathStyle = override !== undefined || bucket.includes(".");
    const host = new URL(override ?? `https://s3.${region}.${suffix}`);
    if (!pathStyle) host.hostname = `${bucket}.${host.hostname}`;
    else host.pathname = `${host.pathname.replace(/\/$/, "")}/${encodeURIComponent(bucket)}`;
    return new SignedAwsClient(service, region, host, env);
  }

  /** Send `request` signed, retrying what the SDK would retry; any answer is returned, its status for the caller to read. */
  async send(request: SignedRequest): Promise<AwsResponse> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * BASE_DELAY_MS * 2 ** (attempt - 1)));
      try {
        const response = await this.once(request);
        if (attempt === MAX_ATTEMPTS || !isRetryable(response)) return response;
      } catch (error) {
        lastError = error;
      }
    }
    throw new AwsRequestError(`${this.service} request to ${this.endpoint.host} got no answer after ${MAX_ATTEMPTS} attempts`, { cause: lastError });
  }

  private async once(request: SignedRequest): Promise<AwsResponse> {
    const credentials = credentialsFrom(this.env);
    if (credentials === null) throw new Error("the AWS credentials left the environment");
    const path = `${this.endpoint.pathname.replace(/\/$/, "")}${request.path}` || "/";
    const headers = signRequest(
      { method: request.method, host: this.endpoint.host, path, query: request.query, headers: request.headers ?? {}, body: request.body },
      { service: this.service, region: this.region, credentials },
    );
    const search = queryString(request.query);
    return this.http.send({ method: request.method, url: this.endpoint, path: search === "" ? path : `${path}?${search}`, headers, body: request.body });
  }
}

function credentialsFrom(env: EnvSource): AwsCredentials | null {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey) return null;
  const sessionToken = env.AWS_SESSION_TOKEN?.trim();
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

function isRetryable(response: AwsResponse): boolean {
  if (RETRYABLE_STATUS.has(response.status)) return true;
  return response.status === 400 && THROTTLING_CODES.test(response.body.toString("utf8", 0, 512));
}
