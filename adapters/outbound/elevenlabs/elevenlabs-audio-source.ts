import type { AudioSource } from "../../../application/ports/audio-source.port";

/** A long call's MP3 is tens of megabytes: room to download it, short of the sweep's own timeout. */
const DEFAULT_TIMEOUT_MS = 30_000;

export interface ElevenLabsAudioSourceOptions {
  /**
   * An ElevenLabs API key allowed to read conversations (`ELEVENLABS_API_KEY`), or how to read it when
   * the first recording is fetched (from SSM on AWS: the sweep's start then never waits for it).
   */
  readonly apiKey: string | (() => Promise<string>);
  /** `https://api.elevenlabs.io` in production (config `ELEVENLABS_API_HOST`); a stand-in in tests. */
  readonly host: string;
  readonly timeoutMs?: number;
}

/** ElevenLabs answered something other than the audio or "no audio"; never carries the key. */
export class ElevenLabsApiError extends Error {
  override readonly name = "ElevenLabsApiError";

  constructor(
    message: string,
    /** The HTTP status, when there was an answer at all. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

function usableKey(apiKey: string): string {
  if (apiKey.trim() === "") throw new Error("ElevenLabs API key is empty");
  return apiKey;
}

/**
 * A conversation's recording from the ElevenLabs API (`GET /v1/convai/conversations/{id}/audio`,
 * authenticated by `xi-api-key`): what the sweep archives when the `post_call_audio` webhook never
 * came, as for calls whose audio is too large for a Lambda invocation.
 *
 * @example
 * const source = new ElevenLabsAudioSource({ apiKey, host: "https://api.elevenlabs.io" });
 * const mp3 = await source.fetch("conv_5201kfx7demo0conv0fixt00001a"); // bytes, or null: no audio
 */
export class ElevenLabsAudioSource implements AudioSource {
  readonly enabled = true;
  private readonly apiKey: string | (() => Promise<string>);
  private readonly host: string;
  private readonly timeoutMs: number;

  constructor(options: ElevenLabsAudioSourceOptions) {
    // A key given as a value is checked now; one read later (from SSM) when it is first used.
    this.apiKey = typeof options.apiKey === "string" ? usableKey(options.apiKey) : options.apiKey;
    this.host = options.host.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async fetch(conversationId: string): Promise<Uint8Array | null> {
    const url = `${this.host}/v1/convai/conversations/${encodeURIComponent(conversationId)}/audio`;
    const apiKey = typeof this.apiKey === "string" ? this.apiKey : usableKey(await this.apiKey());
    let response: Response;
    try {
      response = await fetch(url, { headers: { "xi-api-key": apiKey, accept: "audio/mpeg" }, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw this.transportError(error, "could not reach ElevenLabs for the audio");
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status !== 200) {
      // The body may echo request details: only the status is reported.
      await response.body?.cancel();
      throw new ElevenLabsApiError(`ElevenLabs answered ${response.status} for the conversation audio`, response.status);
    }
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw this.transportError(error, "the audio download from ElevenLabs broke off", 200);
    }
  }

  private transportError(error: unknown, message: string, status?: number): ElevenLabsApiError {
    // The signal's timeout covers the whole download, body included.
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return new ElevenLabsApiError(timedOut ? `ElevenLabs sent no audio within ${this.timeoutMs} ms` : message, status, { cause: error });
  }
}

/** Where no ElevenLabs API key is configured: nothing is fetched, and the wait for audio ends unfetched. */
export const NO_AUDIO_SOURCE: AudioSource = {
  enabled: false,
  fetch: async () => null,
};
