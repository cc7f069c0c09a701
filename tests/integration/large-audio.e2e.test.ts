import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, signed, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, type ServerProcess } from "../support/local-server-process";

const LIMIT = 10 * 1024 * 1024; // the default MAX_POST_CALL_BODY_BYTES, API Gateway's own payload limit
const CALLER = "+15550100131";

/** A post_call_audio body of exactly `bytes` bytes, with MP3-like random content. */
function audioEvent(conversationId: string, bytes: number): { body: string; mp3: Buffer } {
  const envelope = fixture<{ data: { conversation_id: string; full_audio: string } }>("post-call-audio.json");
  envelope.data.conversation_id = conversationId;
  envelope.data.full_audio = "";
  const overhead = Buffer.byteLength(JSON.stringify(envelope));
  const base64Length = Math.floor((bytes - overhead) / 4) * 4;
  const mp3 = randomBytes((base64Length / 4) * 3);
  envelope.data.full_audio = mp3.toString("base64");
  const body = JSON.stringify(envelope);
  return { body: body.replace('"full_audio"', `${" ".repeat(bytes - Buffer.byteLength(body))}"full_audio"`), mp3 };
}

describe("large post_call_audio events", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server.kill();
  });

  it("archives audio right up to the body limit, byte for byte, under the caller of the transcription", async () => {
    const transcription = transcriptionFor({ conversationId: "conv_big_audio", callerId: CALLER });
    const { body, mp3 } = audioEvent("conv_big_audio", LIMIT);

    const audioAck = await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(body, TEST_HMAC_KEY), body });
    const transcriptionAck = await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(transcription, TEST_HMAC_KEY), body: transcription });
    const key = join(server.dataDir, "archive", "audio", CALLER, "conv_big_audio_1767268873.mp3");
    let archived: Buffer | null = null;
    for (let i = 0; i < 100 && archived === null; i += 1) {
      try {
        archived = readFileSync(key);
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    expect(Buffer.byteLength(body)).toBe(LIMIT);
    expect(audioAck.status).toBe(200);
    expect(transcriptionAck.status).toBe(200);
    expect(archived?.equals(mp3)).toBe(true);
  });

  it("answers 413 with a clear message one byte over the limit, and keeps serving", async () => {
    const { body } = audioEvent("conv_too_big_audio", LIMIT + 1);

    const res = await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(body, TEST_HMAC_KEY), body }).catch((e: unknown) => e);
    const health = await fetch(`${server.baseUrl}/health`);

    expect(res).toBeInstanceOf(Response);
    expect((res as Response).status).toBe(413);
    expect(await (res as Response).json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringContaining(String(LIMIT)) } });
    expect(health.status).toBe(200);
  });
});
