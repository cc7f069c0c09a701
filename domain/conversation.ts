import type { CallerIdentity } from "./caller-id";

/**
 * One ElevenLabs post-call event (or the seed's short post-call shape), in the form every rule
 * downstream works with. Produced by `parseConversation` in `conversation-parser.ts`.
 */
export type ConversationEventType = "post_call_transcription" | "post_call_audio" | "call_initiation_failure";

export type TurnRole = "user" | "agent";

export interface Turn {
  readonly role: TurnRole;
  /** What was said. Tool-only turns (null message) are dropped by the parser. */
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
}
