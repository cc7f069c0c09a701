// The ConversationReader port as the application uses it: a stored body in, a Conversation or the
// reason an event is parked out; and wired by the composition root wherever a use case reads events.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ElevenLabsConversationReader } from "../../../adapters/inbound/elevenlabs/elevenlabs-conversation-reader";
import { buildFunctionScope } from "../../../adapters/composition-root";
import { loadEnv } from "../../../adapters/config";
import { FsEventInbox } from "../../../adapters/outbound/embedded/fs-event-inbox";
import { inboxEventId } from "../../../application/ports/event-inbox.port";
import { parseRegion, type Region } from "../../../domain/caller-id";
import { fixture, fixtureText } from "../../support/fixtures";

const reader = new ElevenLabsConversationReader();
const US = parseRegion("US") as Region;

describe("ElevenLabsConversationReader", () => {
  it("reads a stored transcription as its conversation", async () => {
    const conversation = await reader.read(fixtureText("post-call-transcription.json"), { defaultRegion: null });

    expect(conversation).toMatchObject({ eventType: "post_call_transcription", caller: { known: true, callerId: "+15550100123" }, eventTimestamp: 1767268871 });
  });

  it("gives a seed event the time it was received", async () => {
    const conversation = await reader.read(fixtureText("post-call-seed-format.json"), { fallbackTimestamp: 1767268900, defaultRegion: null });

    expect(conversation).toMatchObject({ eventType: "post_call_transcription", eventTimestamp: 1767268900 });
  });

  it("reads a national caller id in the default region when the event names no number of ours", async () => {
    const seed = { ...fixture("post-call-seed-format.json"), metadata: { phone_call: { external_number: "5550100123" } } };

    const withRegion = await reader.read(JSON.stringify(seed), { fallbackTimestamp: 1767268900, defaultRegion: US });
    const withoutRegion = await reader.read(JSON.stringify(seed), { fallbackTimestamp: 1767268900, defaultRegion: null });

    expect(withRegion).toMatchObject({ caller: { known: true, callerId: "+15550100123" } });
    expect(withoutRegion).toMatchObject({ caller: { known: false, reason: "national_number" } });
  });

  it("keeps the language the event names, and identifies it from the caller's turns when the event names none", async () => {
    const named = fixture<{ data: { metadata: { main_language?: string }; transcript: { role: string; message: string | null }[] } }>("post-call-transcription.json");
    const unnamed = structuredClone(named);
    delete unnamed.data.metadata.main_language;
    const spanish = structuredClone(unnamed);
    for (const turn of spanish.data.transcript) {
      if (turn.role === "user") turn.message = "Hola, buenas tardes, quería cambiar mi reserva para el sábado por la noche porque mi hermana viene con nosotros.";
    }

    expect(await reader.read(JSON.stringify({ ...named, data: { ...named.data, metadata: { ...named.data.metadata, main_language: "de" } } }), { defaultRegion: null })).toMatchObject({ language: "de" });
    expect(await reader.read(JSON.stringify(unnamed), { defaultRegion: null })).toMatchObject({ language: "en" });
    expect(await reader.read(JSON.stringify(spanish), { defaultRegion: null })).toMatchObject({ language: "es" });
  });

  it.each([
    ["a body that is not JSON", "{ not json", "stored body is not JSON"],
    ["an event type we do not ingest", JSON.stringify({ type: "answering_machine_detection", data: {} }), /^UNSUPPORTED_EVENT: type "answering_machine_detection"/],
    ["a malformed field, named by its path", JSON.stringify({ ...fixture("post-call-audio.json"), event_timestamp: "soon" }), "INVALID_PAYLOAD: event_timestamp must be a number"],
    ["a seed event without a time of its own or a fallback", fixtureText("post-call-seed-format.json"), /^INVALID_PAYLOAD: event_timestamp is required/],
  ])("answers why it cannot read %s", async (_label, body, reason) => {
    const read = await reader.read(body, { defaultRegion: null });

    expect(read).toEqual(expect.stringMatching(reason));
  });

  it("is wired into the worker by the composition root: a stored transcription is read and ingested", async () => {
    // Prepare
    const env = loadEnv({ DATA_DIR: mkdtempSync(join(tmpdir(), "conversation-reader-")) });
    const scope = await buildFunctionScope("worker", env);
    const id = inboxEventId("post_call_transcription", "conv_5201kfx7demo0conv0fixt00001a");
    await new FsEventInbox(env.DATA_DIR).store({
      id,
      eventType: "post_call_transcription",
      conversationId: "conv_5201kfx7demo0conv0fixt00001a",
      receivedAt: 1767268872,
      rawBody: fixtureText("post-call-transcription.json"),
    });

    // Act
    const outcome = await scope.ingestEvent.execute(id);

    // Assess
    expect(outcome).toMatchObject({ status: "ingested", archived: ["transcripts/+15550100123/conv_5201kfx7demo0conv0fixt00001a_1767268871.json"] });
    await scope.close();
  });
});
