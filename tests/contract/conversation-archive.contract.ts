import { beforeEach, describe, expect, it } from "vitest";
import type { ConversationArchive } from "../../application/ports/conversation-archive.port";

/** The behaviour every {@link ConversationArchive} adapter must show (fake, file system, S3). */
export function describeConversationArchiveContract(name: string, createArchive: () => Promise<ConversationArchive>): void {
  describe(`ConversationArchive contract: ${name}`, () => {
    let archive: ConversationArchive;
    beforeEach(async () => {
      archive = await createArchive();
    });

    it("returns a transcript exactly as written, and one object after writing it twice", async () => {
      const key = "transcripts/+15550100123/conv_a_1767268871.json";
      const json = JSON.stringify({ text: "José said 📞" });

      await archive.putTranscript(key, json);
      await archive.putTranscript(key, json);

      expect(new TextDecoder().decode((await archive.get(key)) ?? new Uint8Array())).toBe(json);
      expect(await archive.list("transcripts/+15550100123/")).toEqual([key]);
    });

    it("stores audio as the decoded MP3 bytes", async () => {
      const key = "audio/+15550100123/conv_a_1767268873.mp3";
      const bytes = Uint8Array.from([0x49, 0x44, 0x33, 0x04, 0x00, 0xff, 0xfb]);

      await archive.putAudio(key, Buffer.from(bytes).toString("base64"));

      expect(await archive.get(key)).toEqual(bytes);
    });

    it("stores audio handed over as bytes (as the ElevenLabs API answers) byte for byte", async () => {
      const key = "audio/+15550100123/conv_b_1767268871.mp3";
      // Bytes that are not valid base64 text: stored as they are, never decoded again.
      const bytes = Uint8Array.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x2b, 0x2f, 0x3d, 0x0a, 0xff]);

      await archive.putAudio(key, bytes);

      expect(await archive.get(key)).toEqual(bytes);
    });

    it("lists by prefix without mixing callers whose numbers share a prefix", async () => {
      await archive.putTranscript("transcripts/+15550100123/conv_a_1.json", "{}");
      await archive.putTranscript("transcripts/+155501001234/conv_b_2.json", "{}");
      await archive.putTranscript("transcripts/+15550100123/conv_c_3.json", "{}");

      expect(await archive.list("transcripts/+15550100123/")).toEqual([
        "transcripts/+15550100123/conv_a_1.json",
        "transcripts/+15550100123/conv_c_3.json",
      ]);
    });

    it("removes one object and nothing else; removing a missing key is no error", async () => {
      await archive.putTranscript("transcripts/+15550100123/conv_a_1.json", "{}");
      await archive.putAudio("audio/+15550100123/conv_a_1.mp3", "SUQz");
      await archive.putTranscript("transcripts/+155501001234/conv_b_2.json", "{}");

      await archive.remove("transcripts/+15550100123/conv_a_1.json");
      await archive.remove("transcripts/+15550100123/conv_a_1.json");
      await archive.remove("audio/+15550100123/never_written_3.mp3");

      expect(await archive.get("transcripts/+15550100123/conv_a_1.json")).toBeNull();
      expect(await archive.list("transcripts/")).toEqual(["transcripts/+155501001234/conv_b_2.json"]);
      expect(await archive.list("audio/")).toEqual(["audio/+15550100123/conv_a_1.mp3"]);
    });

    it("answers null for a key that was never written", async () => {
      expect(await archive.get("transcripts/+15550100123/nothing.json")).toBeNull();
    });

    it("lists every caller folder that holds anything once, whether it holds transcripts, recordings or both", async () => {
      await archive.putTranscript("transcripts/+15550100123/conv_a_1.json", "{}");
      await archive.putAudio("audio/+15550100123/conv_a_1.mp3", "SUQz");
      await archive.putTranscript("transcripts/+155501001234/conv_b_2.json", "{}");
      await archive.putAudio("audio/+15550100125/conv_c_3.mp3", "SUQz");
      await archive.putTranscript("transcripts/anonymous/conv_d_4.json", "{}");
      await archive.putTranscript("transcripts/+15550100126/conv_e_5.json", "{}");
      await archive.remove("transcripts/+15550100126/conv_e_5.json");

      const folders: string[] = [];
      for await (const folder of archive.callerFolders()) folders.push(folder);

      expect(folders.sort()).toEqual(["+155501001234", "+15550100123", "+15550100125", "anonymous"].sort());
    });
  });
}
