/** DI token for {@link ConversationArchive}. */
export const CONVERSATION_ARCHIVE = Symbol("ConversationArchive");

/**
 * The verbatim record of every call: transcripts (JSON) and audio (MP3), under
 * `transcripts/{caller}/{conversation_id}_{timestamp}.json` and `audio/{caller}/{conversation_id}_{timestamp}.mp3`.
 * A transcript is the raw webhook body, so it is also the call record: what the call's analysis says
 * about the agent (evaluation criteria results) stays there, never among the caller's memories.
 * Writing the same key twice leaves one object (re-delivered events are harmless).
 */
export interface ConversationArchive {
  putTranscript(key: string, json: string): Promise<void>;
  /**
   * Store a recording: a string is base64 (the MP3 as the webhook carries it) and is stored decoded;
   * bytes (the MP3 as the ElevenLabs API answers it) are stored as they are.
   */
  putAudio(key: string, audio: string | Uint8Array): Promise<void>;
  /** Archive keys under a prefix such as `transcripts/+15550100123/`. */
  list(prefix: string): Promise<string[]>;
  get(key: string): Promise<Uint8Array | null>;
  /** Delete one object (right to erasure, retention); deleting a missing key is not an error. */
  remove(key: string): Promise<void>;
  /**
   * The caller folders that hold anything (under `transcripts/` or `audio/`), each once, read a page at
   * a time as the loop goes: caller ids, and the {@link ANONYMOUS_CALLER_FOLDER} and
   * {@link UNMATCHED_CALLER_FOLDER} folders, which are nobody's.
   */
  callerFolders(): AsyncIterable<string>;
}

/** The folder for calls whose caller has no usable phone number. */
export const ANONYMOUS_CALLER_FOLDER = "anonymous";

/** The folder for audio whose transcription never arrived, so its caller is unknown. */
export const UNMATCHED_CALLER_FOLDER = "unmatched";

/**
 * The bytes to store for what {@link ConversationArchive.putAudio} was given: base64 decoded, bytes as they are.
 *
 * @example
 * audioBytes("SUQz"); // Uint8Array [0x49, 0x44, 0x33] ("ID3")
 */
export function audioBytes(audio: string | Uint8Array): Uint8Array {
  return typeof audio === "string" ? new Uint8Array(Buffer.from(audio, "base64")) : audio;
}

export const transcriptKey = (callerFolder: string, conversationId: string, timestamp: number): string =>
  `transcripts/${callerFolder}/${conversationId}_${timestamp}.json`;

export const audioKey = (callerFolder: string, conversationId: string, timestamp: number): string =>
  `audio/${callerFolder}/${conversationId}_${timestamp}.mp3`;

/** Every archive object lives under one of these. */
export const ARCHIVE_ROOTS = { transcripts: "transcripts/", audio: "audio/" } as const;

/** The prefixes that hold everything archived for one caller (the trailing slash keeps `+1555…123` apart from `+1555…1234`). */
export const callerArchivePrefixes = (callerFolder: string): { readonly transcripts: string; readonly audio: string } => ({
  transcripts: `${ARCHIVE_ROOTS.transcripts}${callerFolder}/`,
  audio: `${ARCHIVE_ROOTS.audio}${callerFolder}/`,
});

const KEY_TIMESTAMP = /_(\d{1,12})\.(?:json|mp3)$/;

/**
 * The event time (unix seconds) in an archive key `…/{conversation_id}_{timestamp}.{json|mp3}`, or
 * null for a key not written by {@link transcriptKey} or {@link audioKey}.
 *
 * @example
 * archiveKeyTimestamp("transcripts/+15550100123/conv_a_1767268871.json"); // 1767268871
 */
export function archiveKeyTimestamp(key: string): number | null {
  const match = KEY_TIMESTAMP.exec(key);
  return match?.[1] === undefined ? null : Number(match[1]);
}

const KEY_CONVERSATION = /\/([^/]+)_\d{1,12}\.(?:json|mp3)$/;

/**
 * The conversation id in an archive key `…/{conversation_id}_{timestamp}.{json|mp3}`, or null for a
 * key not written by {@link transcriptKey} or {@link audioKey}.
 *
 * @example
 * archiveKeyConversationId("audio/+15550100123/conv_a_1767268873.mp3"); // "conv_a"
 */
export function archiveKeyConversationId(key: string): string | null {
  return KEY_CONVERSATION.exec(key)?.[1] ?? null;
}
