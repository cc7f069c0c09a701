import { ARCHIVE_ROOTS, audioBytes, callerArchivePrefixes, type ConversationArchive } from "../../../application/ports/conversation-archive.port";
import { ARCHIVE_PREFIXES } from "../../function-declarations";
import { S3Bucket, type S3BucketOptions } from "./s3-bucket";

/** The only prefixes the archive writes (the ones its IAM grants name): anything under `inbox/` would start the worker Lambda. */
const PREFIXES = Object.values(ARCHIVE_PREFIXES);

/**
 * The archive in S3: transcripts as JSON and audio as decoded MP3 bytes, under the keys the use
 * cases compute (`transcripts/{caller}/…json`, `audio/{caller}/…mp3`), every object encrypted.
 * Writing a key twice overwrites it, so re-delivered events leave one object.
 *
 * @example
 * const archive = new S3ConversationArchive({ s3: createS3Client(), bucket: env.ARCHIVE_BUCKET, sse: "AES256" });
 * await archive.putTranscript(transcriptKey("+15550100123", "conv_1", 1767268871), rawBody);
 */
export class S3ConversationArchive implements ConversationArchive {
  private readonly bucket: S3Bucket;

  constructor(options: S3BucketOptions) {
    this.bucket = new S3Bucket(options);
  }

  async putTranscript(key: string, json: string): Promise<void> {
    await this.bucket.put(archiveKey(key), json, "application/json");
  }

  async putAudio(key: string, audio: string | Uint8Array): Promise<void> {
    await this.bucket.put(archiveKey(key), audioBytes(audio), "audio/mpeg");
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.bucket.list(prefix)).map((o) => o.key).sort();
  }

  async get(key: string): Promise<Uint8Array | null> {
    return (await this.bucket.get(key))?.body ?? null;
  }

  async remove(key: string): Promise<void> {
    await this.bucket.remove(archiveKey(key));
  }

  async *callerFolders(): AsyncIterable<string> {
    yield* this.bucket.folders(ARCHIVE_ROOTS.transcripts);
    for await (const folder of this.bucket.folders(ARCHIVE_ROOTS.audio)) {
      // A caller with transcripts was listed already.
      if (!(await this.bucket.hasAny(callerArchivePrefixes(folder).transcripts))) yield folder;
    }
  }
}

function archiveKey(key: string): string {
  if (!PREFIXES.some((prefix) => key.startsWith(prefix) && key.length > prefix.length)) {
    throw new Error(`archive key must start with ${PREFIXES.join(" or ")}: ${JSON.stringify(key)}`);
  }
  return key;
}
