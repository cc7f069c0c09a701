import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EmbeddedRanking } from "../../adapters/outbound/embedded/embedded-ranking";
import { SqliteMemoryStore } from "../../adapters/outbound/embedded/sqlite-memory-store";
import type { CallerId } from "../../domain/caller-id";
import type { Conversation, DataCollectionResult } from "../../domain/conversation";
import { classifyConversation } from "../../domain/memory-classification";
import { draft } from "../contract/memory-store.contract";

const MARISOL = "+15550100123" as CallerId;
const TOMASZ = "+15550100124" as CallerId;

let sequence = 0;
/** One call as ingestion stores it: the caller's lines alternate with the agent's replies. */
function call(callerId: CallerId, day: string, callerLines: readonly string[], dataCollection: readonly DataCollectionResult[] = []): Conversation {
  sequence += 1;
  return {
    eventType: "post_call_transcription",
    conversationId: `conv_ranking_${sequence}`,
    agentId: "agent_fixture",
    caller: { known: true, callerId },
    eventTimestamp: Date.parse(`${day}T10:00:00Z`) / 1000,
    durationSecs: 120,
    turns: callerLines.flatMap((text, i) => [
      { role: "agent" as const, text: i === 0 ? "Lumen Line, how can I help?" : "Thanks, noted.", timeInCallSecs: i * 10 },
      { role: "user" as const, text, timeInCallSecs: i * 10 + 5 },
    ]),
    summary: null,
    evaluations: [],
    dataCollection,
    audioBase64: null,
    failureReason: null,
  };
}

const stores: SqliteMemoryStore[] = [];
function storeWith(ranking?: EmbeddedRanking): SqliteMemoryStore {
  const store = new SqliteMemoryStore(join(mkdtempSync(join(tmpdir(), "agentic-memory-ranking-")), "memories.db"), ranking ? { ranking } : {});
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

describe("the embedded store's ranking", () => {
  async function marisolsCalls(store: SqliteMemoryStore): Promise<void> {
    const calls = [
      call(MARISOL, "2026-01-10", ["I'd like to order the beef stew for delivery tonight.", "Around seven would be perfect."]),
      call(MARISOL, "2026-02-03", ["Can I book a table for four on Friday?", "I'm vegetarian now, so no meat for me please."], [
        { id: "dietary_requirements", value: "vegetarian", rationale: null },
      ]),
      call(MARISOL, "2026-02-20", ["Call me on my mobile after six, I'm at work before that.", "The booking was lovely, thank you."]),
      call(TOMASZ, "2026-02-21", ["I eat everything, and the best number to reach me is the landline."]),
    ];
    for (const conversation of calls) await store.add(classifyConversation(conversation));
  }

  it("finds what the caller said when the agent asks in other words", async () => {
    const store = storeWith();
    await marisolsCalls(store);

    const diet = await store.search({ userId: MARISOL, query: "what does she eat", limit: 3 });
    const reach = await store.search({ userId: MARISOL, query: "best number to reach her", limit: 3 });

    expect(diet[0]?.memory).toMatch(/vegetarian/);
    expect(diet.map((m) => m.memory).join("\n")).toContain("I'm vegetarian now");
    expect(reach[0]?.memory).toContain("Call me on my mobile after six");
    // Only Marisol's memories, though Tomasz used the very words of the questions.
    expect([...diet, ...reach].every((m) => m.user_id === MARISOL)).toBe(true);
  });

  it("finds them where the BM25 ranking it replaced found nothing that answers", async () => {
    const store = storeWith("bm25");
    await marisolsCalls(store);

    const diet = await store.search({ userId: MARISOL, query: "what does she eat", limit: 3 });
    const reach = await store.search({ userId: MARISOL, query: "best number to reach her", limit: 3 });

    expect(diet).toEqual([]);
    expect(reach.some((m) => m.memory.includes("mobile"))).toBe(false);
  });

  it("puts what the caller said in a later call before what they said earlier", async () => {
    const store = storeWith();
    await store.add(classifyConversation(call(MARISOL, "2025-11-02", ["My address is 8 Orchard Close."])));
    await store.add(classifyConversation(call(MARISOL, "2026-03-15", ["My address is 27 Mill Lane."])));

    const found = await store.search({ userId: MARISOL, query: "where does she live now", limit: 2 });

    expect(found.map((m) => m.memory.match(/\d+ \w+ (Close|Lane)/)?.[0])).toEqual(["27 Mill Lane", "8 Orchard Close"]);
  });

  it("still finds a fact asked in other words for a caller with more memories than it reads whole, and applies the filters", async () => {
    const store = storeWith();
    const chatter = Array.from({ length: 1_100 }, (_, i) =>
      draft(MARISOL, `Asked whether the menu at table ${i} has the jazz brunch.`, { type: "semantic", timestamp: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() }),
    );
    await store.add([...chatter, draft(MARISOL, "Dietary requirements: vegan", { source: "data_collection", timestamp: "2025-06-01T10:00:00.000Z" })]);
    await store.add([draft(TOMASZ, "Dietary requirements: halal", { source: "data_collection" })]);

    const found = await store.search({ userId: MARISOL, query: "what does she eat", limit: 5 });
    const semanticOnly = await store.search({ userId: MARISOL, query: "what does she eat", limit: 5, filters: { type: "semantic" } });
    const syntax = await store.search({ userId: MARISOL, query: '"vegan" NEAR( * OR -col:', limit: 5 });

    expect(found[0]?.memory).toBe("Dietary requirements: vegan");
    expect(semanticOnly).toHaveLength(5);
    expect(semanticOnly.every((m) => m.metadata.type === "semantic")).toBe(true);
    expect(syntax[0]?.memory).toBe("Dietary requirements: vegan");
  });
});
