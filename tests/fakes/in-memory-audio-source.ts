import type { AudioSource } from "../../application/ports/audio-source.port";

/** In-memory {@link AudioSource} for application tests: recordings by conversation id, injectable failures. */
export class InMemoryAudioSource implements AudioSource {
  readonly recordings = new Map<string, Uint8Array>();
  /** Conversation ids asked for, in order. */
  readonly requests: string[] = [];
  private failure: Error | null = null;

  constructor(readonly enabled = true) {}

  /** Every fetch throws this until {@link recover} is called, as a service that is down would. */
  failWith(error: Error): void {
    this.failure = error;
  }

  recover(): void {
    this.failure = null;
  }

  async fetch(conversationId: string): Promise<Uint8Array | null> {
    if (!this.enabled) throw new Error("test set-up: a disabled audio source was asked to fetch");
    this.requests.push(conversationId);
    if (this.failure !== null) throw this.failure;
    return this.recordings.get(conversationId) ?? null;
  }
}
