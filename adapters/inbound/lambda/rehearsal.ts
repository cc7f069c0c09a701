import { normaliseCallerId } from "../../../domain/caller-id";
import { extractCallerName } from "../../../domain/caller-name";
import type { Conversation } from "../../../domain/conversation";
import { classifyConversation } from "../../../domain/memory-classification";
import type { MemoryDraft } from "../../../domain/memory";
import { translatePostCall } from "../elevenlabs/post-call-translator";
import { REHEARSAL_CALLER } from "../../rehearsal-caller";

/**
 * A fictional caller id (the +1 555-01xx range kept for examples) read once while a function
 * initialises: libphonenumber runs for the first time there, parsing the +1 numbering plans and
 * compiling their patterns on Init's full vCPU, rather than in the first event at the function's
 * share of one (~6 ms of a full core in client-data's first event, about seven times that at 256 MB).
 */
function rehearseCallerIds(): void {
  normaliseCallerId(REHEARSAL_CALLER);
}

/**
 * {@link rehearseCallerIds}, then a sample body through a route's request schema: zod compiles a
 * schema's parser on its first use. Two steps (a generator, see primeOnLambda).
 */
export function rehearseRequest(schema: { safeParse(data: unknown): unknown }, sample: Readonly<Record<string, unknown>>): () => Generator<void> {
  return function* () {
    rehearseCallerIds();
    yield;
    schema.safeParse(sample);
  };
}

/**
 * A short synthetic call (fictional numbers and words, no one's data) in ElevenLabs' post-call
 * transcription shape, with its language named so that no language identification loads.
 */
const REHEARSAL_TRANSCRIPTION = {
  type: "post_call_transcription",
  event_timestamp: 1_767_268_871,
  data: {
    agent_id: "agent_rehearsal",
    conversation_id: "conv_rehearsal",
    metadata: {
      start_time_unix_secs: 1_767_268_800,
      call_duration_secs: 71,
      main_language: "en",
      phone_call: { external_number: REHEARSAL_CALLER, agent_number: "+1 555-010-0100" },
    },
    transcript: [
      { role: "agent", message: "Hello, thanks for calling. How can I help?", time_in_call_secs: 0 },
      { role: "user", message: "Hi, this is Sam. I am vegetarian and I would like a table for two on Friday evening.", time_in_call_secs: 4 },
      { role: "agent", message: "Of course, Sam. Friday at seven for two, noted.", time_in_call_secs: 11 },
    ],
    analysis: { transcript_summary: "Sam, a vegetarian, booked a table for two on Friday evening." },
  },
} as const;

/**
 * What the worker and the sweep do with a transcription before any request, on {@link REHEARSAL_TRANSCRIPTION}:
 * the caller id, the translation (zod's post-call schemas), the caller-name rules turn by turn (their
 * cues, ~70 Unicode patterns, compile on first use: the costliest step) and the classification into
 * memory drafts, each a step of its own (a generator, see primeOnLambda), none much over 10 ms of a full
 * core. Returns what it read, for its test; the functions discard it.
 */
export function* rehearseIngestion(): Generator<void, { readonly conversation: Conversation | null; readonly drafts: readonly MemoryDraft[] }> {
  rehearseCallerIds();
  yield;
  const translated = translatePostCall(REHEARSAL_TRANSCRIPTION, { defaultRegion: null });
  if (!translated.ok) return { conversation: null, drafts: [] };
  const conversation = translated.value;
  for (const turn of conversation.turns) {
    yield;
    extractCallerName({ turns: [turn], language: conversation.language ?? undefined });
  }
  yield;
  return { conversation, drafts: classifyConversation(conversation) };
}
