import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_POST_CALL_BODY_BYTES } from "../../adapters/config";
import { eventually } from "../support/eventually";
import { fixture, signed, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";

// The default MAX_POST_CALL_BODY_BYTES: what a synchronous Lambda invocation can carry of a webhook.
const LIMIT = DEFAULT_MAX_POST_CALL_BODY_BYTES;
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

  it("answers 413 one byte over the limit, and the call's transcription is remembered all the same", async () => {
    const caller = "+15550100136";
    const { body } = audioEvent("conv_too_big_audio", LIMIT + 1);
    const transcription = transcriptionFor({ conversationId: "conv_too_big_audio", callerId: caller });

    const res = await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(body, TEST_HMAC_KEY), body }).catch((e: unknown) => e);
    const transcriptionAck = await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(transcription, TEST_HMAC_KEY), body: transcription });
    const known = await eventually(
      async () => {
        const answer = await fetch(`${server.baseUrl}/client-data`, {
          method: "POST",
          headers: { "content-type": "application/json", "X-Workspace-Key": TEST_WORKSPACE_KEY },
          body: JSON.stringify({ caller_id: caller }),
        });
        return ((await answer.json()) as { dynamic_variables: Record<string, string> }).dynamic_variables;
      },
      (vars) => vars.returning_caller === "yes",
      5_000,
    );
    const awaited = JSON.parse(readFileSync(join(server.dataDir, "awaiting-audio", "conv_too_big_audio.json"), "utf8")) as { conversationId: string };

    expect(res).toBeInstanceOf(Response);
    expect((res as Response).status).toBe(413);
    expect(await (res as Response).json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringContaining(String(LIMIT)) } });
    expect(transcriptionAck.status).toBe(200);
    expect(known).toMatchObject({ returning_caller: "yes", caller_name: "Marisol" });
    // Its recording is awaited: with ELEVENLABS_API_KEY the sweep fetches it from ElevenLabs after the wait.
    expect(awaited.conversationId).toBe("conv_too_big_audio");
  });
});
