import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, S3Event } from "aws-lambda";
import { fixture } from "../../tests/support/fixtures";
import { RETRIEVE_QUERIES } from "./seed-data";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** API Gateway's `requestContext.time`: `01/Jan/2026:12:01:11 +0000`. */
function gatewayTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

let gatewayTemplate: APIGatewayProxyEventV2 | undefined;
let s3Template: S3Event | undefined;

/**
 * An API Gateway HTTP API (payload v2) event as AWS delivers a JSON body (the shape of
 * `tests/fixtures/apigw-v2-event.json`): lowercased headers, the body as text, a fresh request id and time.
 */
export function httpEvent(input: { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string }): APIGatewayProxyEventV2 {
  gatewayTemplate ??= fixture<APIGatewayProxyEventV2>("apigw-v2-event.json");
  const template = gatewayTemplate;
  const headers: Record<string, string | undefined> = { ...template.headers };
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  headers["content-length"] = String(input.body === undefined ? 0 : Buffer.byteLength(input.body));
  const now = Date.now();
  const routeKey = `${input.method} ${input.path}`;
  return {
    ...template,
    routeKey,
    rawPath: input.path,
    headers,
    requestContext: {
      ...template.requestContext,
      http: { ...template.requestContext.http, method: input.method, path: input.path },
      requestId: randomUUID(),
      routeKey,
      time: gatewayTime(now),
      timeEpoch: now,
    },
    body: input.body,
    isBase64Encoded: false,
  };
}

/** The S3 `ObjectCreated:Put` notification the worker Lambda receives for one inbox object of `bucket` (`tests/fixtures/s3-object-created.json`). */
export function s3ObjectCreated(bucket: string, key: string): S3Event {
  s3Template ??= fixture<S3Event>("s3-object-created.json");
  const record = s3Template.Records[0];
  if (record === undefined) throw new Error("s3-object-created.json has no record");
  const s3 = { ...record.s3, bucket: { ...record.s3.bucket, name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { ...record.s3.object, key } };
  return { Records: [{ ...record, eventTime: new Date().toISOString(), s3 }] };
}

interface Transcription {
  event_timestamp: number;
  data: {
    conversation_id: string;
    metadata: { phone_call: { external_number: string } };
    conversation_initiation_client_data: { dynamic_variables: Record<string, unknown> };
  };
}

/** The transcription fixture, parsed once: one body per post-call must be cheap for the load generator. */
let template: Transcription | undefined;

/** A distinct post-call transcription body: the fixture with another conversation and caller. */
export function transcriptionBody(conversationId: string, callerId: string): string {
  template ??= fixture<Transcription>("post-call-transcription.json");
  template.data.conversation_id = conversationId;
  template.data.metadata.phone_call.external_number = callerId;
  template.data.conversation_initiation_client_data.dynamic_variables.system__caller_id = callerId;
  return JSON.stringify(template);
}

/** Headers of a client-data or retrieve call as ElevenLabs sends them. */
export function workspaceHeaders(workspaceKey: string): Record<string, string> {
  return { "content-type": "application/json", "x-workspace-key": workspaceKey };
}

/** The conversation-initiation webhook body for a caller (Twilio shape). */
export function clientDataBody(callerId: string, i = 0): string {
  return JSON.stringify({ caller_id: callerId, agent_id: "agent_bench_concierge", called_number: "+15550100199", call_sid: `CA${i}` });
}

/** The remember tool body: the i-th fact of a call, as the model would send it mid-call. */
export function rememberBody(callerId: string, i = 0): string {
  return JSON.stringify({ user_id: callerId, fact: `Prefers to be called back after ${(i % 12) + 1} pm`, category: "callback time", conversation_id: `conv_bench_remember_${i}` });
}

/** The retrieve tool body: the i-th of the realistic queries, for a caller. */
export function retrieveBody(callerId: string, i = 0): string {
  return JSON.stringify({ query: RETRIEVE_QUERIES[i % RETRIEVE_QUERIES.length], user_id: callerId, limit: 5 });
}
