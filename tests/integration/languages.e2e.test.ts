// Callers in their own language, over HTTP with the real local server: a Spanish and a German call,
// then each caller's next call greeted by name in their language, with the agent's language set and
// our labels in the caller notes written in it, and their memories searched in their language.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { eventually, filesUnder } from "../cli/cli-process";
import { signed, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";

const KEY = { "content-type": "application/json", "X-Workspace-Key": TEST_WORKSPACE_KEY };
const BASE_PROMPT = "You are the Lumen Line concierge.";

interface Call {
  readonly caller: string;
  readonly conversationId: string;
  /** `metadata.main_language`, or undefined to leave it out (then it is identified from what the caller said). */
  readonly mainLanguage: string | undefined;
  readonly name: string;
  readonly summary: string;
  readonly turns: readonly [role: "agent" | "user", message: string][];
}

const SPANISH: Call = {
  caller: "+15550100171",
  conversationId: "conv_lang_es_1",
  mainLanguage: "es",
  name: "Lucía Fernández",
  summary: "La clienta pidió cambiar su reserva al sábado por la noche y dijo que ahora es vegetariana.",
  turns: [
    ["agent", "¡Hola! Gracias por llamar a Lumen Line. ¿En qué puedo ayudarle?"],
    ["user", "Hola, buenas tardes. Me llamo Lucía Fernández y quería cambiar mi reserva para el sábado por la noche."],
    ["agent", "Claro que sí. ¿Para cuántas personas?"],
    ["user", "Para cuatro personas. Y otra cosa: ahora soy vegetariana, así que necesito opciones sin carne."],
  ],
};

const GERMAN: Call = {
  caller: "+15550100172",
  conversationId: "conv_lang_de_1",
  mainLanguage: undefined,
  name: "Jonas Weber",
  summary: "Der Anrufer möchte seine Tischreservierung auf Freitagabend verschieben und bevorzugt Rückrufe am Vormittag.",
  turns: [
    ["agent", "Guten Tag, Lumen Line, wie kann ich Ihnen helfen?"],
    ["user", "Guten Tag, hier spricht Jonas Weber. Ich möchte meine Tischreservierung auf Freitagabend verschieben, bitte."],
    ["agent", "Sehr gern. Soll ich Sie zur Bestätigung zurückrufen?"],
    ["user", "Ja, aber bitte nur vormittags, nachmittags bin ich immer in Besprechungen."],
  ],
};

/** The fixture call rewritten as a call in another language: turns, summary, collected name and `main_language`. */
function transcriptionIn(call: Call): string {
  const event = JSON.parse(transcriptionFor({ conversationId: call.conversationId, callerId: call.caller })) as {
    data: {
      transcript: Record<string, unknown>[];
      metadata: Record<string, unknown>;
      analysis: { transcript_summary: string; data_collection_results: Record<string, { value: unknown }> };
    };
  };
  const template = event.data.transcript[0] ?? {};
  event.data.transcript = call.turns.map(([role, message], i) => ({ ...template, role, message, time_in_call_secs: i * 5 }));
  if (call.mainLanguage === undefined) delete event.data.metadata.main_language;
  else event.data.metadata.main_language = call.mainLanguage;
  event.data.analysis.transcript_summary = call.summary;
  event.data.analysis.data_collection_results = { caller_name: { ...event.data.analysis.data_collection_results.caller_name, value: call.name } };
  return JSON.stringify(event);
}

let server: ServerProcess;

async function post(path: string, body: string, headers: Record<string, string> = KEY): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.baseUrl}${path}`, { method: "POST", body, headers });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

interface ClientData {
  dynamic_variables: Record<string, string>;
  conversation_config_override?: { agent: { first_message?: string; language?: string; prompt?: { prompt: string } } };
}

beforeAll(async () => {
  server = await startServerProcess({ env: { AGENT_OVERRIDES: "first_message,prompt,language", AGENT_BASE_PROMPT: BASE_PROMPT, AGENT_LANGUAGE: "en" } });
  for (const call of [SPANISH, GERMAN]) {
    const body = transcriptionIn(call);
    expect((await post("/post-call", body, signed(body, TEST_HMAC_KEY))).status).toBe(200);
  }
  const done = await eventually(async () => filesUnder(join(server.dataDir, "processed", "post_call_transcription")).length, (n) => n === 2, 10_000);
  expect(done).toBe(2);
});
afterAll(async () => {
  await server.kill();
});

describe("callers in their own language", () => {
  it.each([
    [SPANISH, "es", "¡Hola, Lucía! Qué gusto volver a saber de usted. ¿En qué puedo ayudarle?", /- \[\d{1,2} de [a-z]+ de \d{4}\] \(dato\) /u],
    [GERMAN, "de", "Hallo Jonas, schön, dass Sie wieder anrufen! Wie kann ich Ihnen helfen?", /- \[\d{1,2}\. [A-Za-zä]+ \d{4}\] \(Fakt\) /u],
  ])("greets the %#th caller by name in their language, tells the agent to speak it, and labels the notes in it", async (call, language, greeting, noteLine) => {
    const next = (await post("/client-data", JSON.stringify({ caller_id: call.caller }))).json as unknown as ClientData;

    expect(next.dynamic_variables).toMatchObject({ returning_caller: "yes", caller_name: call.name.split(" ")[0] });
    expect(next.conversation_config_override?.agent.first_message).toBe(greeting);
    expect(next.conversation_config_override?.agent.language).toBe(language);
    expect(next.conversation_config_override?.agent.prompt?.prompt).toMatch(noteLine);
  });

  it("heads each conversation passage and names the speakers in the caller's language, the words kept as said", async () => {
    const spanish = (await post("/retrieve", JSON.stringify({ query: "reserva sábado", user_id: SPANISH.caller, type: "semantic" }))).json.memories as { memory: string }[];
    const german = (await post("/retrieve", JSON.stringify({ query: "Tischreservierung Freitagabend", user_id: GERMAN.caller, type: "semantic" }))).json.memories as { memory: string }[];

    expect(spanish[0]?.memory).toMatch(/^Llamada del \d{1,2} de [a-z]+ de \d{4}:\nAgente: ¡Hola! Gracias por llamar a Lumen Line\./u);
    expect(spanish[0]?.memory).toContain("\nCliente: Hola, buenas tardes. Me llamo Lucía Fernández y quería cambiar mi reserva para el sábado por la noche.");
    expect(german[0]?.memory).toMatch(/^Anruf vom \d{1,2}\. [A-Za-zä]+ \d{4}:\nMitarbeiter: Guten Tag, Lumen Line/u);
    expect(german[0]?.memory).toContain("\nAnrufer: Guten Tag, hier spricht Jonas Weber.");
  });

  it("finds each caller's fact when the agent asks with another form of the caller's words, in their language", async () => {
    const spanish = (await post("/retrieve", JSON.stringify({ query: "¿Sigue siendo vegetariano?", user_id: SPANISH.caller }))).json.memories as { memory: string }[];
    const german = (await post("/retrieve", JSON.stringify({ query: "Wann hat er Besprechung?", user_id: GERMAN.caller }))).json.memories as { memory: string }[];

    expect(spanish[0]?.memory).toContain("vegetariana");
    expect(german[0]?.memory).toContain("nachmittags bin ich immer in Besprechungen");
  });

  it("greets a new caller, and a caller whose language has no greetings, in the operator's default language", async () => {
    const fresh = (await post("/client-data", JSON.stringify({ caller_id: "+15550100173" }))).json as unknown as ClientData;

    expect(fresh.conversation_config_override?.agent.first_message).toBe("Hello! Thanks for calling. How can I help you today?");
    expect(fresh.conversation_config_override?.agent.language).toBe("en");
  });
});
