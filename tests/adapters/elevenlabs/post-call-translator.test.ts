import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { translatePostCall } from "../../../adapters/inbound/elevenlabs/post-call-translator";
import { DomainError } from "../../../domain/domain-error";
import type { Conversation } from "../../../domain/conversation";
import type { Result } from "../../../domain/result";

type Json = Record<string, unknown>;

const loadFixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8")) as Json;

const TRANSCRIPTION = "post-call-transcription.json";
const AUDIO = "post-call-audio.json";
const FAILURE_TWILIO = "call-initiation-failure.json";
const FAILURE_SIP = "call-initiation-failure.sip.json";
const SEED = "post-call-seed-format.json";
const ALL_FIXTURES = [TRANSCRIPTION, AUDIO, FAILURE_TWILIO, FAILURE_SIP, SEED];

/** Marks a field to delete in {@link fixtureWith}. */
const DELETE = Symbol("delete");
/** A dotted path into the fixture (`data.transcript.3.role`) and its new value, or {@link DELETE}. */
type Edit = readonly [path: string, value: unknown];

function setAt(root: Json, path: readonly (string | number)[], value: unknown): void {
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Json)[key], root) as Json;
  const key = String(path[path.length - 1]);
  if (value === DELETE) delete parent[key];
  else parent[key] = value;
}

/** A fresh copy of a fixture with some fields replaced or deleted. */
function fixtureWith(name: string, ...edits: Edit[]): Json {
  const payload = loadFixture(name);
  for (const [path, value] of edits) setAt(payload, path.split("."), value);
  return payload;
}

function expectOk(result: Result<Conversation>): Conversation {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code} at ${result.error.field}: ${result.error.message}`);
  return result.value;
}

function expectError(result: Result<Conversation>): DomainError {
  if (result.ok) throw new Error("expected an error, got ok");
  return result.error;
}

const CALLER = "+15550100123";
/** The seed shape has no timestamp of its own; this gives it one so other fields can be checked. */
const SEED_STAMP: Edit = ["event_timestamp", 1767268900];

describe("translatePostCall: fixtures", () => {
  it("reads the ElevenLabs post_call_transcription envelope", () => {
    const payload = loadFixture(TRANSCRIPTION);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation).toMatchObject({
      eventType: "post_call_transcription",
      conversationId: "conv_5201kfx7demo0conv0fixt00001a",
      agentId: "agent_4801kfx7demo0agent0fixt0001a",
      caller: { known: true, callerId: CALLER },
      eventTimestamp: 1767268871,
      durationSecs: 61,
      audioBase64: null,
      failureReason: null,
    });
    expect(conversation.summary).toMatch(/^Returning caller Marisol Quenby asked .* within the hour\.$/);
  });

  it("keeps the 12 spoken turns of the 13 transcript entries, dropping the tool-result-only one", () => {
    const payload = loadFixture(TRANSCRIPTION);
    const entries = (payload.data as { transcript: { role: string; message: string | null; time_in_call_secs: number }[] }).transcript;
    const spoken = entries.filter((entry) => entry.message !== null);

    const conversation = expectOk(translatePostCall(payload));

    expect(entries).toHaveLength(13);
    expect(conversation.turns).toHaveLength(12);
    expect(conversation.turns).toEqual(spoken.map((entry) => ({ role: entry.role, text: entry.message, timeInCallSecs: entry.time_in_call_secs })));
    expect(conversation.turns[1]).toEqual({ role: "user", text: "Hi! Yes, it's Marisol Quenby. I called last week about the dinner booking.", timeInCallSecs: 3 });
    expect(conversation.turns[3]?.text).toBe("I see we set up a table for four last week. What would you like to change?");
  });

  it("reads the evaluation criteria and data collection results of the transcription", () => {
    const payload = loadFixture(TRANSCRIPTION);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.evaluations.map(({ criteriaId, result }) => [criteriaId, result])).toEqual([
      ["caller_identified", "success"],
      ["request_confirmed_back", "success"],
    ]);
    expect(conversation.evaluations[1]?.rationale).toMatch(/^Before closing, the agent repeated the complete request/);
    expect(conversation.dataCollection.map(({ id, value }) => [id, value])).toEqual([
      ["caller_name", "Marisol Quenby"],
      ["dietary_preference", "vegetarian"],
      ["contact_preference", "text"],
      ["party_size", 5],
    ]);
    expect(conversation.dataCollection[0]?.rationale).toBe('The caller said "it\'s Marisol Quenby" at 3 seconds into the call.');
  });

  it("reads the post_call_audio envelope, which names no caller", () => {
    const payload = loadFixture(AUDIO);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation).toEqual({
      eventType: "post_call_audio",
      conversationId: "conv_5201kfx7demo0conv0fixt00001a",
      agentId: "agent_4801kfx7demo0agent0fixt0001a",
      caller: { known: false, reason: "missing" },
      eventTimestamp: 1767268873,
      durationSecs: null,
      turns: [],
      summary: null,
      evaluations: [],
      dataCollection: [],
      audioBase64: "SUQzBAAAAAAAAP/7kGQAAAAA",
      failureReason: null,
    });
  });

  it.each([
    [FAILURE_TWILIO, "no-answer"],
    [FAILURE_SIP, "busy"],
  ])("reads %s with the called (external) party as the caller", (name, failureReason) => {
    const payload = loadFixture(name);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation).toMatchObject({
      eventType: "call_initiation_failure",
      conversationId: "conv_5202kfx7demo0conv0fixt00002b",
      agentId: "agent_4801kfx7demo0agent0fixt0001a",
      caller: { known: true, callerId: CALLER },
      eventTimestamp: 1767281071,
      failureReason,
      turns: [],
      audioBase64: null,
    });
  });

  it("takes the Twilio From number when the failed call was inbound", () => {
    const payload = fixtureWith(
      FAILURE_TWILIO,
      ["data.metadata.body.Direction", "inbound"],
      ["data.metadata.body.From", "+15550100177"],
      ["data.metadata.body.To", "+15550100199"],
    );

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.caller).toEqual({ known: true, callerId: "+15550100177" });
  });

  it("reads the seed's short shape as the same call as the ElevenLabs transcription", () => {
    const seed = loadFixture(SEED);
    const elevenLabs = expectOk(translatePostCall(loadFixture(TRANSCRIPTION)));

    const conversation = expectOk(translatePostCall(seed, { fallbackTimestamp: 1767268900 }));

    expect(conversation).toMatchObject({
      eventType: "post_call_transcription",
      conversationId: elevenLabs.conversationId,
      agentId: elevenLabs.agentId,
      caller: { known: true, callerId: CALLER },
      eventTimestamp: 1767268900,
      durationSecs: 61,
      summary: elevenLabs.summary,
      dataCollection: [],
      audioBase64: null,
      failureReason: null,
    });
    expect(conversation.turns.map(({ role, text }) => [role, text])).toEqual(elevenLabs.turns.map(({ role, text }) => [role, text]));
    expect(conversation.evaluations).toEqual([{ criteriaId: "evaluation", result: null, rationale: elevenLabs.evaluations[1]?.rationale }]);
  });
});

describe("translatePostCall: rejected payloads", () => {
  it.each<[string, unknown, string, string | undefined]>([
    ["null", null, "INVALID_PAYLOAD", undefined],
    ["an array", [loadFixture(TRANSCRIPTION)], "INVALID_PAYLOAD", undefined],
    ["a number", 42, "INVALID_PAYLOAD", undefined],
    ["a JSON string", JSON.stringify(loadFixture(TRANSCRIPTION)), "INVALID_PAYLOAD", undefined],
    ["an unknown event type", fixtureWith(TRANSCRIPTION, ["type", "post_call_summary"]), "UNSUPPORTED_EVENT", "type"],
    ["a numeric event type", fixtureWith(TRANSCRIPTION, ["type", 1]), "UNSUPPORTED_EVENT", "type"],
    ["an envelope without type", fixtureWith(TRANSCRIPTION, ["type", DELETE]), "UNSUPPORTED_EVENT", "type"],
    ["data as an array", fixtureWith(TRANSCRIPTION, ["data", []]), "INVALID_PAYLOAD", "data"],
    ["no data", fixtureWith(AUDIO, ["data", DELETE]), "INVALID_PAYLOAD", "data"],
    ["no conversation_id", fixtureWith(TRANSCRIPTION, ["data.conversation_id", DELETE]), "INVALID_PAYLOAD", "data.conversation_id"],
    ["a numeric conversation_id", fixtureWith(TRANSCRIPTION, ["data.conversation_id", 7]), "INVALID_PAYLOAD", "data.conversation_id"],
    ["a conversation_id with a slash", fixtureWith(TRANSCRIPTION, ["data.conversation_id", "conv/../../etc"]), "INVALID_PAYLOAD", "data.conversation_id"],
    ["a conversation_id of '..'", fixtureWith(AUDIO, ["data.conversation_id", ".."]), "INVALID_PAYLOAD", "data.conversation_id"],
    ["a 201-character conversation_id", fixtureWith(TRANSCRIPTION, ["data.conversation_id", "c".repeat(201)]), "INVALID_PAYLOAD", "data.conversation_id"],
    ["an empty agent_id", fixtureWith(TRANSCRIPTION, ["data.agent_id", ""]), "INVALID_PAYLOAD", "data.agent_id"],
    ["an agent_id with a control character", fixtureWith(FAILURE_SIP, ["data.agent_id", "agent_1\u0000"]), "INVALID_PAYLOAD", "data.agent_id"],
    ["a word as event_timestamp", fixtureWith(TRANSCRIPTION, ["event_timestamp", "soon"]), "INVALID_PAYLOAD", "event_timestamp"],
    ["a negative event_timestamp", fixtureWith(AUDIO, ["event_timestamp", -1]), "INVALID_PAYLOAD", "event_timestamp"],
    ["event_timestamp in milliseconds", fixtureWith(AUDIO, ["event_timestamp", 1767268873000]), "INVALID_PAYLOAD", "event_timestamp"],
    ["no timestamp at all", fixtureWith(AUDIO, ["event_timestamp", DELETE]), "INVALID_PAYLOAD", "event_timestamp"],
    ["the seed shape without a fallback timestamp", loadFixture(SEED), "INVALID_PAYLOAD", "event_timestamp"],
    ["a bad call start time", fixtureWith(TRANSCRIPTION, ["event_timestamp", DELETE], ["data.metadata.start_time_unix_secs", true]), "INVALID_PAYLOAD", "data.metadata.start_time_unix_secs"],
    ["a negative duration", fixtureWith(TRANSCRIPTION, ["data.metadata.call_duration_secs", -1]), "INVALID_PAYLOAD", "data.metadata.call_duration_secs"],
    ["a non-numeric duration", fixtureWith(TRANSCRIPTION, ["data.metadata.call_duration_secs", "a minute"]), "INVALID_PAYLOAD", "data.metadata.call_duration_secs"],
    ["a non-numeric system__call_duration_secs", fixtureWith(TRANSCRIPTION, ["data.metadata.call_duration_secs", DELETE], ["data.conversation_initiation_client_data.dynamic_variables.system__call_duration_secs", "61s"]), "INVALID_PAYLOAD", "data.conversation_initiation_client_data.dynamic_variables.system__call_duration_secs"],
    ["metadata as a string", fixtureWith(TRANSCRIPTION, ["data.metadata", "inbound"]), "INVALID_PAYLOAD", "data.metadata"],
    ["an object as external_number", fixtureWith(TRANSCRIPTION, ["data.metadata.phone_call.external_number", { number: CALLER }]), "INVALID_PAYLOAD", "data.metadata.phone_call.external_number"],
    ["transcript as an object", fixtureWith(TRANSCRIPTION, ["data.transcript", {}]), "INVALID_PAYLOAD", "data.transcript"],
    ["a transcript entry that is a string", fixtureWith(TRANSCRIPTION, ["data.transcript.2", "hello"]), "INVALID_PAYLOAD", "data.transcript[2]"],
    ["an unknown role", fixtureWith(TRANSCRIPTION, ["data.transcript.3.role", "system"]), "INVALID_PAYLOAD", "data.transcript[3].role"],
    ["the seed's 'assistant' role on an ElevenLabs event", fixtureWith(TRANSCRIPTION, ["data.transcript.0.role", "assistant"]), "INVALID_PAYLOAD", "data.transcript[0].role"],
    ["a numeric message", fixtureWith(TRANSCRIPTION, ["data.transcript.0.message", 42]), "INVALID_PAYLOAD", "data.transcript[0].message"],
    ["a negative time_in_call_secs", fixtureWith(TRANSCRIPTION, ["data.transcript.1.time_in_call_secs", -3]), "INVALID_PAYLOAD", "data.transcript[1].time_in_call_secs"],
    ["a numeric summary", fixtureWith(TRANSCRIPTION, ["data.analysis.transcript_summary", 5]), "INVALID_PAYLOAD", "data.analysis.transcript_summary"],
    ["an evaluation that is a string", fixtureWith(TRANSCRIPTION, ["data.analysis.evaluation_criteria_results.caller_identified", "yes"]), "INVALID_PAYLOAD", "data.analysis.evaluation_criteria_results.caller_identified"],
    ["a numeric rationale", fixtureWith(TRANSCRIPTION, ["data.analysis.evaluation_criteria_results.caller_identified.rationale", 1]), "INVALID_PAYLOAD", "data.analysis.evaluation_criteria_results.caller_identified.rationale"],
    ["a data collection result under an odd key", fixtureWith(TRANSCRIPTION, ["data.analysis.data_collection_results.party size", 5]), "INVALID_PAYLOAD", 'data.analysis.data_collection_results["party size"]'],
    ["audio without full_audio", fixtureWith(AUDIO, ["data.full_audio", DELETE]), "INVALID_PAYLOAD", "data.full_audio"],
    ["a numeric failure_reason", fixtureWith(FAILURE_TWILIO, ["data.failure_reason", 3]), "INVALID_PAYLOAD", "data.failure_reason"],
    ["a failure body that is a string", fixtureWith(FAILURE_SIP, ["data.metadata.body", "busy"]), "INVALID_PAYLOAD", "data.metadata.body"],
    ["an unknown seed role", fixtureWith(SEED, SEED_STAMP, ["transcript.1.role", "robot"]), "INVALID_PAYLOAD", "transcript[1].role"],
    ["a numeric seed content", fixtureWith(SEED, SEED_STAMP, ["transcript.0.content", 12]), "INVALID_PAYLOAD", "transcript[0].content"],
    ["a negative seed call_duration", fixtureWith(SEED, SEED_STAMP, ["call_duration", "-5"]), "INVALID_PAYLOAD", "call_duration"],
    ["a seed evaluation that is a list", fixtureWith(SEED, SEED_STAMP, ["analysis.evaluation", []]), "INVALID_PAYLOAD", "analysis.evaluation"],
  ])("rejects %s", (_label, payload, code, field) => {
    const result = translatePostCall(payload);

    const error = expectError(result);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    if (field !== undefined) expect(error.message).toContain(field);
  });
});

describe("translatePostCall: caller id", () => {
  it.each<[string, Edit]>([
    ["no external_number", ["data.metadata.phone_call.external_number", DELETE]],
    ["a null external_number", ["data.metadata.phone_call.external_number", null]],
    ["an empty external_number", ["data.metadata.phone_call.external_number", ""]],
    ["no phone_call at all", ["data.metadata.phone_call", DELETE]],
  ])("falls back to system__caller_id when there is %s", (_label, edit) => {
    const payload = fixtureWith(TRANSCRIPTION, edit, ["data.conversation_initiation_client_data.dynamic_variables.system__caller_id", "+1 555 010 0188"]);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.caller).toEqual({ known: true, callerId: "+15550100188" });
  });

  it.each([
    ["anonymous", "withheld"],
    ["Restricted", "withheld"],
    ["client:alice", "not_a_phone_number"],
  ])("treats external_number %j as no identity (%s), even when system__caller_id has a number", (externalNumber, reason) => {
    const payload = fixtureWith(TRANSCRIPTION, ["data.metadata.phone_call.external_number", externalNumber]);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.caller).toEqual({ known: false, reason });
  });

  it("has no caller when neither number is present", () => {
    const payload = fixtureWith(TRANSCRIPTION, ["data.metadata.phone_call", DELETE], ["data.conversation_initiation_client_data", DELETE]);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.caller).toEqual({ known: false, reason: "missing" });
  });
});

describe("translatePostCall: a caller id in national form", () => {
  const VARIABLES = "data.conversation_initiation_client_data.dynamic_variables";

  it.each<[string, Edit[], string | undefined, string]>([
    ["in the region of agent_number", [], undefined, "+15550100123"],
    ["in the region of agent_number rather than the default region", [], "GB", "+15550100123"],
    ["in the region of system__called_number when agent_number is absent", [["data.metadata.phone_call.agent_number", DELETE]], undefined, "+15550100123"],
    [
      "in the region of system__called_number when agent_number is no number",
      [["data.metadata.phone_call.agent_number", "sip:agent@pbx.example"]],
      undefined,
      "+15550100123",
    ],
    ["in the default region when the event names no number of ours", [["data.metadata.phone_call.agent_number", DELETE], [`${VARIABLES}.system__called_number`, DELETE]], "US", "+15550100123"],
  ])("reads external_number 5550100123 %s", (_label, edits, defaultRegion, expected) => {
    const payload = fixtureWith(TRANSCRIPTION, ["data.metadata.phone_call.external_number", "5550100123"], ...edits);

    const conversation = expectOk(translatePostCall(payload, { defaultRegion }));

    expect(conversation.caller).toEqual({ known: true, callerId: expected });
  });

  it("reads a British caller to a British number in the British plan", () => {
    const payload = fixtureWith(
      TRANSCRIPTION,
      ["data.metadata.phone_call.external_number", "07700 900123"],
      ["data.metadata.phone_call.agent_number", "+44 20 7946 0958"],
    );

    const conversation = expectOk(translatePostCall(payload, { defaultRegion: "US" }));

    expect(conversation.caller).toEqual({ known: true, callerId: "+447700900123" });
  });

  it("gives a national caller id no identity when there is no region to read it in", () => {
    const payload = fixtureWith(
      TRANSCRIPTION,
      ["data.metadata.phone_call.external_number", "13812345678"],
      ["data.metadata.phone_call.agent_number", DELETE],
      [`${VARIABLES}.system__called_number`, DELETE],
    );

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.caller).toEqual({ known: false, reason: "national_number" });
  });

  it.each<[string, Edit[]]>([
    ["a SIP failure, in the region of from_number", [["data.metadata.body.to_number", "5550100123"]]],
    ["an outbound Twilio failure, in the region of From", [["data.metadata.body.To", "5550100123"]]],
    [
      "an inbound Twilio failure, in the region of To",
      [
        ["data.metadata.body.Direction", "inbound"],
        ["data.metadata.body.From", "5550100123"],
        ["data.metadata.body.To", "+15550100199"],
      ],
    ],
  ])("reads the external party of %s", (label, edits) => {
    const payload = fixtureWith(label.includes("SIP") ? FAILURE_SIP : FAILURE_TWILIO, ...edits);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.caller).toEqual({ known: true, callerId: CALLER });
  });
});

describe("translatePostCall: timestamps and durations", () => {
  it.each([
    ["a numeric string", "1767268871", 1767268871],
    ["a padded numeric string", " 1767268871 ", 1767268871],
    ["a fractional number", 1767268871.5, 1767268871.5],
  ])("accepts event_timestamp as %s", (_label, eventTimestamp, expected) => {
    const payload = fixtureWith(TRANSCRIPTION, ["event_timestamp", eventTimestamp]);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.eventTimestamp).toBe(expected);
  });

  it("uses the call start time when event_timestamp is missing, before any fallback", () => {
    const payload = fixtureWith(TRANSCRIPTION, ["event_timestamp", DELETE]);

    const conversation = expectOk(translatePostCall(payload, { fallbackTimestamp: 1700000000 }));

    expect(conversation.eventTimestamp).toBe(1767268800);
  });

  it.each([
    ["the seed shape", SEED],
    ["an audio event without event_timestamp", AUDIO],
  ])("uses fallbackTimestamp for %s", (_label, name) => {
    const payload = fixtureWith(name, ["event_timestamp", DELETE]);

    const conversation = expectOk(translatePostCall(payload, { fallbackTimestamp: 1767268999 }));

    expect(conversation.eventTimestamp).toBe(1767268999);
  });

  it("prefers the payload's own timestamp over the fallback", () => {
    const payload = loadFixture(TRANSCRIPTION);

    const conversation = expectOk(translatePostCall(payload, { fallbackTimestamp: 1 }));

    expect(conversation.eventTimestamp).toBe(1767268871);
  });

  it.each<[string, Edit[], number | null]>([
    ["metadata.call_duration_secs", [], 61],
    ["system__call_duration_secs", [["data.metadata.call_duration_secs", DELETE]], 61],
    ["a numeric string", [["data.metadata.call_duration_secs", "42"]], 42],
    ["nothing", [["data.metadata.call_duration_secs", DELETE], ["data.conversation_initiation_client_data", DELETE]], null],
  ])("reads the duration from %s", (_label, edits, expected) => {
    const payload = fixtureWith(TRANSCRIPTION, ...edits);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.durationSecs).toBe(expected);
  });
});

describe("translatePostCall: text and values", () => {
  it("strips control characters, keeps line breaks, tabs and any script, and trims", () => {
    const payload = fixtureWith(
      TRANSCRIPTION,
      ["data.transcript.0.message", "  \u0007Hola\r\n\tMarisol\u0000 ☕ 你好 \u009b "],
      ["data.analysis.transcript_summary", "\u001bSummary\u007f.\n"],
    );

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.turns[0]?.text).toBe("Hola\n\tMarisol ☕ 你好");
    expect(conversation.summary).toBe("Summary.");
  });

  it("replaces unpaired surrogates so the text stays valid unicode", () => {
    const payload = fixtureWith(TRANSCRIPTION, ["data.transcript.0.message", "half \ud83d emoji 😀"]);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.turns[0]?.text).toBe("half \ufffd emoji 😀");
  });

  it("drops turns with nothing said and reads an empty summary as none", () => {
    const payload = fixtureWith(
      TRANSCRIPTION,
      ["data.transcript.0.message", "  \u0000 "],
      ["data.transcript.1.message", ""],
      ["data.analysis.transcript_summary", " \n "],
    );

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.turns).toHaveLength(10);
    expect(conversation.summary).toBeNull();
  });

  it.each([
    ["a string", "  text me ", "text me"],
    ["a number", 5, 5],
    ["a boolean", false, false],
    ["null", null, null],
    ["an object", { day: "Saturday", time: "19:30" }, '{"day":"Saturday","time":"19:30"}'],
    ["an array", ["vegetarian", "no nuts"], '["vegetarian","no nuts"]'],
  ])("keeps a data collection value given as %s", (_label, value, expected) => {
    const payload = fixtureWith(TRANSCRIPTION, ["data.analysis.data_collection_results.party_size.value", value]);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.dataCollection.find((item) => item.id === "party_size")?.value).toEqual(expected);
  });

  it("reads the _list variants of evaluations and data collection", () => {
    const analysis = (loadFixture(TRANSCRIPTION).data as { analysis: Record<string, Json> }).analysis;
    const payload = fixtureWith(
      TRANSCRIPTION,
      ["data.analysis.evaluation_criteria_results_list", Object.values(analysis.evaluation_criteria_results ?? {})],
      ["data.analysis.data_collection_results_list", Object.values(analysis.data_collection_results ?? {})],
      ["data.analysis.evaluation_criteria_results", DELETE],
      ["data.analysis.data_collection_results", DELETE],
    );
    const expected = expectOk(translatePostCall(loadFixture(TRANSCRIPTION)));

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.evaluations).toEqual(expected.evaluations);
    expect(conversation.dataCollection).toEqual(expected.dataCollection);
  });

  it.each([
    ["assistant", "agent"],
    ["agent", "agent"],
    ["caller", "user"],
    ["customer", "user"],
    ["user", "user"],
  ])("maps the seed role %j to %s", (role, expected) => {
    const payload = fixtureWith(SEED, ["transcript.0.role", role]);

    const conversation = expectOk(translatePostCall(payload, { fallbackTimestamp: 1767268900 }));

    expect(conversation.turns[0]?.role).toBe(expected);
  });

  it("ignores fields it does not know", () => {
    const payload = fixtureWith(
      TRANSCRIPTION,
      ["schema_version", 3],
      ["data.brand_new_field", { nested: [1, 2, 3] }],
      ["data.transcript.0.sentiment", "warm"],
    );

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.turns).toHaveLength(12);
  });

  it("is not fooled by __proto__ keys and pollutes nothing", () => {
    const raw = readFileSync(new URL(`../../fixtures/${TRANSCRIPTION}`, import.meta.url), "utf8")
      .replace('"type": "post_call_transcription",', '"__proto__": {"polluted": true}, "type": "post_call_transcription",')
      .replace('"data_collection_results": {', '"data_collection_results": {"__proto__": {"data_collection_id": "__proto__", "value": "x", "polluted": true},');
    const payload: unknown = JSON.parse(raw);

    const conversation = expectOk(translatePostCall(payload));

    expect(conversation.dataCollection.map((item) => item.id)).toEqual(["__proto__", "caller_name", "dietary_preference", "contact_preference", "party_size"]);
    expect(({} as Json).polluted).toBeUndefined();
  });

  it("answers with an error instead of throwing when reading the payload throws", () => {
    const payload = {
      get type(): string {
        throw new Error("boom");
      },
    };

    const error = expectError(translatePostCall(payload));

    expect(error.code).toBe("INVALID_PAYLOAD");
  });
});

describe("translatePostCall: never throws (properties)", () => {
  const ID = /^[A-Za-z0-9_.:-]{1,200}$/;

  function assertWellFormed(result: Result<Conversation>): void {
    if (result.ok) {
      expect(result.value.conversationId).toMatch(ID);
      expect(result.value.conversationId).not.toContain("..");
      expect(result.value.agentId).toMatch(ID);
      expect(Number.isFinite(result.value.eventTimestamp)).toBe(true);
    } else {
      expect(result.error).toBeInstanceOf(DomainError);
      expect(["INVALID_PAYLOAD", "UNSUPPORTED_EVENT"]).toContain(result.error.code);
    }
  }

  it("for any value", () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withNullPrototype: true,
      withObjectString: true,
      withSet: true,
      withSparseArray: true,
      withTypedArray: true,
    });
    fc.assert(
      fc.property(anything, fc.option(fc.double(), { nil: undefined }), (payload, fallbackTimestamp) => {
        assertWellFormed(translatePostCall(payload, { fallbackTimestamp }));
      }),
      { numRuns: 500 },
    );
  });

  it("for any JSON text", () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        assertWellFormed(translatePostCall(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });

  /** Every path to a value inside a JSON tree, e.g. ["data", "transcript", 3, "role"]. */
  function pathsOf(value: unknown, prefix: readonly (string | number)[] = []): (string | number)[][] {
    if (typeof value !== "object" || value === null) return [];
    const keys: (string | number)[] = Array.isArray(value) ? value.map((_item, index) => index) : Object.keys(value);
    return keys.flatMap((key) => {
      const path = [...prefix, key];
      return [path, ...pathsOf((value as Record<string | number, unknown>)[key], path)];
    });
  }

  const mutations = ALL_FIXTURES.flatMap((name) => pathsOf(loadFixture(name)).map((path) => ({ name, path })));

  it.each([
    ["deleted", fc.constant({ delete: true as const })],
    ["replaced with anything", fc.anything().map((value) => ({ delete: false as const, value }))],
  ])("for fixtures with a random field %s", (_label, change) => {
    fc.assert(
      fc.property(fc.constantFrom(...mutations), change, ({ name, path }, mutation) => {
        const payload = loadFixture(name);
        setAt(payload, path, mutation.delete ? DELETE : mutation.value);

        assertWellFormed(translatePostCall(payload, { fallbackTimestamp: 1767268900 }));
      }),
      { numRuns: 1000 },
    );
  });
});
