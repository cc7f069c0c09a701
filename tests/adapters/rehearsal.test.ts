// What the functions run on sample data during Lambda's Init (primeOnLambda): it must really run the
// code their first event would, or the rehearsal is a no-op that silently stopped working.
import { describe, expect, it } from "vitest";
import { rehearseIngestion } from "../../adapters/inbound/lambda/rehearsal";
import { REHEARSAL_CALLER, REHEARSAL_CALLER_ID } from "../../adapters/rehearsal-caller";
import { normaliseCallerId } from "../../domain/caller-id";

describe("the rehearsal of an ingestion", () => {
  it("translates its synthetic transcription and classifies it into factual and semantic drafts, in English, for a fictional caller", () => {
    const steps = rehearseIngestion();
    let step = steps.next();
    let yielded = 0;
    for (; step.done !== true; step = steps.next()) yielded += 1;
    const { conversation, drafts } = step.value;

    // In steps (the caller id, the translation, the name rules on each of its three turns, the classification): Init's requests progress between them.
    expect(yielded).toBe(5);

    expect(conversation?.eventType).toBe("post_call_transcription");
    expect(conversation?.language).toBe("en");
    expect(conversation?.caller).toEqual({ known: true, callerId: "+15550100199" });
    expect(new Set(drafts.map((d) => d.metadata.type))).toEqual(new Set(["factual", "semantic"]));
  });
});

describe("the rehearsal caller", () => {
  it("is one fictional number in both forms: as a phone sends it, and as the stores take it", () => {
    expect(normaliseCallerId(REHEARSAL_CALLER)).toEqual({ known: true, callerId: REHEARSAL_CALLER_ID });
    expect(REHEARSAL_CALLER_ID).toMatch(/^\+1555010\d{4}$/);
  });
});
