// Our wire schemas against the official SDK's own (`@elevenlabs/elevenlabs-js` serialization schemas,
// the snake_case wire models its API client parses responses with): for every ElevenLabs payload in
// tests/fixtures, both read the same values for every field we use. Where the SDK publishes no schema
// for a payload, the test says so and compares what it can through a payload the SDK does describe.
import { describe, expect, it } from "vitest";
import { GetConversationResponseModel, ToolRequestModelToolConfig } from "@elevenlabs/elevenlabs-js/serialization/index.js";
import { clientDataRequestSchema } from "../../../adapters/inbound/elevenlabs/client-data-request.schema";
import { translatePostCall } from "../../../adapters/inbound/elevenlabs/post-call-translator";
import {
  audioDataSchema,
  initiationFailureDataSchema,
  seedPayloadSchema,
  transcriptionDataSchema,
} from "../../../adapters/inbound/elevenlabs/post-call.schemas";
import { retrieveRequestSchema } from "../../../adapters/inbound/elevenlabs/retrieve-request.schema";
import { normaliseCallerId } from "../../../domain/caller-id";
import { cleanText, type Conversation } from "../../../domain/conversation";
import type { Result } from "../../../domain/result";
import { fixture } from "../../support/fixtures";

type Json = Record<string, unknown>;
type Envelope = { type: string; event_timestamp: number; data: Json };

/** Unknown keys pass: ElevenLabs adds fields before the SDK knows them (the fixture has `metadata.initiation_trigger`). */
const SDK_OPTIONS = { unrecognizedObjectKeys: "passthrough" } as const;

function expectOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** What the SDK's schema reads from the `data` of a transcription, and what ours do. */
function readBoth(envelope: Envelope) {
  return {
    sdk: GetConversationResponseModel.parseOrThrow(envelope.data, SDK_OPTIONS),
    wire: transcriptionDataSchema.parse(envelope.data),
    conversation: expectOk(translatePostCall(envelope)),
  };
}

describe("post_call_transcription: our schema and the SDK's GetConversationResponseModel", () => {
  const envelope = fixture<Envelope>("post-call-transcription.json");
  // `type` and `event_timestamp` are on the webhook envelope, for which the SDK has no schema: its
  // `webhooks.constructEvent` returns the parsed body untyped. Only `data` is compared.

  it("read the same conversation id, agent id, caller and our number", () => {
    const { sdk, wire, conversation } = readBoth(envelope);
    const phoneCall = sdk.metadata.phoneCall;
    if (phoneCall?.type !== "twilio") throw new Error(`expected a Twilio call, the SDK read ${phoneCall?.type}`);

    expect(wire.conversation_id).toBe(sdk.conversationId);
    expect(conversation.conversationId).toBe(sdk.conversationId);
    expect(conversation.agentId).toBe(sdk.agentId);
    expect(wire.metadata?.phone_call?.external_number).toBe(phoneCall.externalNumber);
    expect(wire.metadata?.phone_call?.agent_number).toBe(phoneCall.agentNumber);
    expect(conversation.caller).toEqual(normaliseCallerId(phoneCall.externalNumber));
  });

  it("read the same dynamic variables where the caller, our number and the duration are repeated", () => {
    const { sdk, wire } = readBoth(envelope);
    const sdkVariables = sdk.conversationInitiationClientData?.dynamicVariables ?? {};
    const ours = wire.conversation_initiation_client_data?.dynamic_variables;

    expect(ours?.system__caller_id).toBe(sdkVariables.system__caller_id);
    expect(ours?.system__called_number).toBe(sdkVariables.system__called_number);
    expect(ours?.system__call_duration_secs).toBe(sdkVariables.system__call_duration_secs);
  });

  it("read the same call start time and duration", () => {
    const { sdk, wire, conversation } = readBoth(envelope);
    const { event_timestamp: _sent, ...withoutEventTimestamp } = envelope;

    const fromStartTime = expectOk(translatePostCall(withoutEventTimestamp));

    expect(wire.metadata?.start_time_unix_secs).toBe(sdk.metadata.startTimeUnixSecs);
    expect(fromStartTime.eventTimestamp).toBe(sdk.metadata.startTimeUnixSecs);
    expect(wire.metadata?.call_duration_secs).toBe(sdk.metadata.callDurationSecs);
    expect(conversation.durationSecs).toBe(sdk.metadata.callDurationSecs);
  });

  it("read the same transcript: roles, messages (tool-only turns have none) and times", () => {
    const { sdk, wire, conversation } = readBoth(envelope);
    const sdkTurns = sdk.transcript.map((turn) => ({ role: turn.role, message: turn.message ?? null, time: turn.timeInCallSecs }));
    const spoken = sdkTurns.filter((turn) => turn.message !== null);

    expect(wire.transcript.map((turn) => ({ role: turn.role, message: turn.text, time: turn.timeInCallSecs }))).toEqual(
      sdkTurns.map((turn) => ({ ...turn, message: turn.message === null ? null : cleanText(turn.message) })),
    );
    expect(spoken.length).toBeLessThan(sdkTurns.length);
    expect(conversation.turns).toEqual(spoken.map((turn) => ({ role: turn.role, text: cleanText(turn.message ?? ""), timeInCallSecs: turn.time })));
  });

  it("read the same summary, evaluation criteria results and data collection results", () => {
    const { sdk, conversation } = readBoth(envelope);
    const analysis = sdk.analysis;
    if (analysis === undefined) throw new Error("the SDK read no analysis");

    expect(conversation.summary).toBe(cleanText(analysis.transcriptSummary));
    expect(conversation.evaluations).toEqual(
      Object.values(analysis.evaluationCriteriaResults ?? {}).map((e) => ({ criteriaId: e.criteriaId, result: e.result, rationale: e.rationale })),
    );
    expect(conversation.dataCollection).toEqual(
      Object.values(analysis.dataCollectionResults ?? {}).map((d) => ({ id: d.dataCollectionId, value: d.value, rationale: d.rationale ?? null })),
    );
    expect(conversation.evaluations).toHaveLength(2);
    expect(conversation.dataCollection).toHaveLength(4);
  });

  it("read the same results from the _list variants the SDK also describes", () => {
    const analysis = envelope.data.analysis as Json;
    const listed: Envelope = {
      ...envelope,
      data: {
        ...envelope.data,
        analysis: {
          ...analysis,
          evaluation_criteria_results: undefined,
          data_collection_results: undefined,
          evaluation_criteria_results_list: Object.values(analysis.evaluation_criteria_results as Json),
          data_collection_results_list: Object.values(analysis.data_collection_results as Json),
        },
      },
    };

    const { sdk, conversation } = readBoth(listed);

    expect(conversation.evaluations.map((e) => e.criteriaId)).toEqual((sdk.analysis?.evaluationCriteriaResultsList ?? []).map((e) => e.criteriaId));
    expect(conversation.dataCollection.map((d) => [d.id, d.value])).toEqual(
      (sdk.analysis?.dataCollectionResultsList ?? []).map((d) => [d.dataCollectionId, d.value]),
    );
    expect(conversation.dataCollection).toHaveLength(4);
  });

  // `has_audio` (and the other `has_*` flags) are not read: the recording arrives as its own
  // `post_call_audio` event, or is fetched by the sweep, whatever the flags say.
});

describe("the retrieve tool: our request schema and the SDK's tool config and transcript models", () => {
  // The SDK has no schema for the body our tool receives: ElevenLabs builds it from the tool's own
  // `request_body_schema`. So the comparison goes through the two payloads the SDK does describe: the
  // tool's configuration (ToolRequestModelToolConfig) and the transcript's record of the call it made.
  const config = ToolRequestModelToolConfig.parseOrThrow(fixture("retrieve-tool-config.example.json"), { unrecognizedObjectKeys: "fail" });
  if (config.type !== "webhook") throw new Error(`expected a webhook tool, the SDK read ${config.type}`);
  const bodySchema = config.apiSchema.requestBodySchema;
  const request = fixture("retrieve-request.json");

  it("reads exactly the properties the tool's body schema declares, and requires the required ones", () => {
    const declared = Object.keys(bodySchema?.properties ?? {});

    const read = retrieveRequestSchema.parse(request);

    expect(Object.keys(read).sort()).toEqual([...declared].sort());
    for (const name of bodySchema?.required ?? []) {
      const { [name]: _left, ...without } = request;
      expect(retrieveRequestSchema.safeParse(without).success, `${name} is required`).toBe(false);
    }
  });

  it("takes user_id from system__caller_id and limit from the constant the tool sends", () => {
    const properties = bodySchema?.properties ?? {};

    const read = retrieveRequestSchema.parse(request);

    expect(properties.user_id).toMatchObject({ dynamicVariable: "system__caller_id" });
    expect(properties.limit).toMatchObject({ constantValue: read.limit });
  });

  it("reads the body ElevenLabs recorded sending to the tool as the retrieve request fixture", () => {
    const sdk = GetConversationResponseModel.parseOrThrow(fixture<Envelope>("post-call-transcription.json").data, SDK_OPTIONS);
    const details = sdk.transcript.flatMap((turn) => turn.toolCalls ?? []).find((call) => call.toolName === "retrieve_memories")?.toolDetails;
    if (details?.type !== "webhook" || details.body === undefined) throw new Error("no webhook call of retrieve_memories in the transcript");

    const recorded = retrieveRequestSchema.parse(JSON.parse(details.body));

    expect(recorded).toEqual(retrieveRequestSchema.parse(request));
  });
});

describe("the client-data request: our schema and the values the SDK reads back after the call", () => {
  // The SDK has no schema for the conversation-initiation webhook's request (ELEVENLABS-WIRE.md §1):
  // its fields come back after the call as system dynamic variables in the transcription, which the
  // SDK does describe. The fixtures are one call, so both must read the same values.
  const sdk = GetConversationResponseModel.parseOrThrow(fixture<Envelope>("post-call-transcription.json").data, SDK_OPTIONS);
  const variables = sdk.conversationInitiationClientData?.dynamicVariables ?? {};

  it("reads caller_id, agent_id, called_number and call_sid as the call's system variables", () => {
    const read = clientDataRequestSchema.parse(fixture("client-data-request.twilio.json"));

    expect(read).toMatchObject({
      caller_id: variables.system__caller_id,
      agent_id: variables.system__agent_id,
      called_number: variables.system__called_number,
      call_sid: variables.system__call_sid,
    });
  });

  it("reads the seed's request, caller_id alone, as the same caller", () => {
    const read = clientDataRequestSchema.parse(fixture("client-data-request.seed.json"));

    expect(read.caller_id).toBe(variables.system__caller_id);
    expect(read.agent_id).toBeUndefined();
  });
});

describe("payloads the SDK has no schema for, read by ours alone", () => {
  const translated = (name: string, options = {}): Conversation => expectOk(translatePostCall(fixture(name), options));

  it("post_call_audio: no SDK schema (the audio webhook's data is only documented); ours reads ids and audio", () => {
    const { data } = fixture<Envelope>("post-call-audio.json");

    const read = audioDataSchema.parse(data);

    expect(translated("post-call-audio.json")).toMatchObject({ conversationId: read.conversation_id, agentId: read.agent_id, audioBase64: data.full_audio });
  });

  it.each(["call-initiation-failure.json", "call-initiation-failure.sip.json"])(
    "%s: no SDK schema for call_initiation_failure; ours reads the failure reason and the external party",
    (name) => {
      const { data } = fixture<Envelope>(name);

      const read = initiationFailureDataSchema.parse(data);

      expect(translated(name)).toMatchObject({ failureReason: data.failure_reason, caller: { known: true, callerId: "+15550100123" } });
      expect(read.metadata?.type).toBe((data.metadata as Json).type);
    },
  );

  it("the seed's short shape: ours, not ElevenLabs', so the SDK has no schema; it reads as the same call as the transcription", () => {
    const read = seedPayloadSchema.parse(fixture("post-call-seed-format.json"));
    const { sdk } = readBoth(fixture<Envelope>("post-call-transcription.json"));

    expect(read.conversation_id).toBe(sdk.conversationId);
    expect(read.transcript.map((turn) => turn.text)).toEqual(sdk.transcript.flatMap((turn) => (turn.message ? [cleanText(turn.message)] : [])));
    expect(translated("post-call-seed-format.json", { fallbackTimestamp: 1767268900 }).durationSecs).toBe(sdk.metadata.callDurationSecs);
  });
});
