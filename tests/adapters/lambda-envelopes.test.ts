// The AWS events our functions are invoked with: read through one schema each, real fixtures in,
// and what a function does with an event that is not its own.
import type { S3Event } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { IngestEvent, IngestOutcome } from "../../application/use-cases/ingest-event.use-case";
import type { Scope } from "../../adapters/composition-root";
import { loadEnv } from "../../adapters/config";
import { inboxKeysOf } from "../../adapters/inbound/cli/dead-letter-queue";
import { MalformedEventError } from "../../adapters/inbound/lambda/envelopes";
import { withErrorBoundary } from "../../adapters/inbound/lambda/error-boundary";
import { header, json, rawBody, type HttpEvent } from "../../adapters/inbound/lambda/http";
import { logger } from "../../adapters/logging/logger";
import { createWorkerHandler } from "../../adapters/inbound/lambda/worker.handler";
import { callSettings } from "../application/support/harness";
import { InMemoryUsageMetrics } from "../fakes/in-memory-usage-metrics";
import { fixture } from "../support/fixtures";
import { apiEvent, s3ObjectCreated } from "../support/lambda-events";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const KEY = "inbox/post_call_transcription/conv_envelope_1.json";

/** A route that echoes what it read of the request. */
function echoRoute() {
  let resolved = 0;
  const handler = withErrorBoundary(
    "echo",
    async () => ({ metrics: new InMemoryUsageMetrics(), resolved: (resolved += 1) }),
    async (request) => json(200, { signature: header(request, "ElevenLabs-Signature") ?? null, body: rawBody(request) }),
  );
  return { handler, resolvedCount: () => resolved };
}

describe("the API Gateway HTTP API event", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("is read from the recorded event: headers by any case, a base64 body decoded", async () => {
    // Prepare
    const { handler } = echoRoute();
    const event = { ...apiEvent("/post-call", "", { "elevenlabs-signature": "t=1,v0=ab" }), body: Buffer.from('{"type":"post_call_transcription"}').toString("base64"), isBase64Encoded: true };

    // Act
    const res = await handler(event);

    // Assess
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ signature: "t=1,v0=ab", body: '{"type":"post_call_transcription"}' });
  });

  it("reads an event without headers or body as an empty request, as it always has", async () => {
    const { handler } = echoRoute();

    const res = await handler({} as HttpEvent);

    expect(JSON.parse(res.body)).toEqual({ signature: null, body: "" });
  });

  it.each([
    { name: "a body that is not text", patch: { body: 42 }, field: "body" },
    { name: "headers that are a list", patch: { headers: ["content-type"] }, field: "headers" },
    { name: "a header that is not text", patch: { headers: { "content-type": 1 } }, field: "headers.content-type" },
    { name: "isBase64Encoded that is not a boolean", patch: { isBase64Encoded: "yes" }, field: "isBase64Encoded" },
  ])("answers $name with a JSON 500, logs the field, and never reaches the route", async ({ patch, field }) => {
    // Prepare
    const logged = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    const { handler, resolvedCount } = echoRoute();
    const event = { ...apiEvent("/retrieve", "{}", {}), ...patch } as unknown as HttpEvent;

    // Act
    const res = await handler(event);

    // Assess
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: { code: "INTERNAL_ERROR", message: "internal error; the request was not completed" } });
    expect(resolvedCount()).toBe(0);
    expect(logged).toHaveBeenCalledOnce();
    expect(logged.mock.calls[0]?.[1]).toEqual({ route: "echo", error: `MalformedEventError: malformed API Gateway HTTP API event: ${field}: Invalid input` });
  });
});

describe("the worker's S3 event notification", () => {
  function workerWith(execute: (id: string) => Promise<IngestOutcome>) {
    const seen = { ingested: [] as string[], parked: [] as { id: string; reason: string }[] };
    const ingestEvent = {
      execute: async (id: string) => {
        seen.ingested.push(id);
        return execute(id);
      },
      park: async (id: string, reason: string) => {
        seen.parked.push({ id, reason });
      },
    } as unknown as IngestEvent;
    const scope: Scope<"ingestEvent"> = {
      env: loadEnv({ WORKER_MAX_ATTEMPTS: "3", WORKER_RETRY_BASE_MS: "10" }),
      settings: callSettings(),
      logger: quiet,
      metrics: new InMemoryUsageMetrics(),
      close: async () => undefined,
      ingestEvent,
    };
    return { handler: createWorkerHandler(async () => scope), seen };
  }
  const ingested = async (): Promise<IngestOutcome> => ({ status: "ingested", memoriesAdded: 1, archived: [] });

  it("ingests the event each record names, from the recorded notification", async () => {
    const { handler, seen } = workerWith(ingested);

    const result = await handler(s3ObjectCreated("archive-bucket", KEY));

    expect(result).toEqual({ processed: 1, parked: 0 });
    expect(seen.ingested).toEqual(["post_call_transcription/conv_envelope_1"]);
  });

  it("does nothing for a notification without records, as it always has", async () => {
    const { handler, seen } = workerWith(ingested);

    const result = await handler({} as S3Event);

    expect(result).toEqual({ processed: 0, parked: 0 });
    expect(seen.ingested).toEqual([]);
  });

  it("fails the invocation, naming the field, for a record without an object key", async () => {
    // Prepare
    const { handler, seen } = workerWith(ingested);
    const event = { Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: "archive-bucket" }, object: { size: 10 } } }] } as unknown as S3Event;

    // Act
    const error = await handler(event).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as Error).message).toContain("Records.0.s3.object.key");
    expect(seen.ingested).toEqual([]);
  });

  it("tries a failing event WORKER_MAX_ATTEMPTS times, then parks it with the last reason", async () => {
    const { handler, seen } = workerWith(async () => {
      throw new Error("Mem0 answered 502");
    });

    const result = await handler(s3ObjectCreated("archive-bucket", KEY));

    expect(result).toEqual({ processed: 0, parked: 1 });
    expect(seen.ingested).toHaveLength(3);
    expect(seen.parked).toEqual([{ id: "post_call_transcription/conv_envelope_1", reason: "worker: 3 attempts failed; last: Error: Mem0 answered 502" }]);
  });

  it("parks after the first failure when too little time is left to try again", async () => {
    const { handler, seen } = workerWith(async () => {
      throw new Error("Mem0 answered 502");
    });

    const result = await handler(s3ObjectCreated("archive-bucket", KEY), { getRemainingTimeInMillis: () => 9_000 });

    expect(result).toEqual({ processed: 0, parked: 1 });
    expect(seen.ingested).toHaveLength(1);
  });
});

describe("a dead letter of the worker", () => {
  const s3Event = s3ObjectCreated("archive-bucket", KEY);

  it.each([
    { name: "a Lambda on-failure destination record", body: JSON.stringify({ version: "1.0", requestPayload: s3Event, responsePayload: { errorType: "Error" } }), keys: [KEY] },
    { name: "a bare S3 event (an SQS dead-letter queue on the function)", body: JSON.stringify(fixture<S3Event>("s3-object-created.json")), keys: ["inbox/post_call_transcription/conv_5201kfx7demo0conv0fixt00001a.json"] },
    { name: "not JSON", body: "not a failure record", keys: null },
    { name: "a record whose payload names no object", body: JSON.stringify({ requestPayload: { Records: [] } }), keys: null },
    { name: "a record whose payload is something else", body: JSON.stringify({ requestPayload: { detail: {} } }), keys: null },
    { name: "records without keys", body: JSON.stringify({ Records: [{ s3: { object: {} } }] }), keys: null },
  ])("names the S3 keys of $name", ({ body, keys }) => {
    expect(inboxKeysOf(body)).toEqual(keys);
  });
});
