import type { CallerIdentity } from "./caller-id";

/**
 * One ElevenLabs post-call event (or the seed's short post-call shape), in the form every rule
 * downstream works with, and the rules its values follow wherever they come from. The wire is
 * translated into it at the edge (`adapters/inbound/elevenlabs/`), read by the application through
 * the `ConversationReader` port.
 */
export type ConversationEventType = "post_call_transcription" | "post_call_audio" | "call_initiation_failure";

export const CONVERSATION_EVENT_TYPES: readonly ConversationEventType[] = ["post_call_transcription", "post_call_audio", "call_initiation_failure"];

export type TurnRole = "user" | "agent";

export interface Turn {
  readonly role: TurnRole;
  /** What was said. Tool-only turns (null message) are dropped when the wire is translated. */
  readonly text: string;
  readonly timeInCallSecs: number | null;
}

export interface EvaluationResult {
  readonly criteriaId: string;
  /** `success` | `failure` | `unknown` on ElevenLabs; `null` in the seed shape. */
  readonly result: string | null;
  readonly rationale: string;
}

export interface DataCollectionResult {
  readonly id: string;
  readonly value: string | number | boolean | null;
  readonly rationale: string | null;
}

export interface Conversation {
  readonly eventType: ConversationEventType;
  readonly conversationId: string;
  readonly agentId: string;
  /**
   * From `metadata.phone_call.external_number`, else `dynamic_variables.system__caller_id`; a national one
   * is read in the region of `agent_number`, else `system__called_number`, else the default region. Audio events carry none.
   */
  readonly caller: CallerIdentity;
  /** Unix seconds of the event (`event_timestamp`, else call start, else the fallback the caller supplied). */
  readonly eventTimestamp: number;
  readonly durationSecs: number | null;
  readonly turns: readonly Turn[];
  readonly summary: string | null;
  readonly evaluations: readonly EvaluationResult[];
  readonly dataCollection: readonly DataCollectionResult[];
  /** Base64 MP3 of the whole call (`post_call_audio` only). */
  readonly audioBase64: string | null;
  /** `busy` | `no-answer` | `unknown` (`call_initiation_failure` only). */
  readonly failureReason: string | null;
  /**
   * The language the caller spoke (ISO 639-1, e.g. `es`): the event's `metadata.main_language`, else
   * identified from the caller's own turns; absent or `null` when unknown (audio events, short calls).
   */
  readonly language?: string | null;
}

/** Conversation and agent ids end up in storage keys: 1–200 characters of `[A-Za-z0-9_.:-]`, never `..`. */
export const MAX_ID_LENGTH = 200;
const ID_CHARACTERS = /^[A-Za-z0-9_.:-]+$/;

/**
 * @example
 * isStorableId("conv_5201kfx7"); // true
 * isStorableId("conv/../../etc"); // false
 */
export function isStorableId(id: string): boolean {
  return id.length >= 1 && id.length <= MAX_ID_LENGTH && ID_CHARACTERS.test(id) && !id.includes("..");
}

/**
 * Event times are unix seconds up to 9999-12-31T23:59:59Z, so each has an ISO-8601 form (archive keys,
 * memory metadata); the bound also refuses milliseconds sent as seconds.
 */
export const EVENT_TIMESTAMP_RANGE = { min: 0, max: 253_402_300_799 } as const;

/** Control characters (Unicode Cc) other than `\n` and `\t`; `\r` goes too, so `\r\n` becomes `\n`. */
const CONTROL_CHARACTERS = /[^\P{Cc}\n\t]/gu;
/** With the `u` flag only unpaired surrogates are `Cs`: they would make the text invalid UTF-8 downstream. */
const LONE_SURROGATES = /\p{Cs}/gu;

/**
 * What was said, kept as said (any script, emoji) minus control characters other than `\n` and `\t`,
 * with lone surrogates replaced by U+FFFD, trimmed.
 *
 * @example
 * cleanText("  \u0007Hola\r\n\tMarisol "); // "Hola\n\tMarisol"
 */
export function cleanText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, "").replace(LONE_SURROGATES, "\uFFFD").trim();
}
