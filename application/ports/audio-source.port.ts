/** DI token for {@link AudioSource}. */
export const AUDIO_SOURCE = Symbol("AudioSource");

/**
 * Where a call's recording can be fetched when its `post_call_audio` webhook never came (too large
 * for the platform, or audio not subscribed): the ElevenLabs conversations API on AWS, nothing locally
 * unless `ELEVENLABS_API_KEY` is configured.
 */
export interface AudioSource {
  /** Whether fetching is configured at all (without it, waiting for audio ends when the wait does). */
  readonly enabled: boolean;
  /**
   * The MP3 bytes of the whole conversation, or null when the service has no audio for it. Throws
   * when the service could not answer (down, refused the key): the caller may try again later.
   */
  fetch(conversationId: string): Promise<Uint8Array | null>;
}
