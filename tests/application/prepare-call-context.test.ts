import { describe, expect, it } from "vitest";
import type { MemoryStore } from "../../application/ports/memory-store.port";
import type { CallContext } from "../../application/use-cases/prepare-call-context.use-case";
import { CALLER_NOTES_CLOSE, CALLER_NOTES_OPEN } from "../../domain/caller-context";
import { parseRegion, type NoIdentityReason, type Region } from "../../domain/caller-id";
import { DEFAULT_GREETING_TEMPLATES, type GreetingTemplates } from "../../domain/greeting";
import { InMemoryMemoryStore } from "../fakes/in-memory-memory-store";
import { fixture, fixtureText, transcriptionFor } from "../support/fixtures";
import {
  BASE_PROMPT,
  MARISOL,
  OTHER_CALLER,
  callSettings,
  callerId,
  hanging,
  memoryDraft,
  overriding,
  postCallWorld,
  prepareCallContextOver,
} from "./support/harness";

const CUSTOM_GREETINGS: GreetingTemplates = {
  newCaller: "Lumen Line, good evening. Who do I have the pleasure of speaking with?",
  returningNamed: "{name}! Lovely to hear from you again. Shall we pick up where we left off?",
  returningUnnamed: "Lovely to hear from you again. Shall we pick up where we left off?",
};

/** The store with the transcription fixture ingested for Marisol, the way the worker would. */
async function storeWithMarisolsCall(): Promise<InMemoryMemoryStore> {
  const world = postCallWorld();
  await world.deliverAndIngest(fixtureText("post-call-transcription.json"));
  return world.store;
}

interface TranscriptionEvent {
  event_timestamp: number;
  data: {
    conversation_id: string;
    transcript: { role: string; message: string | null }[];
    analysis: { data_collection_results: Record<string, unknown> };
  };
}

/** Another call from Marisol in which she does not say her name (the agent greeted her by it). */
function laterCallWithoutName(conversationId: string, eventTimestamp: number): string {
  const event = fixture<TranscriptionEvent>("post-call-transcription.json");
  event.event_timestamp = eventTimestamp;
  event.data.conversation_id = conversationId;
  for (const turn of event.data.transcript) {
    if (turn.message?.includes("it's Marisol Quenby")) turn.message = "Hi! I called last week about the dinner booking.";
  }
  delete event.data.analysis.data_collection_results.caller_name;
  return JSON.stringify(event);
}

/**
 * What a caller we know nothing about is told, with the default greetings and base prompt: read from
 * their (no) memories when the number is usable, from nothing when it is not.
 */
function newCallerAnswer(id: string | null, callerIdIssue: NoIdentityReason | null = null): CallContext {
  return {
    callerId: id === null ? null : callerId(id),
    callerIdIssue,
    callerName: null,
    returning: false,
    memoryCount: 0,
    memorySummary: "",
    firstMessage: DEFAULT_GREETING_TEMPLATES.newCaller,
    prompt: BASE_PROMPT,
    language: null,
    degraded: null,
    origin: id === null ? null : "memories",
  };
}

function regionNamed(code: string): Region {
  const region = parseRegion(code);
  if (region === null) throw new Error(`test set-up: ${code} is not a region`);
  return region;
}

/** A store that records every call it gets, whoever it is for. */
function recordingStore(real: MemoryStore): { store: MemoryStore; calls: string[] } {
  const calls: string[] = [];
  const store = overriding(real, {
    add: async (drafts) => (calls.push("add"), real.add(drafts)),
    search: async (query) => (calls.push(`search ${query.userId}`), real.search(query)),
    list: async (userId, options) => (calls.push(`list ${userId}`), real.list(userId, options)),
    count: async (userId) => (calls.push(`count ${userId}`), real.count(userId)),
    forget: async (userId) => (calls.push(`forget ${userId}`), real.forget(userId)),
  });
  return { store, calls };
}

describe("PrepareCallContext", () => {
  describe("a caller we have never heard from", () => {
    it("is greeted as new, with no summary, no notes and nothing degraded", async () => {
      // Prepare
      const useCase = prepareCallContextOver(new InMemoryMemoryStore(), callSettings());

      // Act
      const result = await useCase.execute({ callerId: MARISOL });

      // Assess
      expect(result).toEqual({ ok: true, value: newCallerAnswer(MARISOL) });
    });
  });

  describe("a returning caller (after the transcription fixture was ingested)", () => {
    it("is greeted by first name with a bounded summary and an accurate count", async () => {
      // Prepare
      const store = await storeWithMarisolsCall();
      const useCase = prepareCallContextOver(store, callSettings({ summaryMaxChars: 300 }));

      // Act
      const result = await useCase.execute({ callerId: MARISOL });

      // Assess
      if (!result.ok) throw result.error;
      const context = result.value;
      expect(context.callerId).toBe(MARISOL);
      expect(context.returning).toBe(true);
      expect(context.callerName).toBe("Marisol");
      expect(context.firstMessage).toContain("Marisol");
      expect(context.firstMessage).not.toContain("Quenby");
      expect(context.memoryCount).toBe(await store.count(callerId(MARISOL)));
      expect(context.memoryCount).toBeGreaterThan(1);
      expect(context.memorySummary.length).toBeGreaterThan(0);
      expect(context.memorySummary.length).toBeLessThanOrEqual(300);
      expect(context.memorySummary).toContain("Saturday");
      expect(context.degraded).toBeNull();
    });

    it("keeps the configured base prompt as a prefix and appends the fenced caller notes", async () => {
      // Prepare
      const store = await storeWithMarisolsCall();
      const useCase = prepareCallContextOver(store, callSettings({ contextBudgetChars: 1200 }));

      // Act
      const result = await useCase.execute({ callerId: MARISOL });

      // Assess
      if (!result.ok) throw result.error;
      const { prompt } = result.value;
      expect(prompt.startsWith(`${BASE_PROMPT}\n\n`)).toBe(true);
      const notes = prompt.slice(BASE_PROMPT.length + 2);
      expect(notes.length).toBeLessThanOrEqual(1200);
      expect(notes).toContain(CALLER_NOTES_OPEN);
      expect(notes.endsWith(CALLER_NOTES_CLOSE)).toBe(true);
      const fenced = notes.slice(notes.indexOf(CALLER_NOTES_OPEN) + CALLER_NOTES_OPEN.length, -CALLER_NOTES_CLOSE.length);
      expect(fenced).toContain("vegetarian");
    });

    it("sends only the notes as prompt when no base prompt is configured", async () => {
      // Prepare
      const store = await storeWithMarisolsCall();
      const useCase = prepareCallContextOver(store, callSettings({ basePrompt: null }));

      // Act
      const result = await useCase.execute({ callerId: MARISOL });

      // Assess
      if (!result.ok) throw result.error;
      expect(result.value.prompt.startsWith("## Caller notes")).toBe(true);
      expect(result.value.prompt.endsWith(CALLER_NOTES_CLOSE)).toBe(true);
    });

    it.each<{ name: string; raw: unknown; calledNumber?: string; defaultRegion?: string }>([
      { name: "E.164", raw: "+15550100123" },
      { name: "spaced and bracketed", raw: "+1 (555) 010-0123" },
      { name: "00 prefix", raw: "0015550100123" },
      { name: "tel: URI", raw: "tel:+1-555-010-0123" },
      { name: "in national format, read in the region of the number called", raw: "(555) 010-0123", calledNumber: "+15550100199" },
      { name: "with the trunk prefix, read in the region of the number called", raw: "1 555 010 0123", calledNumber: "+15550100199" },
      { name: "as a JSON number, read in the region of the number called", raw: 15550100123, calledNumber: "+15550100199" },
      { name: "in national format, read in the default region", raw: "5550100123", defaultRegion: "US" },
      { name: "in national format, with a called number that is no number", raw: "5550100123", calledNumber: "sip:agent@pbx.example", defaultRegion: "US" },
    ])("finds the same caller when the number arrives $name ($raw)", async ({ raw, calledNumber, defaultRegion }) => {
      // Prepare
      const store = await storeWithMarisolsCall();
      const useCase = prepareCallContextOver(store, callSettings(defaultRegion === undefined ? {} : { defaultRegion: regionNamed(defaultRegion) }));

      // Act
      const result = await useCase.execute({ callerId: raw, calledNumber });

      // Assess
      expect(result).toMatchObject({ ok: true, value: { callerId: MARISOL, returning: true, callerName: "Marisol" } });
    });

    it.each<{ name: string; raw: string; calledNumber: string | undefined; defaultRegion: string | null; expected: string | NoIdentityReason }>([
      { name: "a British mobile called in to a British number", raw: "07700 900123", calledNumber: "+44 20 7946 0958", defaultRegion: "US", expected: "+447700900123" },
      { name: "a Chinese mobile called in to a Chinese number", raw: "13812345678", calledNumber: "+86 10 1234 5678", defaultRegion: "US", expected: "+8613812345678" },
      { name: "a Chinese mobile with no region to read it in", raw: "13812345678", calledNumber: undefined, defaultRegion: null, expected: "national_number" },
      { name: "a British number read in the US plan", raw: "020 7946 0958", calledNumber: "+15550100199", defaultRegion: "GB", expected: "too_long" },
    ])("reads $name by the plan of the number called, before the default region", async ({ raw, calledNumber, defaultRegion, expected }) => {
      // Prepare
      const { store, calls } = recordingStore(await storeWithMarisolsCall());
      const region = defaultRegion === null ? null : regionNamed(defaultRegion);
      const useCase = prepareCallContextOver(store, callSettings({ defaultRegion: region }));

      // Act
      const result = await useCase.execute({ callerId: raw, calledNumber });

      // Assess
      if (!result.ok) throw result.error;
      if (expected.startsWith("+")) expect(result.value).toMatchObject({ callerId: expected, callerIdIssue: null, returning: false });
      else {
        expect(result.value).toMatchObject({ callerId: null, callerIdIssue: expected });
        expect(calls).toEqual([]);
      }
    });

    it("never tells one caller about another caller's calls", async () => {
      // Prepare: two callers, both known, with different facts.
      const store = await storeWithMarisolsCall();
      await store.add([memoryDraft(OTHER_CALLER, "Asked to cancel the harbour cruise for Tuesday.")]);
      const useCase = prepareCallContextOver(store, callSettings());

      // Act
      const other = await useCase.execute({ callerId: OTHER_CALLER });

      // Assess
      if (!other.ok) throw other.error;
      expect(other.value).toMatchObject({ callerId: OTHER_CALLER, returning: true, memoryCount: 1, callerName: null });
      expect(other.value.memorySummary).toContain("harbour cruise");
      for (const text of [other.value.memorySummary, other.value.prompt, other.value.firstMessage]) {
        expect(text).not.toMatch(/Marisol|vegetarian|Saturday/);
      }
    });
  });

  describe("greeting templates", () => {
    it.each([
      {
        name: "a new caller",
        seed: async () => new InMemoryMemoryStore(),
        expected: CUSTOM_GREETINGS.newCaller,
      },
      {
        name: "a returning caller whose name we know",
        seed: storeWithMarisolsCall,
        expected: "Marisol! Lovely to hear from you again. Shall we pick up where we left off?",
      },
      {
        name: "a returning caller who never gave a name",
        seed: async () => {
          const store = new InMemoryMemoryStore();
          await store.add([memoryDraft(MARISOL, "Asked whether the rooftop terrace is open in winter.")]);
          return store;
        },
        expected: CUSTOM_GREETINGS.returningUnnamed,
      },
    ])("greets $name with the operator's template", async ({ seed, expected }) => {
      // Prepare
      const useCase = prepareCallContextOver(await seed(), callSettings({ greetings: CUSTOM_GREETINGS }));

      // Act
      const result = await useCase.execute({ callerId: MARISOL });

      // Assess
      expect(result).toMatchObject({ ok: true, value: { firstMessage: expected } });
    });
  });

  describe("callers without a usable number", () => {
    it.each<{ name: string; raw: unknown; reason: NoIdentityReason }>([
      { name: "anonymous", raw: "anonymous", reason: "withheld" },
      { name: "Restricted", raw: "Restricted", reason: "withheld" },
      { name: "empty", raw: "", reason: "missing" },
      { name: "not sent", raw: undefined, reason: "missing" },
      { name: "null", raw: null, reason: "missing" },
      { name: "a SIP user name", raw: "sip:alice@pbx.example", reason: "not_a_phone_number" },
      { name: "Marisol's number in national format with a trunk 0", raw: "05550100123", reason: "national_number" },
      { name: "Marisol's number in national format", raw: "5550100123", reason: "national_number" },
      { name: "a short national number", raw: "555-0100", reason: "national_number" },
      { name: "letters", raw: "abc", reason: "not_a_phone_number" },
      { name: "too few digits", raw: "+123", reason: "too_short" },
      { name: "an object", raw: { number: MARISOL }, reason: "not_a_phone_number" },
      { name: "a boolean", raw: true, reason: "not_a_phone_number" },
      { name: "an array", raw: [MARISOL], reason: "not_a_phone_number" },
      { name: "Marisol's number padded past 64 characters", raw: MARISOL.padEnd(65, " "), reason: "too_long" },
    ])("answers $name as a new caller, says why, and never consults the memory store", async ({ raw, reason }) => {
      // Prepare: the store holds Marisol's memories, which must not leak to a caller without identity.
      const { store, calls } = recordingStore(await storeWithMarisolsCall());
      const useCase = prepareCallContextOver(store, callSettings());

      // Act
      const result = await useCase.execute({ callerId: raw });

      // Assess
      expect(result).toEqual({ ok: true, value: newCallerAnswer(null, reason) });
      expect(calls).toEqual([]);
    });
  });

  describe("when the memory service misbehaves", () => {
    const outage = async (): Promise<never> => {
      throw new Error("ECONNRESET talking to the memory service");
    };

    it.each([
      { name: "listing fails", broken: { list: outage } },
      { name: "counting fails", broken: { count: outage } },
    ])("still answers as for a new caller, marked degraded, when $name", async ({ broken }) => {
      // Prepare
      const useCase = prepareCallContextOver(overriding<MemoryStore>(await storeWithMarisolsCall(), broken), callSettings());

      // Act
      const result = await useCase.execute({ callerId: MARISOL });

      // Assess
      if (!result.ok) throw result.error;
      expect(result.value).toEqual({ ...newCallerAnswer(MARISOL), degraded: result.value.degraded, origin: null });
      expect(result.value.degraded?.reason).toContain("ECONNRESET");
    });

    it("answers within the deadline when the memory service hangs", async () => {
      // Prepare
      const real = await storeWithMarisolsCall();
      const stuck = overriding<MemoryStore>(real, { list: () => hanging(), count: () => hanging() });
      const useCase = prepareCallContextOver(stuck, callSettings({ clientDataDeadlineMs: 100 }));

      // Act
      const started = performance.now();
      const result = await useCase.execute({ callerId: MARISOL });
      const elapsed = performance.now() - started;

      // Assess
      expect(elapsed).toBeLessThan(1000);
      if (!result.ok) throw result.error;
      expect(result.value).toMatchObject({ returning: false, memoryCount: 0, firstMessage: DEFAULT_GREETING_TEMPLATES.newCaller });
      expect(result.value.degraded?.reason).toMatch(/DeadlineExceeded/);
    });

    it("waits for a slow memory service that still answers within the deadline", async () => {
      // Prepare
      const real = await storeWithMarisolsCall();
      const slow = overriding<MemoryStore>(real, {
        list: async (userId, options) => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          return real.list(userId, options);
        },
      });
      const useCase = prepareCallContextOver(slow, callSettings({ clientDataDeadlineMs: 1000 }));

      // Act
      const result = await useCase.execute({ callerId: MARISOL });

      // Assess
      expect(result).toMatchObject({ ok: true, value: { returning: true, callerName: "Marisol", degraded: null } });
    });
  });

  describe("a caller with several calls", () => {
    // BUG: the name is read only from the `recentMemories` newest memories, so a name stated in an
    // older call is forgotten once later calls have produced that many memories (about 6 calls here).
    it("still greets a regular caller by the name she gave, after later calls in which she did not repeat it", async () => {
      // Prepare: the first call states the name; six later calls (about 9 memories each) do not.
      const world = postCallWorld();
      await world.deliverAndIngest(fixtureText("post-call-transcription.json"));
      for (let call = 1; call <= 6; call += 1) {
        await world.deliverAndIngest(laterCallWithoutName(`conv_app_later_${call}`, 1_767_268_871 + call * 86_400));
      }
      const useCase = prepareCallContextOver(world.store, callSettings({ recentMemories: 50 }));

      // Act
      const result = await useCase.execute({ callerId: MARISOL });

      // Assess
      expect(result).toMatchObject({ ok: true, value: { returning: true, callerName: "Marisol" } });
    });

    it("greets by name after one later call in which she did not repeat it", async () => {
      // Prepare
      const world = postCallWorld();
      await world.deliverAndIngest(fixtureText("post-call-transcription.json"));
      await world.deliverAndIngest(laterCallWithoutName("conv_app_later_1", 1_767_268_871 + 86_400));
      const useCase = prepareCallContextOver(world.store, callSettings({ recentMemories: 50 }));

      // Act
      const result = await useCase.execute({ callerId: MARISOL });

      // Assess
      expect(result).toMatchObject({ ok: true, value: { returning: true, callerName: "Marisol" } });
      if (result.ok) expect(result.value.firstMessage).toContain("Marisol");
    });

    it("counts the current memories of every call (the second call's facts replace the first's) and does not repeat what both calls said", async () => {
      // Prepare: the same conversation content delivered as two different calls.
      const world = postCallWorld();
      await world.deliverAndIngest(fixtureText("post-call-transcription.json"));
      await world.deliverAndIngest(
        transcriptionFor({ conversationId: "conv_app_second_call", callerId: MARISOL, eventTimestamp: 1_767_300_000 }),
      );
      const useCase = prepareCallContextOver(world.store, callSettings({ summaryMaxChars: 2000 }));

      // Act
      const result = await useCase.execute({ callerId: MARISOL });

      // Assess
      if (!result.ok) throw result.error;
      const singleCall = await (await storeWithMarisolsCall()).count(callerId(MARISOL));
      const versions = await world.store.list(callerId(MARISOL), { history: true });
      const superseded = versions.filter((m) => m.metadata.superseded_by !== undefined);
      expect(versions).toHaveLength(2 * singleCall + 2);
      expect(superseded.map((m) => m.metadata.conversation_id).sort()).toEqual([
        ...Array<string>(5).fill("conv_5201kfx7demo0conv0fixt00001a"),
        "conv_app_second_call",
      ]);
      expect(result.value.memoryCount).toBe(versions.length - superseded.length);
      expect(result.value).toMatchObject({ returning: true, callerName: "Marisol" });
      expect(result.value.memorySummary.match(/Returning caller Marisol Quenby asked/g)).toHaveLength(1);
    });
  });
});
