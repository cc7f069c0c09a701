import { promises as fs } from "node:fs";
import { join } from "node:path";
import type { EventInbox, InboxEvent, InboxEventId, InboxEventState } from "../../../application/ports/event-inbox.port";
import { exists, moveFileDurably, readFileOrNull, resolveKey, writeFileAtomic } from "./atomic-file";

const EVENT_TYPES = ["post_call_transcription", "post_call_audio", "call_initiation_failure"] as const;

/**
 * The durable inbox on the local file system: `DATA_DIR/inbox/{type}/{conversation_id}.json` while
 * pending, moved atomically to `DATA_DIR/processed/…` when done. An event is on disk (fsynced)
 * before `store` resolves, so an acknowledged webhook survives a crash.
 */
export class FsEventInbox implements EventInbox {
  private readonly pendingRoot: string;
  private readonly doneRoot: string;

  constructor(dataDir: string) {
    this.pendingRoot = join(dataDir, "inbox");
    this.doneRoot = join(dataDir, "processed");
  }

  async store(event: InboxEvent): Promise<{ duplicate: boolean }> {
    if (await exists(this.donePath(event.id))) return { duplicate: true };
    const written = await writeFileAtomic(this.pendingPath(event.id), JSON.stringify(event), { exclusive: true });
    return { duplicate: !written };
  }

  async get(id: InboxEventId): Promise<InboxEvent | null> {
    const raw = (await readFileOrNull(this.pendingPath(id))) ?? (await readFileOrNull(this.donePath(id)));
    return raw === null ? null : (JSON.parse(raw.toString("utf8")) as InboxEvent);
  }

  async state(id: InboxEventId): Promise<InboxEventState | null> {
    if (await exists(this.donePath(id))) return "done";
    if (await exists(this.pendingPath(id))) return "pending";
    return null;
  }

  async listPending(): Promise<InboxEventId[]> {
    const found: { id: InboxEventId; mtimeMs: number }[] = [];
    for (const type of EVENT_TYPES) {
      let names: string[];
      try {
        names = await fs.readdir(join(this.pendingRoot, type));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw error;
      }
      for (const name of names) {
        if (!name.endsWith(".json") || name.startsWith(".tmp-")) continue;
        const id = `${type}/${name.slice(0, -".json".length)}` as InboxEventId;
        if (await exists(this.donePath(id))) continue;
        const stat = await fs.stat(this.pendingPath(id)).catch(() => null);
        if (stat) found.push({ id, mtimeMs: stat.mtimeMs });
      }
    }
    return found.sort((a, b) => a.mtimeMs - b.mtimeMs).map((e) => e.id);
  }

  async markDone(id: InboxEventId): Promise<void> {
    if (await exists(this.donePath(id))) {
      await fs.rm(this.pendingPath(id), { force: true });
      return;
    }
    await moveFileDurably(this.pendingPath(id), this.donePath(id));
  }

  private pendingPath(id: InboxEventId): string {
    return resolveKey(this.pendingRoot, `${id}.json`);
  }

  private donePath(id: InboxEventId): string {
    return resolveKey(this.doneRoot, `${id}.json`);
  }
}
