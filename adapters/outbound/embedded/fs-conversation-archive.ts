import { promises as fs } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { ARCHIVE_ROOTS, audioBytes, type ConversationArchive } from "../../../application/ports/conversation-archive.port";
import { readFileOrNull, resolveKey, writeFileAtomic } from "./atomic-file";

/** The archive on the local file system: the same keys as in S3, under `DATA_DIR/archive/`. */
export class FsConversationArchive implements ConversationArchive {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, "archive");
  }

  async putTranscript(key: string, json: string): Promise<void> {
    await writeFileAtomic(resolveKey(this.root, key), json);
  }

  async putAudio(key: string, audio: string | Uint8Array): Promise<void> {
    await writeFileAtomic(resolveKey(this.root, key), audioBytes(audio));
  }

  async list(prefix: string): Promise<string[]> {
    const slash = prefix.lastIndexOf("/");
    const dir = slash < 0 ? this.root : resolveKey(this.root, prefix.slice(0, slash));
    const keys: string[] = [];
    await walk(dir, async (path) => {
      const key = relative(this.root, path).split(sep).join("/");
      if (key.startsWith(prefix)) keys.push(key);
    });
    return keys.sort();
  }

  async get(key: string): Promise<Uint8Array | null> {
    const data = await readFileOrNull(resolveKey(this.root, key));
    return data === null ? null : new Uint8Array(data);
  }

  async *callerFolders(): AsyncIterable<string> {
    const transcripts = join(this.root, ARCHIVE_ROOTS.transcripts);
    yield* foldersIn(transcripts);
    for await (const folder of foldersIn(join(this.root, ARCHIVE_ROOTS.audio))) {
      // A caller with transcripts was listed already.
      if (!(await holdsAnything(join(transcripts, folder)))) yield folder;
    }
  }

  async remove(key: string): Promise<void> {
    const path = resolveKey(this.root, key);
    await fs.rm(path, { force: true });
    // Folders are named after the caller's number: once empty they go too, or an erased caller would still show.
    const root = resolve(this.root);
    for (let dir = dirname(path); dir.startsWith(root + sep); dir = dirname(dir)) {
      try {
        await fs.rmdir(dir);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOENT") return;
        throw error;
      }
    }
  }
}

/** The folders right under `dir` that hold anything, one directory entry at a time; none when `dir` does not exist. */
async function* foldersIn(dir: string): AsyncIterable<string> {
  let handle;
  try {
    handle = await fs.opendir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  // The loop closes the handle, also when the consumer stops early.
  for await (const entry of handle) {
    if (entry.isDirectory() && !entry.name.startsWith(".tmp-") && (await holdsAnything(join(dir, entry.name)))) yield entry.name;
  }
}

/** Whether a folder has any entry (one read, whatever its size); false when it is gone. */
async function holdsAnything(dir: string): Promise<boolean> {
  try {
    const handle = await fs.opendir(dir);
    const first = await handle.read();
    await handle.close();
    return first !== null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return false;
    throw error;
  }
}

async function walk(dir: string, visit: (path: string) => Promise<void>): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  for (const entry of entries) {
    if (entry.name.startsWith(".tmp-")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, visit);
    else if (entry.isFile()) await visit(path);
  }
}
