/** DI token for {@link ConversationArchive}. */
export const CONVERSATION_ARCHIVE = Symbol("ConversationArchive");

/**
 * The verbatim record of every call: transcripts (JSON) and audio (MP3), under
 * `transcripts/{caller}/{conversation_id}_{timestamp}.json` and `audio/{caller}/{conversation_id}_{timestamp}.mp3`.
 * Writing the same key twice leaves one object (re-delivered events are harmless).
 */
export interface ConversationArchive {
  putTranscript(key: string, json: string): Promise<void>;
  /** `base64` is the MP3 as ElevenLabs sends it; the adapter stores the decoded bytes. */
  putAudio(key: string, base64: string): Promise<void>;
  /** Archive keys under a prefix such as `transcripts/+15550100123/`. */
  list(prefix: string): Promise<string[]>;
  get(key: string): Promise<Uint8Array | null>;
}

/** The folder for calls whose caller has no usable phone number. */
export const ANONYMOUS_CALLER_FOLDER = "anonymous";

/** The folder for audio whose transcription never arrived, so its caller is unknown. */
export const UNMATCHED_CALLER_FOLDER = "unmatched";

export const transcriptKey = (callerFolder: string, conversationId: string, timestamp: number): string =>
  `transcripts/${callerFolder}/${conversationId}_${timestamp}.json`;

export const audioKey = (callerFolder: string, conversationId: string, timestamp: number): string =>
  `audio/${callerFolder}/${conversationId}_${timestamp}.mp3`;
