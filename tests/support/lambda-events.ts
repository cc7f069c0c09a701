import type { APIGatewayProxyEventV2, S3Event, ScheduledEvent } from "aws-lambda";
import { fixture } from "./fixtures";

/** An API Gateway v2 (payload 2.0) event for `POST <path>`, from the recorded fixture. */
export function apiEvent(path: string, body: string, headers: Record<string, string>): APIGatewayProxyEventV2 {
  const event = fixture<APIGatewayProxyEventV2>("apigw-v2-event.json");
  return {
    ...event,
    routeKey: `POST ${path}`,
    rawPath: path,
    headers: { ...event.headers, ...headers, "content-length": String(Buffer.byteLength(body)) },
    requestContext: { ...event.requestContext, routeKey: `POST ${path}`, http: { ...event.requestContext.http, path } },
    body,
    isBase64Encoded: false,
  };
}

/** The S3 `ObjectCreated:Put` notification the bucket sends for `key`. */
export function s3ObjectCreated(bucket: string, key: string): S3Event {
  const event = fixture<S3Event>("s3-object-created.json");
  const record = event.Records[0];
  if (!record) throw new Error("fixture has no record");
  return { Records: [{ ...record, s3: { ...record.s3, bucket: { ...record.s3.bucket, name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { ...record.s3.object, key } } }] };
}

/** The event an EventBridge schedule delivers. */
export function scheduledEvent(ruleArn: string): ScheduledEvent {
  return {
    version: "0",
    id: "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: ruleArn.split(":")[4] ?? "",
    time: new Date().toISOString(),
    region: ruleArn.split(":")[3] ?? "",
    resources: [ruleArn],
    detail: {},
  };
}
