import { callerProfiles } from "../application/support/harness";
import { InMemoryCallerProfileStore } from "../fakes/in-memory-caller-profile-store";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IngestEvent } from "../../application/use-cases/ingest-event.use-case";
import { SweepInbox } from "../../application/use-cases/sweep-inbox.use-case";
import { ElevenLabsAudioSource, NO_AUDIO_SOURCE } from "../../adapters/outbound/elevenlabs/elevenlabs-audio-source";
import { FsConversationArchive } from "../../adapters/outbound/embedded/fs-conversation-archive";
import { FsEventInbox } from "../../adapters/outbound/embedded/fs-event-inbox";
import { FixedClock } from "../fakes/fixed-clock";
import { InMemoryMemoryStore } from "../fakes/in-memory-memory-store";
import { startElevenLabsStandIn, type ElevenLabsStandIn } from "../support/elevenlabs-stand-in";
import { fixtureText } from "../support/fixtures";
import { ElevenLabsConversationReader } from "../../adapters/inbound/elevenlabs/elevenlabs-conversation-reader";

const reader = new ElevenLabsConversationReader();

const MP3 = Uint8Array.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0xff, 0xfb, 0x90, 0x64]);

let elevenlabs: ElevenLabsStandIn;

beforeAll(async () => {
  elevenlabs = await startElevenLabsStandIn();
});

afterAll(async () => {
  await elevenlabs?.close();
});

describe("ElevenLabsAudioSource against a stand-in of the ElevenLabs API", () => {
  let source: ElevenLabsAudioSource;
  beforeEach(() => {
    elevenlabs.setDelay(0);
    source = new ElevenLabsAudioSource({ apiKey: elevenlabs.apiKey, host: `${elevenlabs.host}/` });
  });

  it("returns a conversation's recording byte for byte, asked at the documented path with the key", async () => {
    // Prepare
    elevenlabs.setAudio("conv_el_1", MP3);
    const before = elevenlabs.requests.length;

    // Act
    const bytes = await source.fetch("conv_el_1");

    // Assess
    expect(source.enabled).toBe(true);
    expect(bytes).toEqual(MP3);
    expect(elevenlabs.requests.slice(before)).toEqual([{ method: "GET", path: "/v1/convai/conversations/conv_el_1/audio", apiKey: elevenlabs.apiKey }]);
  });

  it("reads a key given as a reader when the first recording is fetched, not before", async () => {
    // Prepare: the key as the sweep gives it, read from SSM on first use.
    elevenlabs.setAudio("conv_el_lazy", MP3);
    let reads = 0;
    const lazy = new ElevenLabsAudioSource({ apiKey: () => ((reads += 1), Promise.resolve(elevenlabs.apiKey)), host: elevenlabs.host });
    const readsAtStart = reads;

    // Act
    const bytes = await lazy.fetch("conv_el_lazy");

    // Assess
    expect(readsAtStart).toBe(0);
    expect(bytes).toEqual(MP3);
    expect(elevenlabs.requests.at(-1)).toEqual({ method: "GET", path: "/v1/convai/conversations/conv_el_lazy/audio", apiKey: elevenlabs.apiKey });
  });

  it("fails the fetch, not its construction, when a key read on first use cannot be had", async () => {
    const unreadable = new ElevenLabsAudioSource({ apiKey: () => Promise.reject(new Error("SSM parameter \"/x/elevenlabs-api-key\" does not exist")), host: elevenlabs.host });
    const empty = new ElevenLabsAudioSource({ apiKey: () => Promise.resolve(" "), host: elevenlabs.host });

    await expect(unreadable.fetch("conv_el_1")).rejects.toThrow("does not exist");
    await expect(empty.fetch("conv_el_1")).rejects.toThrow("ElevenLabs API key is empty");
  });

  it("refuses an empty key given as a value when it is constructed, before any fetch", () => {
    expect(() => new ElevenLabsAudioSource({ apiKey: " ", host: elevenlabs.host })).toThrow("ElevenLabs API key is empty");
  });

  it("answers null for a conversation ElevenLabs has no recording of", async () => {
    expect(await source.fetch("conv_el_never_recorded")).toBeNull();
  });

  it("throws naming the status, and never the key, when the key is refused", async () => {
    // Prepare
    elevenlabs.setAudio("conv_el_2", MP3);
    const wrongKey = "sk_test_wrong_key_0123456789";
    const refused = new ElevenLabsAudioSource({ apiKey: wrongKey, host: elevenlabs.host });

    // Act
    const error = await refused.fetch("conv_el_2").then(
      () => null,
      (e: unknown) => e as Error,
    );

    // Assess
    expect(error?.message).toBe("ElevenLabs answered 401 for the conversation audio");
    expect(`${error?.name} ${error?.message} ${String(error?.cause)}`).not.toContain(wrongKey);
  });

  it("throws on a server error, so the sweep tries again later", async () => {
    // Prepare
    elevenlabs.setAudio("conv_el_3", MP3);
    elevenlabs.failNext(503);

    // Act
    const failed = await source.fetch("conv_el_3").catch((e: unknown) => e as Error);
    const retried = await source.fetch("conv_el_3");

    // Assess
    expect(failed).toMatchObject({ name: "ElevenLabsApiError", status: 503 });
    expect(retried).toEqual(MP3);
  });

  it("gives up on an answer that does not come within its timeout", async () => {
    // Prepare
    elevenlabs.setAudio("conv_el_4", MP3);
    elevenlabs.setDelay(1000);
    const impatient = new ElevenLabsAudioSource({ apiKey: elevenlabs.apiKey, host: elevenlabs.host, timeoutMs: 100 });

    // Act
    const started = Date.now();
    const error = await impatient.fetch("conv_el_4").catch((e: unknown) => e as Error);

    // Assess
    expect(error).toMatchObject({ name: "ElevenLabsApiError", message: "ElevenLabs sent no audio within 100 ms" });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("throws when ElevenLabs cannot be reached", async () => {
    // Prepare: a port nothing listens on any more.
    const gone = await startElevenLabsStandIn();
    await gone.close();

    // Act
    const error = await new ElevenLabsAudioSource({ apiKey: gone.apiKey, host: gone.host }).fetch("conv_el_5").catch((e: unknown) => e as Error);

    // Assess
    expect(error).toMatchObject({ name: "ElevenLabsApiError", message: "could not reach ElevenLabs for the audio" });
  });

  it("without a key is switched off and fetches nothing", async () => {
    expect(NO_AUDIO_SOURCE.enabled).toBe(false);
    expect(await NO_AUDIO_SOURCE.fetch("conv_el_1")).toBeNull();
  });
});

describe("a long call whose audio webhook was too large to arrive", () => {
  it("has its recording fetched by the sweep after the wait and archived whole under the caller", async () => {
    // Prepare: the transcription is ingested; the 8 MB recording (over Lambda's 6 MB request limit) never arrives as a webhook.
    const dataDir = mkdtempSync(join(tmpdir(), "agentic-memory-audio-fetch-"));
    const clock = new FixedClock(1_767_268_900_000);
    const inbox = new FsEventInbox(dataDir);
    const archive = new FsConversationArchive(dataDir);
    const memories = new InMemoryMemoryStore();
    const ingest = new IngestEvent(inbox, reader, archive, memories, clock, callerProfiles(memories, new InMemoryCallerProfileStore(), clock));
    const conversationId = "conv_5201kfx7demo0conv0fixt00001a";
    const recording = new Uint8Array(randomBytes(8 * 1024 * 1024));
    elevenlabs.setAudio(conversationId, recording);
    const id = `post_call_transcription/${conversationId}` as const;
    await inbox.store({ id, eventType: "post_call_transcription", conversationId, receivedAt: 1_767_268_900, rawBody: fixtureText("post-call-transcription.json") });
    await ingest.execute(id);
    const sweep = new SweepInbox(inbox, ingest, archive, new ElevenLabsAudioSource({ apiKey: elevenlabs.apiKey, host: elevenlabs.host }), clock);
    clock.advance(61 * 60 * 1000);

    // Act
    const report = await sweep.execute();

    // Assess
    const key = `audio/+15550100123/${conversationId}_1767268871.mp3`;
    expect(report.audio.settlements).toEqual([{ conversationId, outcome: "fetched" }]);
    expect(await archive.list("audio/")).toEqual([key]);
    expect(Buffer.compare(Buffer.from((await archive.get(key)) ?? []), Buffer.from(recording))).toBe(0);
    expect(await inbox.listAwaitingAudio()).toEqual([]);
  });
});
