import { audioBytes, type ConversationArchive } from "../../application/ports/conversation-archive.port";

/** In-memory {@link ConversationArchive} for application tests. */
export class InMemoryConversationArchive implements ConversationArchive {
  readonly objects = new Map<string, Uint8Array>();

  async putTranscript(key: string, json: string): Promise<void> {
    this.objects.set(key, new TextEncoder().encode(json));
  }

  async putAudio(key: string, audio: string | Uint8Array): Promise<void> {
    // A copy: the caller may reuse its buffer.
    this.objects.set(key, new Uint8Array(audioBytes(audio)));
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async get(key: string): Promise<Uint8Array | null> {
    return this.objects.get(key) ?? null;
  }

  async remove(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async *callerFolders(): AsyncIterable<string> {
    const folders = [...this.objects.keys()].flatMap((key) => /^(?:transcripts|audio)\/([^/]+)\//.exec(key)?.[1] ?? []);
    yield* new Set(folders);
  }
}
