import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { translatePostCall } from "../../../adapters/inbound/elevenlabs/post-call-translator";
import { classifyConversation, statesCallerName } from "../../../domain/memory-classification";
import type { Conversation } from "../../../domain/conversation";
import type { MemoryDraft, MemorySource } from "../../../domain/memory";

const CALLER = "+15550100123";
const CONVERSATION_ID = "conv_5201kfx7demo0conv0fixt00001a";
const AGENT_ID = "agent_4801kfx7demo0agent0fixt0001a";
const SEED_TIMESTAMP = 1767268900;

function parseFixture(name: string): Conversation {
  const payload: unknown = JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8"));
  const parsed = translatePostCall(payload, { fallbackTimestamp: SEED_TIMESTAMP });
  if (!parsed.ok) throw new Error(`fixture ${name} did not parse: ${parsed.error.message}`);
  return parsed.value;
}

/** The transcription fixture with some fields changed. */
function transcriptionWith(changes: Partial<Conversation>): Conversation {
  return { ...parseFixture("post-call-transcription.json"), ...changes };
}

const factual = (drafts: readonly MemoryDraft[]): MemoryDraft[] => drafts.filter((draft) => draft.metadata.type === "factual");
const semantic = (drafts: readonly MemoryDraft[]): MemoryDraft[] => drafts.filter((draft) => draft.metadata.type === "semantic");

describe("classifyConversation: the transcription fixture", () => {
  const conversation = parseFixture("post-call-transcription.json");

  it("keeps the summary, data-collection results and the caller's name as factual memories", () => {
    const drafts = classifyConversation(conversation);

    expect(factual(drafts).map(({ key, text, metadata }) => [key, metadata.source, text])).toEqual([
      [
        `${CONVERSATION_ID}:summary:0`,
        "summary",
        "Returning caller Marisol Quenby asked to move last week's dinner booking to Saturday at around 7:30 pm for five people " +
          "instead of four, as her sister is joining. She said she is now vegetarian, that her sister uses a wheelchair so the " +
          "venue must be step-free, and that she prefers text messages to calls. The agent confirmed the details and promised " +
          "to text two options within the hour.",
      ],
      [`${CONVERSATION_ID}:data_collection:0`, "data_collection", "Caller name: Marisol Quenby"],
      [`${CONVERSATION_ID}:data_collection:1`, "data_collection", "Dietary preference: vegetarian"],
      [`${CONVERSATION_ID}:data_collection:2`, "data_collection", "Contact preference: text"],
      [`${CONVERSATION_ID}:data_collection:3`, "data_collection", "Party size: 5"],
      [`${CONVERSATION_ID}:caller_name:0`, "caller_name", "The caller's name is Marisol Quenby."],
    ]);
  });

  it("leaves the evaluation rationales, notes about the agent, out of the caller's memories", () => {
    const drafts = classifyConversation(conversation);

    expect(conversation.evaluations).toHaveLength(2);
    expect(drafts.some((draft) => draft.metadata.source === "evaluation")).toBe(false);
    for (const { rationale } of conversation.evaluations) {
      expect(drafts.some((draft) => draft.text.includes(rationale))).toBe(false);
    }
  });

  it("chunks the 12 turns into 3 semantic memories stamped with the call date", () => {
    const drafts = semantic(classifyConversation(conversation));

    expect(drafts.map((draft) => draft.key)).toEqual([0, 1, 2].map((index) => `${CONVERSATION_ID}:conversation:${index}`));
    expect(drafts.every((draft) => draft.text.startsWith("Call on 2026-01-01:\n"))).toBe(true);
    expect(drafts[0]?.text).toBe(
      [
        "Call on 2026-01-01:",
        "Agent: Hi Marisol, welcome back to Lumen Line! What can I do for you today?",
        "Caller: Hi! Yes, it's Marisol Quenby. I called last week about the dinner booking.",
        "Agent: Welcome back, Marisol. One second while I pull up your notes.",
        "Agent: I see we set up a table for four last week. What would you like to change?",
      ].join("\n"),
    );
    expect(drafts[2]?.messages).toEqual([
      { role: "user", content: "Around seven thirty. My sister uses a wheelchair, so it needs to be step-free." },
      {
        role: "assistant",
        content: "Seven thirty, step-free, vegetarian-friendly, party of five. I'll text you two options within the hour. Anything else?",
      },
      { role: "user", content: "No, that's everything. Thanks so much!" },
      { role: "assistant", content: "You're welcome, Marisol. Enjoy your Saturday!" },
    ]);
  });

  it("files every memory under the caller with the call's metadata", () => {
    const drafts = classifyConversation(conversation);

    expect(drafts).toHaveLength(9);
    for (const draft of drafts) {
      expect(draft.userId).toBe(CALLER);
      const { fact_key: _key, ...rest } = draft.metadata;
      expect(rest).toEqual({
        type: draft.metadata.source === "conversation" ? "semantic" : "factual",
        source: draft.metadata.source,
        agent_id: AGENT_ID,
        timestamp: "2026-01-01T12:01:11.000Z",
        call_duration: 61,
        conversation_id: CONVERSATION_ID,
        language: "en",
      });
    }
    expect(factual(drafts).every((draft) => draft.messages === undefined)).toBe(true);
  });

  it("keys each fact by what it is about, so a newer one supersedes it: a data-collection field by its id, the name by caller_name", () => {
    const keyed = classifyConversation(conversation).map((draft) => [draft.metadata.source, draft.metadata.fact_key ?? null, draft.text]);

    expect(keyed.filter(([source]) => source !== "conversation")).toEqual([
      ["summary", null, expect.any(String)],
      ["data_collection", "caller_name", "Caller name: Marisol Quenby"],
      ["data_collection", "dietary_preference", "Dietary preference: vegetarian"],
      ["data_collection", "contact_preference", "Contact preference: text"],
      ["data_collection", "party_size", "Party size: 5"],
      ["caller_name", "caller_name", expect.any(String)],
    ]);
    expect(keyed.filter(([source]) => source === "conversation").every(([, key]) => key === null)).toBe(true);
  });

  it("gives the same drafts, with unique keys, every time the same call is classified", () => {
    const first = classifyConversation(conversation);

    const second = classifyConversation(parseFixture("post-call-transcription.json"));

    expect(second).toEqual(first);
    expect(new Set(first.map((draft) => draft.key)).size).toBe(first.length);
  });
});

describe("classifyConversation: the seed fixture", () => {
  it("keeps the summary, the stated name and the conversation, not the rationale", () => {
    const conversation = parseFixture("post-call-seed-format.json");

    const drafts = classifyConversation(conversation);

    expect(factual(drafts).map((draft) => [draft.key, draft.text.slice(0, 40)])).toEqual([
      [`${CONVERSATION_ID}:summary:0`, "Returning caller Marisol Quenby asked to"],
      [`${CONVERSATION_ID}:caller_name:0`, "The caller's name is Marisol Quenby."],
    ]);
    expect(conversation.evaluations.map((e) => e.rationale.slice(0, 40))).toEqual(["Before closing, the agent repeated the c"]);
    expect(semantic(drafts)).toHaveLength(3);
    expect(drafts.every((draft) => draft.metadata.timestamp === "2026-01-01T12:01:40.000Z")).toBe(true);
  });
});

describe("classifyConversation: nothing to remember", () => {
  it.each(["post-call-audio.json", "call-initiation-failure.json", "call-initiation-failure.sip.json"])("writes no memories for %s", (name) => {
    const conversation = parseFixture(name);

    const drafts = classifyConversation(conversation);

    expect(drafts).toEqual([]);
  });

  it("writes no memories for a call from an anonymous number", () => {
    const payload = JSON.parse(readFileSync(new URL("../../fixtures/post-call-transcription.json", import.meta.url), "utf8")) as {
      data: { metadata: { phone_call: { external_number: string } } };
    };
    payload.data.metadata.phone_call.external_number = "anonymous";
    const parsed = translatePostCall(payload);
    if (!parsed.ok) throw parsed.error;

    const drafts = classifyConversation(parsed.value);

    expect(drafts).toEqual([]);
  });

  it.each([
    { known: false, reason: "withheld" },
    { known: false, reason: "missing" },
    { known: false, reason: "not_a_phone_number" },
  ] as const)("writes no memories for a caller without identity (%o)", (caller) => {
    const conversation = transcriptionWith({ caller });

    const drafts = classifyConversation(conversation);

    expect(drafts).toEqual([]);
  });
});

describe("classifyConversation: factual rules", () => {
  it("skips an empty summary and empty data-collection values", () => {
    const conversation = transcriptionWith({
      summary: "   ",
      evaluations: [{ criteriaId: "b", result: "unknown", rationale: "The caller was in a hurry." }],
      dataCollection: [
        { id: "caller_name", value: null, rationale: null },
        { id: "notes", value: "  ", rationale: null },
        { id: "party_size", value: 0, rationale: null },
      ],
      turns: [],
    });

    const drafts = classifyConversation(conversation);

    expect(drafts.map((draft) => [draft.key, draft.text])).toEqual([[`${CONVERSATION_ID}:data_collection:0`, "Party size: 0"]]);
  });

  it("keeps one memory when texts repeat, differing only in case or spacing", () => {
    const conversation = transcriptionWith({
      summary: "Prefers text messages.",
      evaluations: [],
      dataCollection: [
        { id: "notes", value: "Wants a step-free venue.", rationale: null },
        { id: "NOTES", value: " wants a  STEP-FREE venue. ", rationale: null },
        { id: "party_size", value: 5, rationale: null },
      ],
      turns: [],
    });

    const drafts = classifyConversation(conversation);

    expect(drafts.map((draft) => [draft.key, draft.text])).toEqual([
      [`${CONVERSATION_ID}:summary:0`, "Prefers text messages."],
      [`${CONVERSATION_ID}:data_collection:0`, "Notes: Wants a step-free venue."],
      [`${CONVERSATION_ID}:data_collection:1`, "Party size: 5"],
    ]);
  });

  it.each([
    ["caller_name", "Marisol Quenby", "Caller name: Marisol Quenby"],
    ["preferred_contact", "text message", "Preferred contact: text message"],
    ["preferredContact", "email", "Preferred contact: email"],
    ["needs-wheelchair-access", true, "Needs wheelchair access: yes"],
    ["newsletter_opt_in", false, "Newsletter opt in: no"],
    ["party_size", 5, "Party size: 5"],
    ["booking", '{"day":"Saturday"}', 'Booking: {"day":"Saturday"}'],
  ])("writes data-collection result %s = %j as %j", (id, value, expected) => {
    const conversation = transcriptionWith({ summary: null, evaluations: [], turns: [], dataCollection: [{ id, value, rationale: null }] });

    const drafts = classifyConversation(conversation);

    expect(drafts.filter((draft) => draft.metadata.source === "data_collection").map((draft) => draft.text)).toEqual([expected]);
  });

  it("writes no name memory when no name was stated", () => {
    const conversation = transcriptionWith({
      dataCollection: [],
      turns: [{ role: "user", text: "Can we move the booking to Saturday?", timeInCallSecs: 2 }],
    });

    const drafts = classifyConversation(conversation);

    expect(drafts.some((draft) => draft.metadata.source === "caller_name")).toBe(false);
  });
});

describe("classifyConversation: semantic chunks", () => {
  it.each([
    [1, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    [4, [4, 4, 4]],
    [5, [5, 5, 2]],
    [12, [12]],
    [50, [12]],
  ])("groups 12 turns %i at a time", (turnsPerChunk, sizes) => {
    const conversation = parseFixture("post-call-transcription.json");

    const chunks = semantic(classifyConversation(conversation, { turnsPerChunk }));

    expect(chunks.map((chunk) => chunk.messages?.length)).toEqual(sizes);
    expect(chunks.map((chunk) => chunk.text.split("\n").length - 1)).toEqual(sizes);
    expect(chunks.flatMap((chunk) => chunk.messages?.map((message) => message.content))).toEqual(conversation.turns.map((turn) => turn.text));
  });

  it("writes no semantic memory for a call without turns", () => {
    const conversation = transcriptionWith({ turns: [] });

    const drafts = classifyConversation(conversation);

    expect(semantic(drafts)).toEqual([]);
    expect(factual(drafts).length).toBeGreaterThan(0);
  });

  it("keeps each turn on one line of the chunk text, and verbatim in the messages", () => {
    const conversation = transcriptionWith({
      eventTimestamp: Date.UTC(2025, 11, 31, 23, 59, 59) / 1000,
      turns: [{ role: "user", text: "First line.\n  Second line.", timeInCallSecs: 1 }],
    });

    const [chunk] = semantic(classifyConversation(conversation));

    expect(chunk?.text).toBe("Call on 2025-12-31:\nCaller: First line. Second line.");
    expect(chunk?.messages).toEqual([{ role: "user", content: "First line.\n  Second line." }]);
  });

  it.each([0, -1, 2.5, Number.NaN])("refuses turnsPerChunk %s", (turnsPerChunk) => {
    const conversation = parseFixture("post-call-transcription.json");

    const classify = (): MemoryDraft[] => classifyConversation(conversation, { turnsPerChunk });

    expect(classify).toThrow(RangeError);
  });
});

describe("statesCallerName", () => {
  const stored = (source: MemorySource, memory: string) => ({
    memory,
    metadata: { type: "factual", source, agent_id: AGENT_ID, timestamp: "2026-01-01T12:01:11.000Z", call_duration: 61, conversation_id: CONVERSATION_ID },
  }) as const;

  it("recognises every name memory the fixture call becomes, and nothing else it becomes", () => {
    const drafts = classifyConversation(parseFixture("post-call-transcription.json"));

    const naming = drafts.filter((draft) => statesCallerName({ memory: draft.text, metadata: draft.metadata })).map((draft) => draft.text);

    expect(naming).toEqual(["Caller name: Marisol Quenby", "The caller's name is Marisol Quenby."]);
  });

  it.each<[MemorySource, string, boolean]>([
    ["data_collection", "Caller name: Marisol Quenby", true],
    ["data_collection", "Name: Marisol", true],
    ["data_collection", "First name: Marisol", true],
    ["caller_name", "The caller's name is Marisol.", true],
    ["data_collection", "Caller name: unknown", false],
    ["data_collection", "Restaurant name: Harbour Grill", false],
    ["data_collection", "Party size: 5", false],
    ["summary", "Caller name: Marisol Quenby", false],
    ["conversation", "Caller: my name is Marisol", false],
  ])("%s memory %j states the caller's name: %s", (source, text, expected) => {
    expect(statesCallerName(stored(source, text))).toBe(expected);
  });
});

describe("classifyConversation in the caller's language", () => {
  const spanish = (language: string | null): Conversation => ({
    ...parseFixture("post-call-transcription.json"),
    language,
    dataCollection: [],
    turns: [
      { role: "agent", text: "¡Hola! Gracias por llamar. ¿En qué puedo ayudarle?", timeInCallSecs: 0 },
      { role: "user", text: "Hola, buenas. Soy Lucía, quería cambiar mi reserva del sábado.", timeInCallSecs: 4 },
    ],
  });

  it("reads the name with the call's language's rules, labels the passage in it, and keeps what was said", () => {
    const drafts = classifyConversation(spanish("es"));

    expect(drafts.find((d) => d.metadata.source === "caller_name")?.metadata.fact_key).toBe("caller_name");
    expect(drafts.filter((d) => d.metadata.source === "caller_name").map((d) => d.text)).toEqual([expect.stringContaining("Lucía")]);
    expect(drafts.find((d) => d.metadata.source === "conversation")?.text).toBe(
      "Llamada del 1 de enero de 2026:\nAgente: ¡Hola! Gracias por llamar. ¿En qué puedo ayudarle?\nCliente: Hola, buenas. Soy Lucía, quería cambiar mi reserva del sábado.",
    );
  });

  it("files every memory of the call under its language, so it is searched in it, and none when the language is unknown", () => {
    expect(classifyConversation(spanish("es")).map((d) => d.metadata.language)).toEqual(["es", "es", "es"]);
    expect(classifyConversation(spanish(null)).every((d) => !("language" in d.metadata))).toBe(true);
  });

  it("takes no weak Spanish cue as a name when the call's language is unknown", () => {
    expect(classifyConversation(spanish(null)).filter((d) => d.metadata.source === "caller_name")).toEqual([]);
  });
});
