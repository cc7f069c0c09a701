import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type * as z from "zod/mini";
import type { DomainError, DomainErrorCode } from "../../../domain/domain-error";
import type { HttpRequest } from "./envelopes";

/** What API Gateway invokes a route with; the error boundary reads it as an {@link HttpRequest}. */
export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };
export type HttpHandler = (event: HttpEvent) => Promise<HttpResult>;

/** Error codes of the HTTP contract beyond the domain's own. */
export type HttpErrorCode =
  | DomainErrorCode
  | "INVALID_JSON"
  | "INVALID_REQUEST"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "PAYLOAD_TOO_LARGE"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_ERROR";

export function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(body) };
}

/** Every error leaves as `{"error": {"code", "message"}}`; never a stack trace. */
export function errorResponse(statusCode: number, code: HttpErrorCode, message: string): HttpResult {
  return json(statusCode, { error: { code, message } });
}

const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  WORKSPACE_KEY_INVALID: 401,
  SIGNATURE_MISSING: 401,
  SIGNATURE_MALFORMED: 401,
  SIGNATURE_STALE: 401,
  SIGNATURE_FROM_FUTURE: 401,
  SIGNATURE_MISMATCH: 401,
  INVALID_CALLER_ID: 400,
  INVALID_PAYLOAD: 400,
  UNSUPPORTED_EVENT: 400,
  TOO_MANY_FACTS: 429,
};

/** The one mapping from domain failures to HTTP. */
export function fromDomainError(error: DomainError): HttpResult {
  return errorResponse(STATUS_BY_CODE[error.code], error.code, error.message);
}

export function header(event: HttpRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The request body as text, decoding API Gateway's base64 form. */
export function rawBody(event: HttpRequest): string {
  return new TextDecoder().decode(rawBodyBytes(event));
}

/** The request body as the bytes that were sent (what a signature is computed over). */
export function rawBodyBytes(event: HttpRequest): Uint8Array {
  if (event.body === undefined || event.body === null) return new Uint8Array();
  return event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
}

export function bodyBytes(event: HttpRequest): number {
  if (!event.body) return 0;
  return event.isBase64Encoded ? Buffer.byteLength(event.body, "base64") : Buffer.byteLength(event.body, "utf8");
}

/**
 * Parse and validate a JSON body: 415 for a non-JSON content type, 413 over `maxBytes`, 400 for
 * malformed JSON or a schema violation (the message names the field).
 */
export function parseJsonBody<S extends z.ZodMiniType>(
  event: HttpRequest,
  schema: S,
  maxBytes: number,
): { ok: true; value: z.infer<S> } | { ok: false; response: HttpResult } {
  const failure = checkJsonRequest(event, maxBytes);
  if (failure) return { ok: false, response: failure };
  let data: unknown;
  try {
    data = JSON.parse(rawBody(event));
  } catch {
    return { ok: false, response: errorResponse(400, "INVALID_JSON", "body is not valid JSON") };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) return { ok: false, response: errorResponse(400, "INVALID_REQUEST", describeIssues(parsed.error)) };
  return { ok: true, value: parsed.data };
}

const isJsonContentType = (value: string): boolean => /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(value.trim());

/** Content type and size checks shared by every JSON route. */
function checkJsonRequest(event: HttpRequest, maxBytes: number): HttpResult | null {
  const contentType = header(event, "content-type");
  if (contentType !== undefined && !isJsonContentType(contentType)) {
    return errorResponse(415, "UNSUPPORTED_MEDIA_TYPE", `content-type must be application/json, not ${JSON.stringify(contentType.slice(0, 100))}`);
  }
  const size = bodyBytes(event);
  if (size > maxBytes) return errorResponse(413, "PAYLOAD_TOO_LARGE", `body is ${size} bytes; the limit is ${maxBytes}`);
  if (size === 0) return errorResponse(400, "INVALID_JSON", "body is empty; a JSON object is required");
  return null;
}

function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`)
    .join("; ");
}
