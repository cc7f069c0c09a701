// What the functions run on sample data during Lambda's Init (primeOnLambda): it must really run the
// code their first event would, or the rehearsal is a no-op that silently stopped working.
import { describe, expect, it } from "vitest";
import { rehearseProfiles } from "../../adapters/inbound/lambda/profile-rehearsal";
import { clientDataRequestSchema } from "../../adapters/inbound/elevenlabs/client-data-request.schema";
import { rememberRequestSchema } from "../../adapters/inbound/elevenlabs/remember-request.schema";
import { retrieveRequestSchema } from "../../adapters/inbound/elevenlabs/retrieve-request.schema";
import { REHEARSAL_REQUESTS, rehearsals, rehearseIngestion, rehearseMem0Records } from "../../adapters/inbound/lambda/rehearsal";
import { REHEARSAL_CALLER, REHEARSAL_CALLER_ID } from "../../adapters/rehearsal-caller";
import { normaliseCallerId } from "../../domain/caller-id";

/** A rehearsal run to its end as primeOnLambda runs it: its steps counted, its result returned. */
function run<T>(steps: Generator<void, T>): { result: T; steps: number } {
  let step = steps.next();
  let count = 1;
  for (; step.done !== true; step = steps.next()) count += 1;
  return { result: step.value, steps: count };
}

describe("the rehearsal of an ingestion", () => {
  it("translates its synthetic transcription and classifies it into factual and semantic drafts, in English, for a fictional caller", () => {
    const { result, steps } = run(rehearseIngestion());
    const { conversation, drafts } = result;

    // In steps (the caller id, the translation, the name rules on each of its three turns, the classification): Init's requests progress between them.
    expect(steps).toBe(6);

    expect(conversation?.eventType).toBe("post_call_transcription");
    expect(conversation?.language).toBe("en");
    expect(conversation?.caller).toEqual({ known: true, callerId: "+15550100199" });
    expect(new Set(drafts.map((d) => d.metadata.type))).toEqual(new Set(["factual", "semantic"]));
  });
});

describe("the rehearsals of the routes' requests", () => {
  // A sample its schema refused would warm only the error path.
  it("has a sample body for each route that its request schema accepts, every field the tool configuration sends kept", () => {
    const clientData = clientDataRequestSchema.safeParse(REHEARSAL_REQUESTS.clientData);
    const retrieve = retrieveRequestSchema.safeParse(REHEARSAL_REQUESTS.retrieve);
    const remember = rememberRequestSchema.safeParse(REHEARSAL_REQUESTS.remember);

    expect(clientData.success && clientData.data).toMatchObject({ caller_id: REHEARSAL_CALLER_ID, agent_id: "agent_rehearsal", call_sid: "CA_rehearsal" });
    expect(retrieve.success && retrieve.data).toMatchObject({ user_id: REHEARSAL_CALLER_ID, limit: 5 });
    expect(remember.success && remember.data).toMatchObject({ user_id: REHEARSAL_CALLER_ID, category: "contact preference", conversation_id: "conv_rehearsal" });
  });
});

describe("the rehearsals of the stores' answers", () => {
  it("reads the fictional caller's two memories from a Mem0 list page and a search answer, with our metadata recovered", () => {
    const { result } = run(rehearseMem0Records());

    const texts = ["The caller's name is Sam.", "Sam, a vegetarian, booked a table for two on Friday evening."];
    expect(result.map((record) => record?.memory.memory)).toEqual([...texts, ...texts]);
    expect(result.map((record) => record?.memory.metadata.source)).toEqual(["caller_name", "summary", "caller_name", "summary"]);
    expect(result.map((record) => record?.memory.score)).toEqual([undefined, undefined, 0.5, 0.5]);
    expect(result.every((record) => record?.memory.user_id === REHEARSAL_CALLER_ID)).toBe(true);
  });

  it("builds the fictional caller's profile from them and reads it back from its stored document", () => {
    const { result } = run(rehearseProfiles());

    expect(result).toMatchObject({ callerId: REHEARSAL_CALLER_ID, callerName: "Sam", memoryCount: 2, language: "en" });
    expect(result?.memorySummary).toContain("vegetarian");
    expect(result?.callerContext).toContain("vegetarian");
  });
});

describe("rehearsals", () => {
  it("runs several rehearsals one after another, every step of each a step of its own", () => {
    const order: string[] = [];
    function* two(name: string): Generator<void> {
      order.push(`${name} 1`);
      yield;
      order.push(`${name} 2`);
    }

    const { steps } = run(rehearsals(() => two("a"), () => two("b"))());

    expect(order).toEqual(["a 1", "a 2", "b 1", "b 2"]);
    expect(steps).toBe(4);
  });
});

describe("the rehearsal caller", () => {
  it("is one fictional number in both forms: as a phone sends it, and as the stores take it", () => {
    expect(normaliseCallerId(REHEARSAL_CALLER)).toEqual({ known: true, callerId: REHEARSAL_CALLER_ID });
    expect(REHEARSAL_CALLER_ID).toMatch(/^\+1555010\d{4}$/);
  });
});
