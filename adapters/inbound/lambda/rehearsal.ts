import { normaliseCallerId } from "../../../domain/caller-id";
import { extractCallerName } from "../../../domain/caller-name";
import type { Conversation } from "../../../domain/conversation";
import { classifyConversation } from "../../../domain/memory-classification";
import type { MemoryDraft } from "../../../domain/memory";
import { translatePostCall } from "../elevenlabs/post-call-translator";
import { mem0PageSchema, mem0SearchResponseSchema, toMem0Record } from "../../outbound/mem0/mem0-records";
import { REHEARSAL_CALLER, REHEARSAL_CALLER_ID } from "../../rehearsal-caller";

/**
 * A fictional caller id (the +1 555-01xx range kept for examples) read once while a function
 * initialises: libphonenumber runs for the first time there, parsing the +1 numbering plans and
 * compiling their patterns on Init's full vCPU, rather than in the first event at the function's
 * share of one (~6 ms of a full core in client-data's first event, about seven times that at 256 MB).
 */
function rehearseCallerIds(): void {
  // Both forms: as a phone shows it and as ElevenLabs sends `system__caller_id` (E.164).
  normaliseCallerId(REHEARSAL_CALLER);
  normaliseCallerId(REHEARSAL_CALLER_ID);
}

/**
 * {@link rehearseCallerIds}, then a sample body through a route's request schema: zod compiles a
 * schema's parser, each optional field's included, on its first use (samples: {@link REHEARSAL_REQUESTS}).
 * Two steps (a generator, see primeOnLambda).
 */
export function rehearseRequest(schema: { safeParse(data: unknown): unknown }, sample: Readonly<Record<string, unknown>>): () => Generator<void> {
  return function* () {
    rehearseCallerIds();
    yield;
    schema.safeParse(sample);
  };
}

/**
 * Each route's sample body, with every field the tool configuration `agent-config` prints sends (the
 * bound ones as ElevenLabs fills them: E.164 numbers, ids), for the fictional caller.
 */
export const REHEARSAL_REQUESTS = {
  clientData: { caller_id: REHEARSAL_CALLER_ID, agent_id: "agent_rehearsal", called_number: "+15550100100", call_sid: "CA_rehearsal" },
  retrieve: { query: "rehearsal", user_id: REHEARSAL_CALLER_ID, limit: 5 },
  remember: { user_id: REHEARSAL_CALLER_ID, fact: "Prefers text messages.", category: "contact preference", conversation_id: "conv_rehearsal", agent_id: "agent_rehearsal" },
} as const;

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
 * the caller id, the translation (zod's post-call schemas), the caller-name rules turn by turn and the
 * classification into memory drafts, each a step of its own (a generator, see primeOnLambda). The
 * longest is the first turn's: the cues (~70 Unicode patterns) compile on first use, ~20 ms of a full
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

/**
 * Two memories of the fictional caller as Mem0's v3 list answers them, through mem0ai (keys
 * camel-cased, our metadata verbatim): a name statement and a call summary.
 */
export const REHEARSAL_MEM0_PAGE = {
  count: 2,
  next: null,
  results: [
    {
      id: "00000000-0000-4000-8000-000000000001",
      memory: "The caller's name is Sam.",
      userId: REHEARSAL_CALLER_ID,
      createdAt: "2026-01-01T12:01:11Z",
      metadata: { type: "factual", source: "caller_name", agent_id: "agent_rehearsal", timestamp: "2026-01-01T12:01:11.000Z", call_duration: 71, conversation_id: "conv_rehearsal", draft_key: "conv_rehearsal:caller_name:0", fact_key: "caller_name", language: "en" },
    },
    {
      id: "00000000-0000-4000-8000-000000000002",
      memory: "Sam, a vegetarian, booked a table for two on Friday evening.",
      userId: REHEARSAL_CALLER_ID,
      createdAt: "2026-01-01T12:01:11Z",
      metadata: { type: "factual", source: "summary", agent_id: "agent_rehearsal", timestamp: "2026-01-01T12:01:11.000Z", call_duration: 71, conversation_id: "conv_rehearsal", draft_key: "conv_rehearsal:summary:0", language: "en" },
    },
  ],
} as const;

/**
 * What every read of a caller's memories from Mem0 does with the answer, on {@link REHEARSAL_MEM0_PAGE}
 * as a list page and as a search answer: the envelope and each record through their schemas (zod
 * compiles a parser on its first use; the records' metadata take a dozen). Returns the records, for
 * its test; the functions discard them.
 */
export function* rehearseMem0Records(): Generator<void, ReturnType<typeof toMem0Record>[]> {
  const page = mem0PageSchema.parse(REHEARSAL_MEM0_PAGE);
  // A search answers the same records in `{ results }`, each with a score.
  const found = mem0SearchResponseSchema.parse({ results: REHEARSAL_MEM0_PAGE.results.map((item) => ({ ...item, score: 0.5 })) });
  yield;
  return [...page.results, ...found.results].map((item) => toMem0Record(item, REHEARSAL_CALLER_ID));
}

/** Several rehearsals as one, each step still a step of its own (see primeOnLambda). */
export function rehearsals(...parts: readonly (() => Iterator<unknown>)[]): () => Generator<void> {
  return function* () {
    for (const [i, part] of parts.entries()) {
      if (i > 0) yield;
      const steps = part();
      while (steps.next().done !== true) yield;
    }
  };
}
