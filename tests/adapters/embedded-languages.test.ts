// The embedded store searches each caller in their own language: a fact is found by another form of
// its words (stemmed as its language inflects them), and without its accents.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteMemoryStore } from "../../adapters/outbound/embedded/sqlite-memory-store";
import type { CallerId } from "../../domain/caller-id";
import type { Conversation } from "../../domain/conversation";
import type { MemoryDraft } from "../../domain/memory";
import { classifyConversation } from "../../domain/memory-classification";
import { draft } from "../contract/memory-store.contract";

const CALLER = "+15550100131" as CallerId;
const OTHER = "+15550100132" as CallerId;

let sequence = 0;
/** One call in a language, as ingestion stores it: each line the caller said, in passages headed in that language. */
function call(callerId: CallerId, language: string | null, callerLines: readonly string[], day = "2026-02-01"): Conversation {
  sequence += 1;
  return {
    eventType: "post_call_transcription",
    conversationId: `conv_languages_${sequence}`,
    agentId: "agent_fixture",
    caller: { known: true, callerId },
    eventTimestamp: Date.parse(`${day}T10:00:00Z`) / 1000,
    durationSecs: 90,
    turns: callerLines.map((text, i) => ({ role: "user" as const, text, timeInCallSecs: i * 10 })),
    summary: null,
    evaluations: [],
    dataCollection: [],
    audioBase64: null,
    failureReason: null,
    language,
  };
}

const stores: SqliteMemoryStore[] = [];
const tempPath = () => join(mkdtempSync(join(tmpdir(), "agentic-memory-languages-")), "memories.db");
function openStore(path = tempPath()): SqliteMemoryStore {
  const store = new SqliteMemoryStore(path);
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** Each call's passages; the fact and another line said in the same language, in calls of their own. */
async function callsIn(store: SqliteMemoryStore, language: string | null, fact: string, other: string): Promise<void> {
  await store.add(classifyConversation(call(CALLER, language, [other], "2026-01-10")));
  await store.add(classifyConversation(call(CALLER, language, [fact], "2026-01-20")));
}

describe("searching in the caller's language", () => {
  it.each([
    ["es", "Reservé una mesa para cuatro el sábado.", "reservas", "Hablamos del menú de postres y del aparcamiento."],
    ["fr", "Nous avons réservé une table près de la fenêtre.", "réservation", "Il a demandé le menu des desserts et le parking."],
    ["fr", "Ma femme est végétarienne depuis cette année.", "végétarien", "Il a demandé le menu des desserts et le parking."],
    ["de", "Ich möchte die Tische verschieben.", "Tisch", "Ich habe nach dem Parkplatz und den Desserts gefragt."],
    ["de", "Nachmittags bin ich immer in Besprechungen.", "Besprechung", "Ich habe nach dem Parkplatz und den Desserts gefragt."],
    ["it", "Ho prenotato un tavolo per due persone.", "prenotazione", "Ho chiesto del parcheggio e dei dolci."],
    ["pt", "Reservei uma mesa para amanhã à noite.", "reservas", "Perguntei pelo estacionamento e pelas sobremesas."],
    ["nl", "Ik heb twee reserveringen voor vrijdag.", "reservering", "Ik vroeg naar het parkeren en de desserts."],
    ["pl", "Zarezerwowałam stolik na sobotę wieczorem.", "sobota", "Pytałam o parking i o desery."],
    ["pl", "Czy jest wolny stolik przy oknie?", "stolika", "Pytałam o parking i o desery."],
    ["es", "Nos vemos en el café de la esquina.", "cafe", "Hablamos del menú de postres y del aparcamiento."],
    ["de", "Wir treffen uns im Café am Markt.", "Cafe", "Ich habe nach dem Parkplatz und den Desserts gefragt."],
  ])("finds what a caller said in %s (%j) by another form of its words (%j)", async (language, fact, query, other) => {
    const store = openStore();
    await callsIn(store, language, fact, other);

    const found = await store.search({ userId: CALLER, query, limit: 5 });

    expect(found[0]?.memory).toContain(fact);
    expect(found.some((m) => m.memory.includes(other))).toBe(false);
    expect(found[0]?.metadata.language).toBe(language);
  });

  it("keeps what was said as said, and reads a memory of no known language in English, as the store did before", async () => {
    const store = openStore();
    await callsIn(store, null, "Reservé una mesa para cuatro el sábado.", "Hablamos del menú de postres y del aparcamiento.");

    expect(await store.search({ userId: CALLER, query: "reservas", limit: 5 })).toEqual([]);
    expect((await store.search({ userId: CALLER, query: "reservé", limit: 5 }))[0]?.memory).toContain("Reservé una mesa para cuatro el sábado.");
  });

  it("reads a fact stored without a language (remembered during a call) in the caller's language, and in English", async () => {
    const store = openStore();
    await store.add(classifyConversation(call(CALLER, "es", ["Soy vegetariana y vengo con mi hija."])));
    await store.add([
      draft(CALLER, "Reservó el salón para el cumpleaños de su hija.", { source: "remember", factKey: "booking" }),
      draft(CALLER, "Allergic to peanuts.", { source: "remember", factKey: "allergy" }),
    ]);

    const booking = await store.search({ userId: CALLER, query: "reservas", limit: 3 });
    const allergy = await store.search({ userId: CALLER, query: "what makes her ill", limit: 3 });

    expect(booking[0]?.memory).toBe("Reservó el salón para el cumpleaños de su hija.");
    expect(allergy[0]?.memory).toBe("Allergic to peanuts.");
  });

  it("finds a caller's fact by another form of its words among more memories than it reads whole, and only that caller's", async () => {
    const store = openStore();
    const spanish = (d: MemoryDraft): MemoryDraft => ({ ...d, metadata: { ...d.metadata, language: "es" } });
    const chatter = Array.from({ length: 1_100 }, (_, i) =>
      draft(CALLER, `Preguntó por el horario del brunch número ${i}.`, { type: "semantic", timestamp: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() }),
    );
    await store.add([...chatter.map(spanish), spanish(draft(CALLER, "Reservé una mesa para cuatro.", { timestamp: "2025-06-01T10:00:00.000Z" }))]);
    await store.add([spanish(draft(OTHER, "Reservé una mesa para dos."))]);

    const found = await store.search({ userId: CALLER, query: "reservas", limit: 5 });

    expect(found[0]?.memory).toBe("Reservé una mesa para cuatro.");
    expect(found.every((m) => m.user_id === CALLER)).toBe(true);
    await store.forget(CALLER);
    expect(await store.search({ userId: CALLER, query: "reservas", limit: 5 })).toEqual([]);
    expect((await store.search({ userId: OTHER, query: "reservas", limit: 5 }))[0]?.memory).toBe("Reservé una mesa para dos.");
  });

  it("opens a store written before languages: its memories are still found in English, and new calls in their language", async () => {
    const path = tempPath();
    const before = new Database(path);
    before.exec(`
      CREATE TABLE memories (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, draft_key TEXT NOT NULL,
        memory TEXT NOT NULL, metadata TEXT NOT NULL, timestamp TEXT NOT NULL, UNIQUE (user_id, draft_key));
      CREATE VIRTUAL TABLE memories_fts USING fts5(memory, content = 'memories', content_rowid = 'rowid', tokenize = 'porter unicode61 remove_diacritics 2');
      CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN INSERT INTO memories_fts (rowid, memory) VALUES (new.rowid, new.memory); END;
    `);
    const stored = draft(CALLER, "Dietary requirements: vegan", { source: "data_collection" });
    before
      .prepare(`INSERT INTO memories (id, user_id, draft_key, memory, metadata, timestamp) VALUES (?, ?, ?, ?, ?, ?)`)
      .run("mem_before", CALLER, stored.key, stored.text, JSON.stringify(stored.metadata), stored.metadata.timestamp);
    before.close();

    const store = openStore(path);
    await store.add(classifyConversation(call(CALLER, "de", ["Nachmittags bin ich immer in Besprechungen."])));

    expect((await store.search({ userId: CALLER, query: "what does she eat", limit: 3 }))[0]?.memory).toBe("Dietary requirements: vegan");
    expect((await store.search({ userId: CALLER, query: "Besprechung", limit: 3 }))[0]?.memory).toContain("in Besprechungen");
  });
});
