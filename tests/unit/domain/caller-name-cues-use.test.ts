// The spoken cues (about seventy Unicode patterns) are compiled only for a call's words: a caller profile
// rebuilt from memories (remember's every event, client-data's fallback) reads names without them,
// and a cold start does not pay for compiling them there.
import { describe, expect, it, vi } from "vitest";
import type * as Cues from "../../../domain/caller-name-cues";

vi.mock("../../../domain/caller-name-cues", async (importOriginal) => {
  const original = await importOriginal<typeof Cues>();
  return { ...original, cuesFor: vi.fn(original.cuesFor) };
});

const { cuesFor } = await import("../../../domain/caller-name-cues");
const { extractCallerName, formatCallerNameMemory } = await import("../../../domain/caller-name");

describe("the spoken cues of caller-name extraction", () => {
  it("are not built to read a name from memories or data collection", () => {
    expect(extractCallerName({ memories: [formatCallerNameMemory("Marisol Quenby")] })).toBe("Marisol Quenby");
    expect(extractCallerName({ dataCollection: [{ id: "caller_name", value: "Dana Whit", rationale: null }], memories: [] })).toBe("Dana Whit");
    expect(extractCallerName({ turns: [], memories: ["User prefers email updates"], language: "es" })).toBeNull();

    expect(cuesFor).not.toHaveBeenCalled();
  });

  it("are built for a call's turns, in the call's language", () => {
    expect(extractCallerName({ turns: [{ role: "user", text: "Hola, soy Lucía.", timeInCallSecs: 1 }], language: "es" })).toBe("Lucía");

    expect(cuesFor).toHaveBeenCalledWith("es");
  });
});
