/**
 * The post-call webhook payloads we accept, as zod schemas of the fields we read (ElevenLabs adds
 * fields over time: the others are ignored). Wire formats and sources: ELEVENLABS-WIRE.md §3; the
 * official SDK's own schemas are checked against these in tests/adapters/elevenlabs/sdk-agreement.test.ts.
 *
 * - The envelope `{ type, event_timestamp, data }` with `type` `post_call_transcription` (`data` is the
 *   GET-conversation model), `post_call_audio` (`{ agent_id, conversation_id, full_audio }`) or
 *   `call_initiation_failure` (`{ agent_id, conversation_id, failure_reason, metadata: { type, body } }`).
 * - The seed's short post-call shape (no `type`), read as a transcription: turn text in `content`, roles
 *   also `assistant` (agent) and `caller`/`customer` (user), `analysis.summary`, one
 *   `analysis.evaluation`, `call_duration`; no timestamp of its own unless an `event_timestamp` at its root.
 *
 * Fields with fallbacks (timestamps, durations, caller ids, map-or-list results) are declared
 * {@link readLater}: `post-call-translator.ts` reads them in the order of their rule.
 */
import * as z from "zod/mini";
import { CONVERSATION_EVENT_TYPES, type TurnRole } from "../../../domain/conversation";
import { collectedValue, idField, nonNegativeNumber, optionalList, optionalObject, readLater, textField } from "./wire-fields";

/** What every payload is first read as: the envelope, or the seed shape (which has `conversation_id` at its root). */
export const postCallEnvelopeSchema = z.object(
  { type: readLater(), event_timestamp: readLater(), data: readLater(), conversation_id: readLater() },
  { error: "payload must be a JSON object" },
);

export const eventTypeSchema = z.enum(CONVERSATION_EVENT_TYPES);

const objectError = { error: "must be an object" };

/** Every event names its conversation and agent. */
const idsShape = { conversation_id: idField, agent_id: idField };
export const eventIdsSchema = z.object(idsShape, objectError);

/** Where the caller, our number, the call's start and its duration are, in transcriptions of either shape. */
const callShape = {
  ...idsShape,
  metadata: optionalObject({
    start_time_unix_secs: readLater(),
    call_duration_secs: readLater(),
    // The call's language as ElevenLabs detected it (`ConversationHistoryMetadataCommonModel.main_language` in the SDK).
    main_language: readLater(),
    // `external_number` is the caller on inbound calls, `agent_number` our number (its region reads a national caller id).
    phone_call: optionalObject({ external_number: readLater(), agent_number: readLater() }),
  }),
  conversation_initiation_client_data: optionalObject({
    dynamic_variables: optionalObject({ system__caller_id: readLater(), system__called_number: readLater(), system__call_duration_secs: readLater() }),
  }),
};

const timeInCallSecs = z.pipe(z.nullish(nonNegativeNumber), z.transform((seconds) => seconds ?? null));

/** One transcript entry of either shape; `text` is null for a tool call or result (and such turns are dropped). */
export interface WireTurn {
  readonly role: TurnRole;
  readonly text: string | null;
  readonly timeInCallSecs: number | null;
}

/** ElevenLabs only ever sends `user` and `agent`; a turn with a null `message` is a tool call or result. */
const elevenLabsTurn = z.pipe(
  z.object({ role: z.enum(["user", "agent"], { error: "must be one of user, agent" }), message: textField, time_in_call_secs: timeInCallSecs }, objectError),
  z.transform((turn): WireTurn => ({ role: turn.role, text: turn.message, timeInCallSecs: turn.time_in_call_secs })),
);

/** The seed shape is hand-written by integrators, so the usual chat synonyms are accepted too (lower case only). */
const SEED_ROLES = { user: "user", caller: "user", customer: "user", agent: "agent", assistant: "agent" } as const satisfies Record<string, TurnRole>;
const seedRoleNames = Object.keys(SEED_ROLES) as (keyof typeof SEED_ROLES)[];

const seedTurn = z.pipe(
  z.object(
    { role: z.enum(seedRoleNames, { error: `must be one of ${seedRoleNames.join(", ")}` }), content: textField, time_in_call_secs: timeInCallSecs },
    objectError,
  ),
  z.transform((turn): WireTurn => ({ role: SEED_ROLES[turn.role], text: turn.content, timeInCallSecs: turn.time_in_call_secs })),
);

/** One evaluation criterion's result; its id falls back to the key it was filed under. */
export const evaluationResultSchema = z.object({ criteria_id: textField, result: textField, rationale: textField }, objectError);

/** One data collection result; its id falls back to the key it was filed under. */
export const dataCollectionResultSchema = z.object({ data_collection_id: textField, value: collectedValue, rationale: textField }, objectError);

/** What was said and what the analysis found, in `post_call_transcription.data`. */
const contentShape = {
  transcript: optionalList(elevenLabsTurn),
  analysis: optionalObject({
    transcript_summary: textField,
    // Maps keyed by id, or when absent their `_list` variants (SDK 2.73).
    evaluation_criteria_results: readLater(),
    evaluation_criteria_results_list: readLater(),
    data_collection_results: readLater(),
    data_collection_results_list: readLater(),
  }),
};

/**
 * `post_call_transcription.data`: the GET-conversation model (SDK `GetConversationResponseModel`). The
 * translator reads it in two parts, the call and then its content, so that the first fault it reports
 * follows the order of the fallback rules.
 */
export const transcriptionDataSchema = z.object({ ...callShape, ...contentShape }, objectError);
export const transcriptionCallSchema = z.object(callShape, objectError);
export const transcriptionContentSchema = z.object(contentShape, objectError);

/** The seed's short post-call shape (read in the same two parts). */
const seedCallShape = { ...callShape, event_timestamp: readLater(), call_duration: readLater() };
const seedContentShape = {
  transcript: optionalList(seedTurn),
  analysis: optionalObject({ summary: textField, evaluation: z.nullish(evaluationResultSchema) }),
};
export const seedPayloadSchema = z.object({ ...seedCallShape, ...seedContentShape });
export const seedCallSchema = z.object(seedCallShape);
export const seedContentSchema = z.object(seedContentShape);

/** `post_call_audio.data`. Base64 is passed on as received: decoding (possibly megabytes) is the archive's job. */
export const audioDataSchema = z.object(
  {
    conversation_id: idField,
    agent_id: idField,
    full_audio: z.string({ error: "must be a non-empty base64 string" }).check(z.minLength(1, "must be a non-empty base64 string")),
  },
  objectError,
);

/** `call_initiation_failure.data`. */
export const initiationFailureDataSchema = z.object(
  {
    conversation_id: idField,
    agent_id: idField,
    failure_reason: textField,
    metadata: optionalObject({
      type: textField,
      // Twilio's StatusCallback form (`Direction`, `From`, `Caller`, `To`, `Called`, …) or SIP's `{ from_number, to_number, … }`.
      body: optionalObject({
        Direction: z.catch(z.optional(z.string()), undefined),
        From: readLater(),
        Caller: readLater(),
        To: readLater(),
        Called: readLater(),
        from_number: readLater(),
        to_number: readLater(),
      }),
    }),
  },
  objectError,
);

export type TranscriptionData = z.output<typeof transcriptionDataSchema>;
export type SeedPayload = z.output<typeof seedPayloadSchema>;
