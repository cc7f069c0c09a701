import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/**
 * Write `data` to `path` so that readers only ever see the old file or the whole new one, and the
 * new one survives a crash once this resolves: temp file in the same directory, fsync, then rename
 * (or link, when the target must not be replaced), then fsync the directory.
 *
 * @returns `false` when `exclusive` is set and `path` already existed (nothing was written).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { exclusive?: boolean } = {}): Promise<boolean> {
  const dir = dirname(path);
  await fs.mkdir(dir, { recursive: true });
  const temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  const handle = await fs.open(temp, "wx");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (options.exclusive) {
      try {
        await fs.link(temp, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw error;
      }
    } else {
      await fs.rename(temp, path);
    }
  } finally {
    await fs.rm(temp, { force: true });
  }
  await syncDirectory(dir);
  return true;
}

/** Move a file atomically (same file system) and make the move durable. */
export async function moveFileDurably(from: string, to: string): Promise<void> {
  await fs.mkdir(dirname(to), { recursive: true });
  await fs.rename(from, to);
  await syncDirectory(dirname(to));
  await syncDirectory(dirname(from));
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Resolve a storage key below `root`, refusing anything that would escape it (`..`, absolute paths).
 *
 * @example
 * resolveKey("/data/archive", "transcripts/+15550100123/conv_1_1767268871.json");
 */
export function resolveKey(root: string, key: string): string {
  const path = resolve(root, key);
  const rel = relative(root, path);
  if (rel === "" || rel.startsWith("..") || rel.split(sep).some((part) => part === ".." || part === "") || key.includes("\0")) {
    throw new Error(`storage key escapes its root: ${JSON.stringify(key)}`);
  }
  return path;
}

export async function readFileOrNull(path: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}
