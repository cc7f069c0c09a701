/**
 * The anti-corruption layer of the post-call webhook: a payload read with the schemas of
 * `post-call.schemas.ts`, turned into the domain's {@link Conversation}.
 *
 * Rules worth knowing:
 * - Untrusted input: it never throws; every problem is an `INVALID_PAYLOAD` (with `field` set to the
 *   JSON path to blame, e.g. `data.transcript[3].role`) or an `UNSUPPORTED_EVENT` (field `type`).
 * - Unknown fields are ignored (ElevenLabs adds fields over time).
 * - Where a value has fallbacks (timestamp, duration, caller id), the first one present is used and must be
 *   valid; later fallbacks are only read when needed, so a malformed spare never rejects a good event.
 * - A caller id in national form is read in the region of our own number in the event (`agent_number`,
 *   `system__called_number`; for initiation failures the other party), else `defaultRegion`; our number
 *   is only a hint, so a missing or malformed one never rejects the event.
 * - Ids and text follow the domain's rules (`isStorableId`, `cleanText`); a turn whose text is null or
 *   empty (tool-only) is dropped.
 */
import type * as z from "zod/mini";
import {
  CONVERSATION_EVENT_TYPES,
  type Conversation,
  type ConversationEventType,
  type Turn,
} from "../../../domain/conversation";
import { DomainError } from "../../../domain/domain-error";
import { err, ok, type Result } from "../../../domain/result";
import { readAnalysis, readSeedAnalysis, type Findings } from "./post-call-analysis";
import {
  audioDataSchema,
  eventTypeSchema,
  initiationFailureDataSchema,
  eventIdsSchema,
  postCallEnvelopeSchema,
  seedCallSchema,
  seedContentSchema,
  transcriptionCallSchema,
  transcriptionContentSchema,
  type TranscriptionData,
  type WireTurn,
} from "./post-call.schemas";
import { callRegion, firstPresent, readTimestamp, resolveCaller, type Candidate, type TranslateOptions } from "./post-call-fallbacks";
import { invalidPayload, isJsonObject, nonNegativeNumber, readWith, type JsonObject, type WirePath } from "./wire-fields";
import { languageCode } from "../../../domain/language";

export type { TranslateOptions } from "./post-call-fallbacks";

/** Where both transcription shapes keep the ids, the caller, our number, the call's start and its duration. */
type CallFields = Pick<TranscriptionData, "conversation_id" | "agent_id" | "metadata" | "conversation_initiation_client_data">;

/**
 * A post-call webhook payload (ElevenLabs envelope or the seed's short shape) as a {@link Conversation}.
 *
 * @example
 * const translated = translatePostCall(JSON.parse(rawBody), { fallbackTimestamp: receivedAtUnixSecs });
 * if (!translated.ok) return badRequest(translated.error.code, translated.error.field);
 * translated.value.caller; // { known: true, callerId: "+15550100123" }
 */
export function translatePostCall(payload: unknown, options: TranslateOptions = {}): Result<Conversation> {
  try {
    return translate(payload, options);
  } catch (cause) {
    // JSON input never gets here; exotic objects (throwing getters, proxies) still get an answer, not a crash.
    return err(new DomainError("INVALID_PAYLOAD", "payload could not be read", { cause }));
  }
}

function translate(payload: unknown, options: TranslateOptions): Result<Conversation> {
  const envelope = readWith(postCallEnvelopeSchema, payload, []);
  if (!envelope.ok) return envelope;
  const { type, data } = envelope.value;

  if (type === undefined) {
    if (envelope.value.conversation_id === undefined && isJsonObject(data)) return unsupported("type is missing from the event envelope");
    const seed = readWith(seedCallSchema, payload, []);
    if (!seed.ok) return seed;
    return translateTranscription(seed.value, [], options, {
      eventTimestamp: seed.value.event_timestamp,
      leadingDuration: [{ value: seed.value.call_duration, path: ["call_duration"] }],
      content: () => readContent(seedContentSchema, payload, [], readSeedAnalysis),
    });
  }
  const eventType = eventTypeSchema.safeParse(type);
  if (!eventType.success) {
    const shown = typeof type === "string" ? JSON.stringify(type.slice(0, 64)) : typeof type;
    return unsupported(`type ${shown} is not one we ingest (${CONVERSATION_EVENT_TYPES.join(", ")})`);
  }
  if (!isJsonObject(data)) return invalidPayload(["data"], "must be an object");

  const eventTimestamp = envelope.value.event_timestamp;
  switch (eventType.data) {
    case "post_call_transcription": {
      const call = readWith(transcriptionCallSchema, data, ["data"]);
      if (!call.ok) return call;
      return translateTranscription(call.value, ["data"], options, {
        eventTimestamp,
        leadingDuration: [],
        content: () => readContent(transcriptionContentSchema, data, ["data"], readAnalysis),
      });
    }
    case "post_call_audio":
      return translateAudio(data, options, eventTimestamp);
    case "call_initiation_failure":
      return translateInitiationFailure(data, options, eventTimestamp);
  }
}

/** What tells the two transcription shapes apart, once each is read with its schema. */
interface TranscriptionParts {
  readonly eventTimestamp: unknown;
  /** Durations read before the ElevenLabs ones (the seed's `call_duration`). */
  readonly leadingDuration: readonly Candidate[];
  /** What was said and found, read after the timestamp, duration and caller (whose faults are reported first). */
  readonly content: () => Result<Content>;
}

interface Content {
  readonly turns: readonly WireTurn[];
  readonly findings: Findings;
}

function readContent<A>(
  schema: z.ZodMiniType<{ readonly transcript: readonly WireTurn[]; readonly analysis?: A | null | undefined }>,
  value: unknown,
  base: WirePath,
  readFindings: (analysis: A | null, path: WirePath) => Result<Findings>,
): Result<Content> {
  const content = readWith(schema, value, base);
  if (!content.ok) return content;
  const findings = readFindings(content.value.analysis ?? null, [...base, "analysis"]);
  return findings.ok ? ok({ turns: content.value.transcript, findings: findings.value }) : findings;
}

function translateTranscription(call: CallFields, base: WirePath, options: TranslateOptions, parts: TranscriptionParts): Result<Conversation> {
  const metadata = call.metadata ?? null;
  const variables = call.conversation_initiation_client_data?.dynamic_variables ?? null;
  const variablesPath = [...base, "conversation_initiation_client_data", "dynamic_variables"];

  const timestamp = readTimestamp(
    [
      { value: parts.eventTimestamp, path: ["event_timestamp"] },
      { value: metadata?.start_time_unix_secs, path: [...base, "metadata", "start_time_unix_secs"] },
    ],
    options,
  );
  if (!timestamp.ok) return timestamp;

  const duration = firstPresent(nonNegativeNumber, [
    ...parts.leadingDuration,
    { value: metadata?.call_duration_secs, path: [...base, "metadata", "call_duration_secs"] },
    { value: variables?.system__call_duration_secs, path: [...variablesPath, "system__call_duration_secs"] },
  ]);
  if (!duration.ok) return duration;

  const phoneCall = metadata?.phone_call ?? null;
  const caller = resolveCaller(
    [
      { value: phoneCall?.external_number, path: [...base, "metadata", "phone_call", "external_number"] },
      { value: variables?.system__caller_id, path: [...variablesPath, "system__caller_id"] },
    ],
    callRegion([phoneCall?.agent_number, variables?.system__called_number], options),
  );
  if (!caller.ok) return caller;

  const content = parts.content();
  if (!content.ok) return content;
  const turns: Turn[] = [];
  for (const { role, text, timeInCallSecs } of content.value.turns) if (text !== null && text !== "") turns.push({ role, text, timeInCallSecs });

  return ok({
    eventType: "post_call_transcription",
    conversationId: call.conversation_id,
    agentId: call.agent_id,
    caller: caller.value,
    eventTimestamp: timestamp.value,
    durationSecs: duration.value,
    turns,
    ...content.value.findings,
    audioBase64: null,
    failureReason: null,
    // When the event names no language, the reader identifies it from what the caller said (language-identification.ts).
    language: languageCode(metadata?.main_language),
  });
}

function translateAudio(data: JsonObject, options: TranslateOptions, eventTimestamp: unknown): Result<Conversation> {
  const ids = readWith(eventIdsSchema, data, ["data"]);
  if (!ids.ok) return ids;
  const timestamp = readTimestamp([{ value: eventTimestamp, path: ["event_timestamp"] }], options);
  if (!timestamp.ok) return timestamp;
  const audio = readWith(audioDataSchema, data, ["data"]);
  if (!audio.ok) return audio;
  return ok({
    ...emptyConversation("post_call_audio", audio.value, timestamp.value),
    // The audio event names no caller: it is matched to the transcription of the same conversation.
    audioBase64: audio.value.full_audio,
  });
}

/**
 * Only archived, never turned into memories. The caller is the *external* party: `call_initiation_failure` is
 * about calls ElevenLabs places (busy and no-answer are outbound outcomes), so it is the callee (`To`, then
 * `Called` for Twilio; `to_number` for SIP) unless a Twilio `Direction` says `inbound`, in which case it is
 * `From`, then `Caller`. Other `metadata.type`s carry no caller we know how to read.
 */
function translateInitiationFailure(data: JsonObject, options: TranslateOptions, eventTimestamp: unknown): Result<Conversation> {
  const ids = readWith(eventIdsSchema, data, ["data"]);
  if (!ids.ok) return ids;
  const timestamp = readTimestamp([{ value: eventTimestamp, path: ["event_timestamp"] }], options);
  if (!timestamp.ok) return timestamp;
  const failure = readWith(initiationFailureDataSchema, data, ["data"]);
  if (!failure.ok) return failure;

  const telephony = failure.value.metadata?.type ?? null;
  const body = failure.value.metadata?.body ?? null;
  const candidate = (key: "From" | "Caller" | "To" | "Called" | "to_number"): Candidate => ({
    value: body?.[key],
    path: ["data", "metadata", "body", key],
  });
  let callerCandidates: Candidate[] = [];
  // Our own number, whose region a national caller id is read in: the other end of the call.
  let ourNumbers: unknown[] = [];
  if (telephony === "twilio") {
    const inbound = body?.Direction?.trim().toLowerCase() === "inbound";
    callerCandidates = inbound ? [candidate("From"), candidate("Caller")] : [candidate("To"), candidate("Called")];
    ourNumbers = inbound ? [body?.To, body?.Called] : [body?.From, body?.Caller];
  } else if (telephony === "sip") {
    callerCandidates = [candidate("to_number")];
    ourNumbers = [body?.from_number];
  }
  const caller = resolveCaller(callerCandidates, callRegion(ourNumbers, options));
  if (!caller.ok) return caller;

  const failureReason = failure.value.failure_reason;
  return ok({
    ...emptyConversation("call_initiation_failure", failure.value, timestamp.value),
    caller: caller.value,
    failureReason: failureReason === "" ? null : failureReason,
  });
}

function emptyConversation(
  eventType: ConversationEventType,
  ids: { readonly conversation_id: string; readonly agent_id: string },
  eventTimestamp: number,
): Conversation {
  return {
    eventType,
    conversationId: ids.conversation_id,
    agentId: ids.agent_id,
    caller: { known: false, reason: "missing" },
    eventTimestamp,
    durationSecs: null,
    turns: [],
    summary: null,
    evaluations: [],
    dataCollection: [],
    audioBase64: null,
    failureReason: null,
  };
}

function unsupported(message: string): Result<never> {
  return err(new DomainError("UNSUPPORTED_EVENT", message, { field: "type" }));
}
