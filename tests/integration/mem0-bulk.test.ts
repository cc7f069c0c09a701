import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMem0MemoryStore, type Mem0MemoryStore } from "../../adapters/outbound/mem0/mem0-memory-store";
import type { CallerId } from "../../domain/caller-id";
import { importedMemoryDraft } from "../../domain/imported-memory";
import { startMem0StandIn, type Mem0StandIn } from "../support/mem0-stand-in";
import { createMem0ContractValidator } from "../support/mem0-openapi";

process.env.MEM0_DIR = mkdtempSync(join(tmpdir(), "agentic-memory-mem0-dir-"));

const MARISOL = "+15550100123" as CallerId;
const validator = await createMem0ContractValidator();

describe("Mem0 memory store: what bulk operations send", () => {
  let standIn: Mem0StandIn;
  let store: Mem0MemoryStore;
  beforeEach(async () => {
    standIn = await startMem0StandIn();
    store = await createMem0MemoryStore({ apiKey: standIn.apiKey, host: standIn.host });
    await vi.waitFor(() => expect(standIn.requests.some((r) => r.path === "/v1/ping/")).toBe(true));
  });
  afterEach(async () => {
    const problems = standIn.requests.flatMap((exchange) => validator.validateExchange(exchange).map((p) => `${exchange.method} ${exchange.path}: ${p}`));
    await standIn.close();
    expect(problems).toEqual([]);
  });

  it("lists every caller of the project a page of the entity listing at a time, and no entity that is not a caller", async () => {
    const callers = Array.from({ length: 450 }, (_, i) => `+1555020${String(i).padStart(4, "0")}`);
    for (const userId of callers) standIn.seed({ userId, text: `A memory of caller ${userId}.` });
    standIn.seed({ userId: "support-bot", text: "Another integration's user." });
    const entityPages = () => standIn.requests.filter((r) => r.method === "GET" && r.path === "/v1/entities/").length;

    const iterator = store.callers()[Symbol.asyncIterator]();
    const first = await iterator.next();
    const pagesForTheFirst = entityPages();
    const listed: string[] = first.done === true ? [] : [first.value];
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) listed.push(next.value);

    expect(pagesForTheFirst).toBe(1);
    expect(entityPages()).toBe(3);
    expect(listed.sort()).toEqual(callers.sort());
  });

  it("stores imported memories as written, semantic ones too, and adds nothing when the same lines come again", async () => {
    // The same two lines, imported a month apart: the second run must recognise them.
    const drafts = (importedAt: string) => [
      importedMemoryDraft({ callerId: MARISOL, memory: "Prefers text messages.", type: "factual", factKey: "contact_preference", timestamp: null }, importedAt),
      importedMemoryDraft({ callerId: MARISOL, memory: "Talked about her garden at length.", type: "semantic", factKey: null, timestamp: "2025-06-01T08:00:00.000Z" }, importedAt),
    ];

    const first = await store.add(drafts("2026-02-01T10:00:00.000Z"));
    const again = await store.add(drafts("2026-03-01T10:00:00.000Z"));
    const adds = standIn.requests.filter((r) => r.method === "POST" && r.path === "/v3/memories/add/");

    expect(first).toEqual({ added: 2, skipped: 0 });
    expect(again).toEqual({ added: 0, skipped: 2 });
    expect(adds.map((r) => (r.body as { infer?: unknown }).infer)).toEqual([false, false]);
    expect(standIn.memories(MARISOL).map((m) => m.memory).sort()).toEqual(["Prefers text messages.", "Talked about her garden at length."]);
    const listed = await store.list(MARISOL, { history: true });
    expect(listed.map((m) => [m.memory, m.metadata.source, m.metadata.conversation_id, m.metadata.fact_key ?? null]).sort()).toEqual([
      ["Prefers text messages.", "import", "import", "contact_preference"],
      ["Talked about her garden at length.", "import", "import", null],
    ]);
  });
});
