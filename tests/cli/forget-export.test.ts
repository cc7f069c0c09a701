import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboxEventId } from "../../application/ports/event-inbox.port";
import { FsEventInbox } from "../../adapters/outbound/embedded/fs-event-inbox";
import { transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";
import { audioFor, cli, clientData, deliver, eventually, filesUnder, jsonOf, retrieve, tempDir } from "./cli-process";

// Two callers with neighbouring numbers: forgetting one must leave the other whole. (A number that
// starts with all of Marisol's cannot call any more: every +1 number has ten digits after the 1. The
// archive contract and the caller-data-rights tests keep checking such prefix twins.)
const MARISOL = "+15550100123";
const NEIGHBOUR = "+15550100124";

describe("agentic-memory forget and export, against a running local server", () => {
  let server: ServerProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startServerProcess();
    env = { DATA_DIR: server.dataDir, ELEVENLABS_WORKSPACE_KEY: TEST_WORKSPACE_KEY, ELEVENLABS_HMAC_KEY: TEST_HMAC_KEY };
    // Marisol's audio first (it waits for its transcription), then both transcriptions.
    expect(await deliver(server.baseUrl, TEST_HMAC_KEY, audioFor("conv_marisol"))).toBe(200);
    expect(await deliver(server.baseUrl, TEST_HMAC_KEY, transcriptionFor({ conversationId: "conv_marisol", callerId: MARISOL }))).toBe(200);
    expect(await deliver(server.baseUrl, TEST_HMAC_KEY, transcriptionFor({ conversationId: "conv_neighbour", callerId: NEIGHBOUR }))).toBe(200);
    // Every event ingested: archived, remembered and marked done.
    await eventually(async () => filesUnder(join(server.dataDir, "processed")).length, (n) => n === 3);
  });
  afterAll(async () => {
    await server.kill();
  });

  it("exports one caller's memories, transcripts and recordings as one JSON document, and nobody else's", async () => {
    const run = await cli(["export", "+1 (555) 010-0123"], env);
    const document = jsonOf<{
      caller_id: string;
      exported_at: string;
      memories: { memory: string; user_id: string }[];
      transcripts: { key: string; conversation: { data: { conversation_id: string } }; evaluation: { criteria_id: string; result: string }[] }[];
      audio: string[];
    }>(run);

    expect(run.code).toBe(0);
    expect(document.caller_id).toBe(MARISOL);
    expect(Date.parse(document.exported_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(document.memories.length).toBeGreaterThan(0);
    expect(document.memories.every((m) => m.user_id === MARISOL)).toBe(true);
    expect(document.memories.some((m) => m.memory.toLowerCase().includes("vegetarian"))).toBe(true);
    expect(document.transcripts.map((t) => [t.key, t.conversation.data.conversation_id])).toEqual([
      ["transcripts/+15550100123/conv_marisol_1767268871.json", "conv_marisol"],
    ]);
    expect(document.audio).toEqual(["audio/+15550100123/conv_marisol_1767268873.mp3"]);
    // How the agent did is in the call record, not among the caller's memories.
    expect(document.transcripts[0]?.evaluation.map((e) => [e.criteria_id, e.result])).toEqual([
      ["caller_identified", "success"],
      ["request_confirmed_back", "success"],
    ]);
    expect(document.memories.filter((m) => /the agent (addressed|repeated)/.test(m.memory))).toEqual([]);
  });

  it("writes the export to a file only its owner can read with --out", async () => {
    const out = join(tempDir(), "neighbour.json");

    const run = await cli(["export", NEIGHBOUR, "--out", out], env);
    const document = JSON.parse(readFileSync(out, "utf8")) as { caller_id: string; transcripts: { key: string }[]; audio: string[] };

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(out);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(document.caller_id).toBe(NEIGHBOUR);
    expect(document.transcripts.map((t) => t.key)).toEqual(["transcripts/+15550100124/conv_neighbour_1767268871.json"]);
    expect(document.audio).toEqual([]);
  });

  it.each([["abc"], ["anonymous"], ["+123"], [""]])("refuses %j as a caller with exit code 2 and erases nothing", async (raw) => {
    const before = filesUnder(server.dataDir);

    const run = await cli(["forget", raw], env);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a phone number|missing/);
    expect(filesUnder(server.dataDir)).toEqual(before);
  });

  it("erases one caller everywhere while the server runs, reports what went, and leaves the neighbour whole", async () => {
    const neighbourBefore = await clientData(server.baseUrl, TEST_WORKSPACE_KEY, NEIGHBOUR);

    const run = await cli(["forget", MARISOL, "--json"], env);
    const report = jsonOf<{ caller_id: string; memories: number; transcripts: number; audio: number; inbox_events: number }>(run);
    const files = filesUnder(server.dataDir);

    expect(run.code).toBe(0);
    expect(report).toMatchObject({ caller_id: MARISOL, transcripts: 1, audio: 1, inbox_events: 2 });
    expect(report.memories).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/inbox: checking/);
    // Nothing of Marisol is left, not even a folder named after her number.
    expect(files.filter((f) => f.includes("conv_marisol") || f.includes("+15550100123/"))).toEqual([]);
    expect(existsSync(join(server.dataDir, "archive", "transcripts", MARISOL))).toBe(false);
    expect(existsSync(join(server.dataDir, "archive", "audio", MARISOL))).toBe(false);
    expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, MARISOL)).variables).toMatchObject({ returning_caller: "no", memory_count: "0" });
    expect(await retrieve(server.baseUrl, TEST_WORKSPACE_KEY, MARISOL, "vegetarian")).toEqual([]);
    // The neighbour is untouched.
    expect(files).toContain(join("archive", "transcripts", NEIGHBOUR, "conv_neighbour_1767268871.json"));
    expect(files).toContain(join("processed", "post_call_transcription", "conv_neighbour.json"));
    expect(await clientData(server.baseUrl, TEST_WORKSPACE_KEY, NEIGHBOUR)).toEqual(neighbourBefore);
    expect(neighbourBefore.variables.returning_caller).toBe("yes");
  });

  it("reports zeros when run again", async () => {
    const run = await cli(["forget", MARISOL], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Forgot ${MARISOL}: 0 memories, 0 transcript(s), 0 recording(s), 0 stored event(s) removed.\n`);
  });
});

describe("agentic-memory forget, over events still waiting or parked as failed", () => {
  it("removes the caller's pending and failed events and the recording of their conversation, and nobody else's", async () => {
    const dataDir = tempDir();
    const inbox = new FsEventInbox(dataDir);
    const event = (eventType: "post_call_transcription" | "post_call_audio", conversationId: string, rawBody: string) => ({
      id: inboxEventId(eventType, conversationId),
      eventType,
      conversationId,
      receivedAt: 1_767_268_900,
      rawBody,
    });
    const mine = event("post_call_transcription", "conv_pending", transcriptionFor({ conversationId: "conv_pending", callerId: MARISOL }));
    const myAudio = event("post_call_audio", "conv_pending", audioFor("conv_pending"));
    const myFailed = event("post_call_transcription", "conv_failed", transcriptionFor({ conversationId: "conv_failed", callerId: MARISOL }));
    const theirs = event("post_call_transcription", "conv_theirs", transcriptionFor({ conversationId: "conv_theirs", callerId: NEIGHBOUR }));
    const strayAudio = event("post_call_audio", "conv_unknown", audioFor("conv_unknown"));
    for (const e of [mine, myAudio, myFailed, theirs, strayAudio]) await inbox.store(e);
    await inbox.markFailed(myFailed.id, "Mem0 answered 500 five times", 1_767_270_000);
    await inbox.markFailed(theirs.id, "Mem0 answered 500 five times", 1_767_270_000);

    const run = await cli(["forget", MARISOL, "--json"], { DATA_DIR: dataDir });

    expect(run.code).toBe(0);
    expect(jsonOf<{ inbox_events: number; removed: { inbox_events: string[] } }>(run).removed.inbox_events.sort()).toEqual(
      [mine.id, myAudio.id, myFailed.id].sort(),
    );
    expect(await inbox.listPending()).toEqual([strayAudio.id]);
    expect((await inbox.listFailed()).map((f) => f.id)).toEqual([theirs.id]);
  });

  it("reads national numbers in DEFAULT_REGION, on the command line and in stored events that name no number of ours", async () => {
    // Prepare: a SIP-style event whose caller is national and which names neither agent_number nor system__called_number.
    const dataDir = tempDir();
    const inbox = new FsEventInbox(dataDir);
    const body = JSON.parse(transcriptionFor({ conversationId: "conv_national", callerId: "(555) 010-0123" })) as {
      data: { metadata: { phone_call: Record<string, unknown> }; conversation_initiation_client_data: { dynamic_variables: Record<string, unknown> } };
    };
    delete body.data.metadata.phone_call.agent_number;
    delete body.data.conversation_initiation_client_data.dynamic_variables.system__called_number;
    const id = inboxEventId("post_call_transcription", "conv_national");
    await inbox.store({ id, eventType: "post_call_transcription", conversationId: "conv_national", receivedAt: 1_767_268_900, rawBody: JSON.stringify(body) });

    // Act
    const unset = await cli(["forget", "555 010 0123"], { DATA_DIR: dataDir });
    const run = await cli(["forget", "555 010 0123", "--json"], { DATA_DIR: dataDir, DEFAULT_REGION: "US" });

    // Assess
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain("DEFAULT_REGION");
    expect(run.code).toBe(0);
    expect(jsonOf<{ caller_id: string; removed: { inbox_events: string[] } }>(run)).toMatchObject({ caller_id: MARISOL, removed: { inbox_events: [id] } });
    expect(await inbox.listPending()).toEqual([]);
  });

  it("refuses to work on a DATA_DIR that does not exist instead of creating an empty one", async () => {
    const missing = join(tempDir(), "not-here");

    const run = await cli(["forget", MARISOL], { DATA_DIR: missing });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`DATA_DIR ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
  });
});
