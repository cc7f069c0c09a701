import { StaticSecrets } from "../../fakes/static-secrets";
import type { CallSettings } from "../../../application/call-settings";
import type { InboxEventId } from "../../../application/ports/event-inbox.port";
import type { IngestionTrigger } from "../../../application/ports/ingestion-trigger.port";
import { AcceptPostCall, type Acknowledgement } from "../../../application/use-cases/accept-post-call.use-case";
import { IngestEvent } from "../../../application/use-cases/ingest-event.use-case";
import { CallerProfiles } from "../../../application/caller-profiles";
import type { CallerProfileStore } from "../../../application/ports/caller-profile-store.port";
import type { Clock } from "../../../application/ports/clock.port";
import type { MemoryStore } from "../../../application/ports/memory-store.port";
import { PrepareCallContext } from "../../../application/use-cases/prepare-call-context.use-case";
import { InMemoryCallerProfileStore } from "../../fakes/in-memory-caller-profile-store";
import type { RetryPolicy } from "../../../application/retry";
import { normaliseCallerId, type CallerId } from "../../../domain/caller-id";
import { DEFAULT_GREETING_TEMPLATES, GREETINGS } from "../../../domain/greeting";
import type { MemoryDraft, MemorySource, MemoryType } from "../../../domain/memory";
import { signatureHeader } from "../../../domain/webhook-signature";
import { FixedClock } from "../../fakes/fixed-clock";
import { InMemoryConversationArchive } from "../../fakes/in-memory-conversation-archive";
import { InMemoryEventInbox } from "../../fakes/in-memory-event-inbox";
import { InMemoryMemoryStore } from "../../fakes/in-memory-memory-store";
import { fixtureText } from "../../support/fixtures";
import { ElevenLabsConversationReader } from "../../../adapters/inbound/elevenlabs/elevenlabs-conversation-reader";

/** The real ElevenLabs wire reader: pure, so the tests of the use cases read events exactly as deployed code does. */
export const conversationReader = new ElevenLabsConversationReader();

/** The fixtures' caller and a second caller (fictional +1 555-01xx numbers only). */
export const MARISOL = "+15550100123";

/** The fixture call (tests/fixtures/post-call-*.json): its raw events, ids and archive key. */
export const TRANSCRIPTION = fixtureText("post-call-transcription.json");
export const AUDIO = fixtureText("post-call-audio.json");
export const CONVERSATION = "conv_5201kfx7demo0conv0fixt00001a";
export const TRANSCRIPTION_ID = `post_call_transcription/${CONVERSATION}` as const;
export const AUDIO_ID = `post_call_audio/${CONVERSATION}` as const;
export const TRANSCRIPT_KEY = `transcripts/+15550100123/${CONVERSATION}_1767268871.json`;
export const OTHER_CALLER = "+15550100145";

export const HMAC_KEY = "test-hmac-key-application-0123456789";
export const WORKSPACE_KEY = "test-workspace-key-application-0123";

/** A little after the fixtures' events (transcription 1767268871, audio 1767268873). */
export const NOW_SECS = 1_767_268_900;

export const BASE_PROMPT = "You are the Lumen Line concierge. Keep answers short and friendly.";

/** Retries that take a few milliseconds, so failure tests stay fast. */
export const TINY_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

export function callerId(raw: string): CallerId {
  const identity = normaliseCallerId(raw);
  if (!identity.known) throw new Error(`test set-up: ${raw} is not a caller id`);
  return identity.callerId;
}

export function callSettings(overrides: Partial<CallSettings> = {}): CallSettings {
  return {
    basePrompt: BASE_PROMPT,
    greetings: { ...DEFAULT_GREETING_TEMPLATES },
    greetingsByLanguage: GREETINGS,
    overrides: ["first_message", "prompt"],
    language: null,
    summaryMaxChars: 300,
    contextBudgetChars: 2000,
    recentMemories: 50,
    clientDataDeadlineMs: 1500,
    retrieveDeadlineMs: 1500,
    defaultRegion: null,
    ...overrides,
  };
}

let draftSequence = 0;

/** A memory draft as ingestion would write it; each call gets its own key unless one is given. */
export function memoryDraft(
  userId: string,
  text: string,
  options: { type?: MemoryType; source?: MemorySource; timestamp?: string; conversationId?: string } = {},
): MemoryDraft {
  draftSequence += 1;
  const type = options.type ?? "factual";
  const source = options.source ?? (type === "factual" ? "summary" : "conversation");
  const conversationId = options.conversationId ?? `conv_app_${draftSequence}`;
  return {
    key: `${conversationId}:${source}:${draftSequence}`,
    userId: callerId(userId),
    text,
    metadata: {
      type,
      source,
      agent_id: "agent_app_tests",
      timestamp: options.timestamp ?? new Date(Date.UTC(2026, 0, 1, 12, 0, 0) + draftSequence * 1000).toISOString(),
      call_duration: 42,
      conversation_id: conversationId,
    },
  };
}

/** The trigger port as the worker sees it: which events it was told about, in order. */
class RecordingTrigger implements IngestionTrigger {
  readonly notified: InboxEventId[] = [];
  notify(id: InboxEventId): void {
    this.notified.push(id);
  }
}

/**
 * The same object with some methods replaced: how tests inject failures into a fake without
 * re-implementing it. Methods not overridden keep working on the real fake.
 */
export function overriding<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (Object.prototype.hasOwnProperty.call(overrides, property)) return overrides[property as keyof T];
      const value: unknown = Reflect.get(object, property, receiver);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

/** Wraps `real` so its first `times` calls throw `error` (without calling `real`), later ones go through. */
export function failingFirst<A extends unknown[], R>(
  times: number,
  real: (...args: A) => Promise<R>,
  error: Error = new Error("simulated outage"),
): ((...args: A) => Promise<R>) & { readonly calls: () => number } {
  let calls = 0;
  const wrapped = async (...args: A): Promise<R> => {
    calls += 1;
    if (calls <= times) throw error;
    return real(...args);
  };
  return Object.assign(wrapped, { calls: () => calls });
}

/** A call that never answers, like a memory service behind a black-holed connection. */
export const hanging = <R>(): Promise<R> => new Promise<R>(() => undefined);

/** Everything the post-call flow touches, wired with the in-memory fakes. */
export function postCallWorld(options: { retry?: RetryPolicy } = {}) {
  const clock = new FixedClock(NOW_SECS * 1000);
  const secrets = new StaticSecrets({ ELEVENLABS_HMAC_KEY: HMAC_KEY, ELEVENLABS_WORKSPACE_KEY: WORKSPACE_KEY });
  const inbox = new InMemoryEventInbox();
  const archive = new InMemoryConversationArchive();
  const store = new InMemoryMemoryStore();
  const profiles = new InMemoryCallerProfileStore();
  const trigger = new RecordingTrigger();
  const accept = new AcceptPostCall(secrets, inbox, trigger, clock, { storeRetry: options.retry ?? TINY_RETRY });
  const ingest = new IngestEvent(inbox, conversationReader, archive, store, clock, callerProfiles(store, profiles, clock));

  /** Deliver a body as ElevenLabs would (signed now), and fail the test set-up if it is refused. */
  async function deliver(rawBody: string): Promise<Acknowledgement> {
    const result = await accept.execute({ rawBody, signatureHeader: signatureHeader(HMAC_KEY, rawBody, NOW_SECS) });
    if (!result.ok) throw new Error(`test set-up: delivery refused with ${result.error.code}`);
    return result.value;
  }

  /** Deliver and ingest right away, as the worker would. */
  async function deliverAndIngest(rawBody: string): Promise<Acknowledgement> {
    const ack = await deliver(rawBody);
    await ingest.execute(ack.id);
    return ack;
  }

  return { clock, secrets, inbox, archive, store, profiles, trigger, accept, ingest, deliver, deliverAndIngest };
}

export const textOf = (bytes: Uint8Array | null): string | null => (bytes === null ? null : new TextDecoder().decode(bytes));

/** The caller-profile service over a memory store and a profile store, with the default client-data settings. */
export function callerProfiles(
  store: MemoryStore,
  profiles: CallerProfileStore = new InMemoryCallerProfileStore(),
  clock: Clock = new FixedClock(NOW_SECS * 1000),
  settings: CallSettings = callSettings(),
): CallerProfiles {
  return new CallerProfiles(store, profiles, settings, clock);
}

/**
 * Client-data over a memory store: with no profile stored (the default), every answer is built from
 * the memories, as for a caller whose calls were ingested before profiles existed.
 */
export function prepareCallContextOver(store: MemoryStore, settings: CallSettings, profiles: CallerProfileStore = new InMemoryCallerProfileStore()): PrepareCallContext {
  return new PrepareCallContext(callerProfiles(store, profiles, new FixedClock(NOW_SECS * 1000), settings), settings);
}
