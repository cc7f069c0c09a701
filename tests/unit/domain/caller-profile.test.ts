// The profile the next call starts from: which memory is the newest when times are written differently.
import { describe, expect, it } from "vitest";
import type { CallerId } from "../../../domain/caller-id";
import { buildCallerProfile } from "../../../domain/caller-profile";
import type { Memory, MemorySource } from "../../../domain/memory";

const CALLER = "+15550100123" as CallerId;
const LIMITS = { summaryMaxChars: 400, contextBudgetChars: 2_000 };

function memory(id: string, text: string, timestamp: string, source: MemorySource = "summary"): Memory {
  return {
    id,
    memory: text,
    user_id: CALLER,
    metadata: { type: "factual", source, agent_id: "agent_fixture", timestamp, call_duration: 60, conversation_id: `conv_${id}` },
  };
}

describe("buildCallerProfile", () => {
  it("takes the newest call by its instant, whether the time carries milliseconds or an offset", () => {
    const recent = [
      memory("a", "Booked a table for four.", "2026-03-01T10:00:00Z"),
      // 10:45 UTC, written with an offset: the newest call, though its text sorts before the others.
      memory("b", "Moved the booking to Saturday.", "2026-03-01T09:45:00-01:00"),
      memory("c", "Asked about parking.", "2026-03-01T10:00:00.500Z"),
    ];

    const profile = buildCallerProfile({ callerId: CALLER, recent, nameStatements: [], memoryCount: 3, language: null, lastCallLanguage: null, now: "2026-03-02T00:00:00Z" }, LIMITS);

    expect(profile.lastCallAt).toBe("2026-03-01T09:45:00-01:00");
  });

  it("greets by the name stated last, by instant: a correction made later wins", () => {
    const nameStatements = [
      memory("n1", "The caller's name is Marisela Quenby.", "2026-03-05T09:00:00.250Z", "caller_name"),
      memory("n2", "The caller's name is Marisol Quenby.", "2026-03-05T09:00:00Z", "caller_name"),
    ];

    const profile = buildCallerProfile({ callerId: CALLER, recent: [], nameStatements, memoryCount: 2, language: null, lastCallLanguage: null, now: "2026-03-06T00:00:00Z" }, LIMITS);

    expect(profile.callerName).toBe("Marisela");
  });
});
