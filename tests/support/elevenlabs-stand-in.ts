import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for the one ElevenLabs API call the sweep makes,
 * `GET /v1/convai/conversations/{conversation_id}/audio` with an `xi-api-key` header: the MP3
 * bytes (`audio/mpeg`) of a conversation set with {@link ElevenLabsStandIn.setAudio}, 404 for any
 * other conversation, 401 for a missing or wrong key (checked first, as ElevenLabs does).
 */
export interface ElevenLabsStandIn {
  /** `http://127.0.0.1:<port>`, the value for `ELEVENLABS_API_HOST`. */
  readonly host: string;
  /** The only key it accepts. */
  readonly apiKey: string;
  /** Every request received, in order. */
  readonly requests: readonly { readonly method: string; readonly path: string; readonly apiKey: string | undefined }[];
  setAudio(conversationId: string, bytes: Uint8Array): void;
  /** Answer the next `times` requests with this status (after the key check). */
  failNext(status: number, times?: number): void;
  /** Hold every answer this long (0 to stop). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

const AUDIO_PATH = /^\/v1\/convai\/conversations\/([^/]+)\/audio$/;

/**
 * @example
 * const elevenlabs = await startElevenLabsStandIn();
 * elevenlabs.setAudio("conv_1", mp3);
 * await new ElevenLabsAudioSource({ apiKey: elevenlabs.apiKey, host: elevenlabs.host }).fetch("conv_1");
 */
export async function startElevenLabsStandIn(): Promise<ElevenLabsStandIn> {
  const apiKey = `sk_test_${randomBytes(12).toString("hex")}`;
  const audio = new Map<string, Uint8Array>();
  const requests: { method: string; path: string; apiKey: string | undefined }[] = [];
  const failures: number[] = [];
  let delayMs = 0;

  const answer = (res: ServerResponse, status: number, detail: object) => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ detail }));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://stand-in").pathname;
    const key = req.headers["xi-api-key"];
    const given = typeof key === "string" ? key : undefined;
    requests.push({ method: req.method ?? "", path, apiKey: given });
    setTimeout(() => {
      if (given !== apiKey) return answer(res, 401, { status: "invalid_api_key", message: "Invalid API key" });
      const status = failures.shift();
      if (status !== undefined) return answer(res, status, { status: "error", message: "simulated failure" });
      const match = AUDIO_PATH.exec(path);
      const bytes = req.method === "GET" && match?.[1] !== undefined ? audio.get(decodeURIComponent(match[1])) : undefined;
      if (bytes === undefined) return answer(res, 404, { status: "not_found", message: "Conversation audio not found" });
      res.writeHead(200, { "content-type": "audio/mpeg", "content-length": String(bytes.length) }).end(Buffer.from(bytes));
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    setAudio: (conversationId, bytes) => void audio.set(conversationId, bytes),
    failNext: (status, times = 1) => void failures.push(...Array.from({ length: times }, () => status)),
    setDelay: (ms) => void (delayMs = ms),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
