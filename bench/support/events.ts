import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, S3Event } from "aws-lambda";
import { fixture } from "../../tests/support/fixtures";

/**
 * An API Gateway HTTP API (payload v2) event as AWS delivers it for a JSON body: lowercased
 * headers, the body as text (`isBase64Encoded: false`), a fresh request id and time.
 */
export function httpEvent(input: { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string }): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { host: "bench.execute-api.local", "user-agent": "agentic-memory-bench" };
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  if (input.body !== undefined) headers["content-length"] = String(Buffer.byteLength(input.body));
  const now = Date.now();
  const routeKey = `${input.method} ${input.path}`;
  return {
    version: "2.0",
    routeKey,
    rawPath: input.path,
    rawQueryString: "",
    headers,
    requestContext: {
      accountId: "000000000000",
      apiId: "bench",
      domainName: headers.host ?? "",
      domainPrefix: "bench",
      http: { method: input.method, path: input.path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: headers["user-agent"] ?? "" },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    ...(input.body === undefined ? {} : { body: input.body }),
    isBase64Encoded: false,
  };
}

/** The S3 `ObjectCreated:Put` notification the worker Lambda receives for one inbox object. */
export function s3ObjectCreated(key: string, bucket = "agentic-memory-bench-archive"): S3Event {
  const now = new Date().toISOString();
  return {
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: "eu-west-1",
        eventTime: now,
        eventName: "ObjectCreated:Put",
        userIdentity: { principalId: "AWS:BENCH" },
        requestParameters: { sourceIPAddress: "127.0.0.1" },
        responseElements: { "x-amz-request-id": "BENCH", "x-amz-id-2": "BENCH" },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "inbox-created",
          bucket: { name: bucket, ownerIdentity: { principalId: "BENCH" }, arn: `arn:aws:s3:::${bucket}` },
          object: { key, size: 1, eTag: "0", sequencer: "0" },
        },
      },
    ],
  };
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
