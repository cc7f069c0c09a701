/**
 * Conversation parsing: every post-call payload we accept, turned into one {@link Conversation}.
 *
 * Accepted shapes:
 * - ElevenLabs envelopes `{ type, event_timestamp, data }` with `type` `post_call_transcription`
 *   (`data` is the GET-conversation model), `post_call_audio` (`data` is `{ agent_id, conversation_id,
 *   full_audio }`) or `call_initiation_failure` (`data` is `{ agent_id, conversation_id, failure_reason,
 *   metadata: { type, body } }`).
 * - The seed's short post-call shape (no `type`), read as a `post_call_transcription`: turn text in
 *   `content`, roles also `assistant` (agent) and `caller`/`customer` (user), `analysis.summary`, one
 *   `analysis.evaluation.rationale`, `call_duration`. It has no timestamp of its own (an `event_timestamp` at its
 *   root is used if present), so callers pass `fallbackTimestamp`.
 *
 * Rules worth knowing:
 * - Untrusted input: the parser never throws; every problem is an `INVALID_PAYLOAD` (with `field` set to the
 *   JSON path to blame, e.g. `data.transcript[3].role`) or an `UNSUPPORTED_EVENT` (field `type`).
 * - Unknown fields are ignored (ElevenLabs adds fields over time).
 * - Where a value has fallbacks (timestamp, duration, caller id), the first one present is used and must be
 *   valid; later fallbacks are only read when needed, so a malformed spare never rejects a good event.
 * - A caller id in national form is read in the region of our own number in the event (`agent_number`,
 *   `system__called_number`; for initiation failures the other party), else `defaultRegion`; our number
 *   is only a hint, so a missing or malformed one never rejects the event.
 * - `conversation_id` and `agent_id` end up in storage keys, so they are limited to 1–200 characters of
 *   `[A-Za-z0-9_.:-]` and may not contain `..`.
 * - Text is kept as said (any script, emoji) minus control characters other than `\n` and `\t`, lone
 *   surrogates become U+FFFD, and it is trimmed. A turn whose text is null or empty (tool-only) is dropped.
 */
import { normaliseCallerId, regionOf, type CallerIdentity } from "./caller-id";
import type { Conversation, ConversationEventType, DataCollectionResult, EvaluationResult, Turn, TurnRole } from "./conversation";
import { DomainError } from "./domain-error";
import { err, ok, type Result } from "./result";

export interface ParseConversationOptions {
  /**
   * Unix seconds to use when the payload carries neither `event_timestamp` nor `metadata.start_time_unix_secs`
   * (the seed shape has neither): typically when the event was received, fixed once and stored with it.
   */
  readonly fallbackTimestamp?: number;
  /**
   * Where a caller id in national form is read when the event names no number of ours to take the
   * region from (ISO 3166-1 alpha-2, the operator's `DEFAULT_REGION`); absent: such a caller has no identity.
   */
  readonly defaultRegion?: string | null;
}

type JsonObject = { readonly [key: string]: unknown };

interface NumberRange {
  readonly min: number;
  readonly max: number;
}

/** A value that may stand in for another, with the path to name if it is malformed. */
interface Candidate {
  readonly value: unknown;
  readonly path: string;
}

const EVENT_TYPES: readonly ConversationEventType[] = ["post_call_transcription", "post_call_audio", "call_initiation_failure"];

const MAX_ID_LENGTH = 200;
const ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;

/** Up to 9999-12-31T23:59:59Z, so the timestamp always has an ISO-8601 form; also rejects milliseconds sent as seconds. */
const UNIX_SECONDS: NumberRange = { min: 0, max: 253_402_300_799 };
const NON_NEGATIVE: NumberRange = { min: 0, max: Number.MAX_VALUE };
const NUMERIC_STRING = /^-?\d+(?:\.\d+)?$/;

/** ElevenLabs only ever sends `user` and `agent`. */
const ELEVENLABS_ROLES: ReadonlyMap<string, TurnRole> = new Map([
  ["user", "user"],
  ["agent", "agent"],
]);
/** The seed shape is hand-written by integrators, so the usual chat synonyms are accepted too (lower case only). */
const SEED_ROLES: ReadonlyMap<string, TurnRole> = new Map([
  ["user", "user"],
  ["caller", "user"],
  ["customer", "user"],
  ["agent", "agent"],
  ["assistant", "agent"],
]);

/** Control characters (Unicode Cc) other than `\n` and `\t`; `\r` goes too, so `\r\n` becomes `\n`. */
const CONTROL_CHARACTERS = /[^\P{Cc}\n\t]/gu;
/** With the `u` flag only unpaired surrogates are `Cs`: they would make the text invalid UTF-8 downstream. */
const LONE_SURROGATES = /\p{Cs}/gu;

const PATH_IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const MAX_PATH_KEY_LENGTH = 64;

/**
 * Parse a post-call webhook payload (ElevenLabs envelope or the seed's short shape) into a {@link Conversation}.
 *
 * @example
 * const parsed = parseConversation(JSON.parse(rawBody), { fallbackTimestamp: receivedAtUnixSecs });
 * if (!parsed.ok) return badRequest(parsed.error.code, parsed.error.field);
 * parsed.value.caller; // { known: true, callerId: "+15550100123" }
 */
export function parseConversation(payload: unknown, options: ParseConversationOptions = {}): Result<Conversation> {
  try {
    return parsePayload(payload, options);
  } catch (cause) {
    // JSON input never gets here; exotic objects (throwing getters, proxies) still get an answer, not a crash.
    return err(new DomainError("INVALID_PAYLOAD", "payload could not be read", { cause }));
  }
}

function parsePayload(payload: unknown, options: ParseConversationOptions): Result<Conversation> {
  if (!isObject(payload)) return invalid(undefined, "payload must be a JSON object");

  const type = own(payload, "type");
  if (type === undefined) {
    if (own(payload, "conversation_id") === undefined && isObject(own(payload, "data"))) {
      return unsupported("type is missing from the event envelope");
    }
    return parseTranscription(payload, "", "seed", options);
  }
  if (!isEventType(type)) {
    const shown = typeof type === "string" ? JSON.stringify(type.slice(0, 64)) : typeof type;
    return unsupported(`type ${shown} is not one we ingest (${EVENT_TYPES.join(", ")})`);
  }

  const data = own(payload, "data");
  if (!isObject(data)) return invalid("data", "must be an object");
  switch (type) {
    case "post_call_transcription":
      return parseTranscription(data, "data", "elevenlabs", options, payload);
    case "post_call_audio":
      return parseAudio(payload, data, options);
    case "call_initiation_failure":
      return parseInitiationFailure(payload, data, options);
  }
}

function parseTranscription(
  root: JsonObject,
  base: string,
  shape: "elevenlabs" | "seed",
  options: ParseConversationOptions,
  envelope: JsonObject = root,
): Result<Conversation> {
  const ids = readIds(root, base);
  if (!ids.ok) return ids;

  const metadata = readObject(own(root, "metadata"), join(base, "metadata"));
  if (!metadata.ok) return metadata;
  const phoneCall = readObject(own(metadata.value, "phone_call"), join(base, "metadata.phone_call"));
  if (!phoneCall.ok) return phoneCall;
  const clientData = readObject(own(root, "conversation_initiation_client_data"), join(base, "conversation_initiation_client_data"));
  if (!clientData.ok) return clientData;
  const variablesPath = join(base, "conversation_initiation_client_data.dynamic_variables");
  const variables = readObject(own(clientData.value, "dynamic_variables"), variablesPath);
  if (!variables.ok) return variables;

  const timestamp = readTimestamp(
    [
      { value: own(envelope, "event_timestamp"), path: "event_timestamp" },
      { value: own(metadata.value, "start_time_unix_secs"), path: join(base, "metadata.start_time_unix_secs") },
    ],
    options,
  );
  if (!timestamp.ok) return timestamp;

  const durationCandidates: Candidate[] = [
    { value: own(metadata.value, "call_duration_secs"), path: join(base, "metadata.call_duration_secs") },
    { value: own(variables.value, "system__call_duration_secs"), path: `${variablesPath}.system__call_duration_secs` },
  ];
  if (shape === "seed") durationCandidates.unshift({ value: own(root, "call_duration"), path: join(base, "call_duration") });
  const duration = firstNumber(durationCandidates, NON_NEGATIVE);
  if (!duration.ok) return duration;

  const caller = resolveCaller(
    [
      { value: own(phoneCall.value, "external_number"), path: join(base, "metadata.phone_call.external_number") },
      { value: own(variables.value, "system__caller_id"), path: `${variablesPath}.system__caller_id` },
    ],
    callRegion([own(phoneCall.value, "agent_number"), own(variables.value, "system__called_number")], options),
  );
  if (!caller.ok) return caller;

  const turns =
    shape === "seed"
      ? readTurns(own(root, "transcript"), join(base, "transcript"), "content", SEED_ROLES)
      : readTurns(own(root, "transcript"), join(base, "transcript"), "message", ELEVENLABS_ROLES);
  if (!turns.ok) return turns;

  const analysisPath = join(base, "analysis");
  const analysis = readObject(own(root, "analysis"), analysisPath);
  if (!analysis.ok) return analysis;
  const findings = shape === "seed" ? readSeedAnalysis(analysis.value, analysisPath) : readElevenLabsAnalysis(analysis.value, analysisPath);
  if (!findings.ok) return findings;

  return ok({
    eventType: "post_call_transcription",
    ...ids.value,
    caller: caller.value,
    eventTimestamp: timestamp.value,
    durationSecs: duration.value,
    turns: turns.value,
    ...findings.value,
    audioBase64: null,
    failureReason: null,
  });
}

function parseAudio(envelope: JsonObject, data: JsonObject, options: ParseConversationOptions): Result<Conversation> {
  const ids = readIds(data, "data");
  if (!ids.ok) return ids;
  const timestamp = readTimestamp([{ value: own(envelope, "event_timestamp"), path: "event_timestamp" }], options);
  if (!timestamp.ok) return timestamp;
  // Base64 is passed on as received: decoding (possibly megabytes) is the archive's job, not the parser's.
  const audio = own(data, "full_audio");
  if (typeof audio !== "string" || audio.length === 0) return invalid("data.full_audio", "must be a non-empty base64 string");

  return ok({
    ...emptyConversation("post_call_audio", ids.value, timestamp.value),
    // The audio event names no caller: it is matched to the transcription of the same conversation.
    caller: { known: false, reason: "missing" },
    audioBase64: audio,
  });
}

/**
 * Only archived, never turned into memories. The caller is the *external* party: `call_initiation_failure` is
 * about calls ElevenLabs places (busy and no-answer are outbound outcomes), so it is the callee (`To`, then
 * `Called` for Twilio; `to_number` for SIP) unless a Twilio `Direction` says `inbound`, in which case it is
 * `From`, then `Caller`. Other `metadata.type`s carry no caller we know how to read.
 */
function parseInitiationFailure(envelope: JsonObject, data: JsonObject, options: ParseConversationOptions): Result<Conversation> {
  const ids = readIds(data, "data");
  if (!ids.ok) return ids;
  const timestamp = readTimestamp([{ value: own(envelope, "event_timestamp"), path: "event_timestamp" }], options);
  if (!timestamp.ok) return timestamp;
  const failureReason = readText(own(data, "failure_reason"), "data.failure_reason");
  if (!failureReason.ok) return failureReason;

  const metadata = readObject(own(data, "metadata"), "data.metadata");
  if (!metadata.ok) return metadata;
  const telephony = readText(own(metadata.value, "type"), "data.metadata.type");
  if (!telephony.ok) return telephony;
  const body = readObject(own(metadata.value, "body"), "data.metadata.body");
  if (!body.ok) return body;

  const candidate = (key: string): Candidate => ({ value: own(body.value, key), path: `data.metadata.body.${key}` });
  let callerCandidates: Candidate[] = [];
  // Our own number, whose region a national caller id is read in: the other end of the call.
  let ourNumbers: unknown[] = [];
  if (telephony.value === "twilio") {
    const direction = own(body.value, "Direction");
    const inbound = typeof direction === "string" && direction.trim().toLowerCase() === "inbound";
    callerCandidates = inbound ? [candidate("From"), candidate("Caller")] : [candidate("To"), candidate("Called")];
    ourNumbers = (inbound ? ["To", "Called"] : ["From", "Caller"]).map((key) => own(body.value, key));
  } else if (telephony.value === "sip") {
    callerCandidates = [candidate("to_number")];
    ourNumbers = [own(body.value, "from_number")];
  }
  const caller = resolveCaller(callerCandidates, callRegion(ourNumbers, options));
  if (!caller.ok) return caller;

  return ok({
    ...emptyConversation("call_initiation_failure", ids.value, timestamp.value),
    caller: caller.value,
    failureReason: failureReason.value === "" ? null : failureReason.value,
  });
}

function emptyConversation(
  eventType: ConversationEventType,
  ids: { readonly conversationId: string; readonly agentId: string },
  eventTimestamp: number,
): Conversation {
  return {
    eventType,
    ...ids,
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

// ---- ids, timestamps, caller -------------------------------------------------------------------------------

function readIds(root: JsonObject, base: string): Result<{ conversationId: string; agentId: string }> {
  const conversationId = readId(own(root, "conversation_id"), join(base, "conversation_id"));
  if (!conversationId.ok) return conversationId;
  const agentId = readId(own(root, "agent_id"), join(base, "agent_id"));
  if (!agentId.ok) return agentId;
  return ok({ conversationId: conversationId.value, agentId: agentId.value });
}

function readId(value: unknown, path: string): Result<string> {
  if (value === undefined || value === null) return invalid(path, "is required");
  if (typeof value !== "string" || value.length === 0) return invalid(path, "must be a non-empty string");
  if (value.length > MAX_ID_LENGTH) return invalid(path, `must be at most ${MAX_ID_LENGTH} characters`);
  if (!ID_PATTERN.test(value) || value.includes("..")) {
    return invalid(path, "may only contain letters, digits and _ . : - (and no '..')");
  }
  return ok(value);
}

function readTimestamp(candidates: readonly Candidate[], options: ParseConversationOptions): Result<number> {
  const found = firstNumber(candidates, UNIX_SECONDS);
  if (!found.ok) return found;
  if (found.value !== null) return ok(found.value);
  const fallback = options.fallbackTimestamp;
  if (fallback === undefined) return invalid("event_timestamp", "is required (no call start time or fallback either)");
  if (!Number.isFinite(fallback) || fallback < UNIX_SECONDS.min || fallback > UNIX_SECONDS.max) {
    return invalid("event_timestamp", "is missing and the fallback timestamp is not valid unix seconds");
  }
  return ok(fallback);
}

/** The first candidate that is present (not undefined or null) decides: it must be a number in range. */
function firstNumber(candidates: readonly Candidate[], range: NumberRange): Result<number | null> {
  for (const { value, path } of candidates) {
    if (value === undefined || value === null) continue;
    return readNumber(value, path, range);
  }
  return ok(null);
}

function readNumber(value: unknown, path: string, range: NumberRange): Result<number> {
  let number: number;
  if (typeof value === "number") number = value;
  else if (typeof value === "string" && NUMERIC_STRING.test(value.trim())) number = Number(value.trim());
  else return invalid(path, "must be a number");
  if (!Number.isFinite(number)) return invalid(path, "must be a finite number");
  if (number < range.min) return invalid(path, `must not be less than ${range.min}`);
  if (number > range.max) return invalid(path, `must not be more than ${range.max}`);
  return ok(number);
}

/**
 * The first candidate that carries some id decides (an explicit `anonymous` is not overridden by a fallback);
 * absent, null or empty ones fall through. A national number is read in `region`.
 */
function resolveCaller(candidates: readonly Candidate[], region: string | null): Result<CallerIdentity> {
  for (const { value, path } of candidates) {
    if (value !== undefined && value !== null && typeof value !== "string" && typeof value !== "number") {
      return invalid(path, "must be a string");
    }
    const identity = normaliseCallerId(value, { region });
    if (identity.known || identity.reason !== "missing") return ok(identity);
  }
  return ok({ known: false, reason: "missing" });
}

/**
 * The region of the first of our own numbers in the event that is an international number (the one
 * the caller dialled, on inbound calls), else the operator's default. Only a hint for reading the
 * caller's number: a missing or malformed one never rejects the event.
 */
function callRegion(ourNumbers: readonly unknown[], options: ParseConversationOptions): string | null {
  for (const value of ourNumbers) {
    const region = regionOf(value);
    if (region !== null) return region;
  }
  return options.defaultRegion ?? null;
}

// ---- transcript and analysis -------------------------------------------------------------------------------

function readTurns(value: unknown, path: string, textKey: "message" | "content", roles: ReadonlyMap<string, TurnRole>): Result<Turn[]> {
  // A missing transcript is an empty one: the webhook can be configured to exclude it.
  const items = readArray(value, path);
  if (!items.ok) return items;
  const turns: Turn[] = [];
  for (const [index, item] of items.value.entries()) {
    const itemPath = `${path}[${index}]`;
    if (!isObject(item)) return invalid(itemPath, "must be an object");
    const roleValue = own(item, "role");
    const role = typeof roleValue === "string" ? roles.get(roleValue) : undefined;
    if (role === undefined) return invalid(`${itemPath}.role`, `must be one of ${[...roles.keys()].join(", ")}`);
    const text = readText(own(item, textKey), `${itemPath}.${textKey}`);
    if (!text.ok) return text;
    const time = firstNumber([{ value: own(item, "time_in_call_secs"), path: `${itemPath}.time_in_call_secs` }], NON_NEGATIVE);
    if (!time.ok) return time;
    if (text.value === null || text.value === "") continue;
    turns.push({ role, text: text.value, timeInCallSecs: time.value });
  }
  return ok(turns);
}

type Findings = Pick<Conversation, "summary" | "evaluations" | "dataCollection">;

function readElevenLabsAnalysis(analysis: JsonObject | null, path: string): Result<Findings> {
  const summary = readSummary(own(analysis, "transcript_summary"), at(path, "transcript_summary"));
  if (!summary.ok) return summary;

  const evaluationEntries = readEntries(analysis, path, "evaluation_criteria_results");
  if (!evaluationEntries.ok) return evaluationEntries;
  const evaluations: EvaluationResult[] = [];
  for (const entry of evaluationEntries.value) {
    const evaluation = readEvaluation(entry);
    if (!evaluation.ok) return evaluation;
    evaluations.push(evaluation.value);
  }

  const collectedEntries = readEntries(analysis, path, "data_collection_results");
  if (!collectedEntries.ok) return collectedEntries;
  const dataCollection: DataCollectionResult[] = [];
  for (const entry of collectedEntries.value) {
    const collected = readDataCollection(entry);
    if (!collected.ok) return collected;
    dataCollection.push(collected.value);
  }

  return ok({ summary: summary.value, evaluations, dataCollection });
}

/** The seed has one summary and at most one evaluation `{ rationale }`, recorded as criterion `evaluation`. */
function readSeedAnalysis(analysis: JsonObject | null, path: string): Result<Findings> {
  const summary = readSummary(own(analysis, "summary"), at(path, "summary"));
  if (!summary.ok) return summary;
  const evaluationPath = at(path, "evaluation");
  const evaluation = readObject(own(analysis, "evaluation"), evaluationPath);
  if (!evaluation.ok) return evaluation;
  const evaluations: EvaluationResult[] = [];
  if (evaluation.value !== null) {
    const parsed = readEvaluation({ item: evaluation.value, path: evaluationPath, key: "evaluation" });
    if (!parsed.ok) return parsed;
    evaluations.push(parsed.value);
  }
  return ok({ summary: summary.value, evaluations, dataCollection: [] });
}

function readSummary(value: unknown, path: string): Result<string | null> {
  const summary = readText(value, path);
  if (!summary.ok) return summary;
  return ok(summary.value === "" ? null : summary.value);
}

/** One result of a `{ <id>: {…} }` map (or of its `_list` array variant), with the id it was filed under. */
interface Entry {
  readonly item: JsonObject;
  readonly path: string;
  readonly key: string | null;
}

/** Reads `name` as a map keyed by id, or, when that is absent, `${name}_list` as an array. */
function readEntries(analysis: JsonObject | null, path: string, name: string): Result<Entry[]> {
  const mapPath = at(path, name);
  const map = readObject(own(analysis, name), mapPath);
  if (!map.ok) return map;
  const entries: Entry[] = [];
  if (map.value !== null) {
    for (const [key, item] of Object.entries(map.value)) {
      const itemPath = at(mapPath, key);
      if (!isObject(item)) return invalid(itemPath, "must be an object");
      entries.push({ item, path: itemPath, key });
    }
    return ok(entries);
  }
  const listPath = at(path, `${name}_list`);
  const list = readArray(own(analysis, `${name}_list`), listPath);
  if (!list.ok) return list;
  for (const [index, item] of list.value.entries()) {
    const itemPath = `${listPath}[${index}]`;
    if (!isObject(item)) return invalid(itemPath, "must be an object");
    entries.push({ item, path: itemPath, key: null });
  }
  return ok(entries);
}

function readEvaluation({ item, path, key }: Entry): Result<EvaluationResult> {
  const criteriaId = readEntryId(own(item, "criteria_id"), at(path, "criteria_id"), key);
  if (!criteriaId.ok) return criteriaId;
  const result = readText(own(item, "result"), at(path, "result"));
  if (!result.ok) return result;
  const rationale = readText(own(item, "rationale"), at(path, "rationale"));
  if (!rationale.ok) return rationale;
  return ok({ criteriaId: criteriaId.value, result: result.value || null, rationale: rationale.value ?? "" });
}

function readDataCollection({ item, path, key }: Entry): Result<DataCollectionResult> {
  const id = readEntryId(own(item, "data_collection_id"), at(path, "data_collection_id"), key);
  if (!id.ok) return id;
  const value = readCollectedValue(own(item, "value"), at(path, "value"));
  if (!value.ok) return value;
  const rationale = readText(own(item, "rationale"), at(path, "rationale"));
  if (!rationale.ok) return rationale;
  return ok({ id: id.value, value: value.value, rationale: rationale.value || null });
}

/** The id inside the result wins; the map key it was filed under is the fallback. */
function readEntryId(value: unknown, path: string, key: string | null): Result<string> {
  const id = readText(value, path);
  if (!id.ok) return id;
  const chosen = id.value || (key === null ? "" : cleanText(key));
  return chosen === "" ? invalid(path, "is required") : ok(chosen);
}

/** Scalars stay as they are; objects and arrays (structured answers) become their JSON text. */
function readCollectedValue(value: unknown, path: string): Result<string | number | boolean | null> {
  if (value === undefined || value === null) return ok(null);
  if (typeof value === "string") return ok(cleanText(value));
  if (typeof value === "boolean") return ok(value);
  if (typeof value === "number") return Number.isFinite(value) ? ok(value) : invalid(path, "must be a finite number");
  if (typeof value === "object") {
    try {
      const json = JSON.stringify(value);
      if (typeof json === "string") return ok(json);
    } catch {
      // Not JSON-serialisable (cycles, BigInt): reported below.
    }
  }
  return invalid(path, "must be a string, number, boolean, object or array");
}

// ---- primitives ---------------------------------------------------------------------------------------------

function readText(value: unknown, path: string): Result<string | null> {
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== "string") return invalid(path, "must be a string");
  return ok(cleanText(value));
}

function cleanText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, "").replace(LONE_SURROGATES, "\uFFFD").trim();
}

function readObject(value: unknown, path: string): Result<JsonObject | null> {
  if (value === undefined || value === null) return ok(null);
  return isObject(value) ? ok(value) : invalid(path, "must be an object");
}

function readArray(value: unknown, path: string): Result<readonly unknown[]> {
  if (value === undefined || value === null) return ok([]);
  return Array.isArray(value) ? ok(value) : invalid(path, "must be an array");
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isEventType(value: unknown): value is ConversationEventType {
  return typeof value === "string" && (EVENT_TYPES as readonly string[]).includes(value);
}

/** Own properties only, so keys such as `__proto__` or `constructor` never reach `Object.prototype`. */
function own(object: JsonObject | null, key: string): unknown {
  return object !== null && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/** `base.relative` for the dotted paths this parser names itself. */
function join(base: string, relative: string): string {
  return base === "" ? relative : `${base}.${relative}`;
}

/** `base.key`, or `base["odd key"]` for keys chosen by the sender: the JSON path named in errors. */
function at(base: string, key: string): string {
  if (PATH_IDENTIFIER.test(key)) return join(base, key);
  const shown = key.length > MAX_PATH_KEY_LENGTH ? `${key.slice(0, MAX_PATH_KEY_LENGTH)}…` : key;
  return `${base}[${JSON.stringify(shown)}]`;
}

function invalid(field: string | undefined, message: string): Result<never> {
  const text = field === undefined ? message : `${field} ${message}`;
  return err(new DomainError("INVALID_PAYLOAD", text, field === undefined ? {} : { field }));
}

function unsupported(message: string): Result<never> {
  return err(new DomainError("UNSUPPORTED_EVENT", message, { field: "type" }));
}
