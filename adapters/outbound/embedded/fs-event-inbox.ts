import { promises as fs } from "node:fs";
import { join } from "node:path";
import {
  parseInboxEventId,
  splitInboxEventId,
  type AwaitingAudio,
  type EventInbox,
  type FailedEvent,
  type InboxEvent,
  type InboxEventId,
  type InboxEventState,
} from "../../../application/ports/event-inbox.port";
import { exists, moveFileDurably, readFileOrNull, resolveKey, writeFileAtomic } from "./atomic-file";
import { EVENT_TYPE_PATTERN } from "../../../domain/webhook-event-key";
import { isStorableId } from "../../../domain/conversation";

/**
 * The durable inbox on the local file system: `DATA_DIR/inbox/{type}/{conversation_id}.json` while
 * pending, moved atomically to `DATA_DIR/processed/…` when done, or to `DATA_DIR/failed/…` (with its
 * reason in `DATA_DIR/failed-reasons/…`) when the worker gave up. An event is on disk (fsynced)
 * before `store` resolves, so an acknowledged webhook survives a crash. Conversations waiting for
 * their audio are marked by `DATA_DIR/awaiting-audio/{conversation_id}.json`.
 */
export class FsEventInbox implements EventInbox {
  private readonly pendingRoot: string;
  private readonly doneRoot: string;
  private readonly failedRoot: string;
  private readonly reasonsRoot: string;
  private readonly awaitingRoot: string;

  constructor(dataDir: string) {
    this.pendingRoot = join(dataDir, "inbox");
    this.doneRoot = join(dataDir, "processed");
    this.failedRoot = join(dataDir, "failed");
    this.reasonsRoot = join(dataDir, "failed-reasons");
    this.awaitingRoot = join(dataDir, "awaiting-audio");
  }

  async store(event: InboxEvent): Promise<{ duplicate: boolean }> {
    if ((await exists(this.donePath(event.id))) || (await exists(this.failedPath(event.id)))) return { duplicate: true };
    const written = await writeFileAtomic(this.pendingPath(event.id), JSON.stringify(event), { exclusive: true });
    return { duplicate: !written };
  }

  async get(id: InboxEventId): Promise<InboxEvent | null> {
    const raw =
      (await readFileOrNull(this.pendingPath(id))) ?? (await readFileOrNull(this.donePath(id))) ?? (await readFileOrNull(this.failedPath(id)));
    return raw === null ? null : (JSON.parse(raw.toString("utf8")) as InboxEvent);
  }

  async state(id: InboxEventId): Promise<InboxEventState | null> {
    if (await exists(this.donePath(id))) return "done";
    if (await exists(this.failedPath(id))) return "failed";
    if (await exists(this.pendingPath(id))) return "pending";
    return null;
  }

  async listPending(): Promise<InboxEventId[]> {
    const found: { id: InboxEventId; mtimeMs: number }[] = [];
    for (const id of await idsUnder(this.pendingRoot)) {
      if ((await exists(this.donePath(id))) || (await exists(this.failedPath(id)))) continue;
      const stat = await fs.stat(this.pendingPath(id)).catch(() => null);
      if (stat) found.push({ id, mtimeMs: stat.mtimeMs });
    }
    return found.sort((a, b) => a.mtimeMs - b.mtimeMs).map((e) => e.id);
  }

  async listDone(): Promise<InboxEventId[]> {
    return (await idsUnder(this.doneRoot)).sort();
  }

  async markFailed(id: InboxEventId, reason: string, failedAt: number): Promise<void> {
    // The reason lands first: a failed event is never without its reason.
    await writeFileAtomic(this.reasonPath(id), JSON.stringify({ reason, failedAt }));
    await moveFileDurably(this.pendingPath(id), this.failedPath(id));
  }

  async listFailed(): Promise<FailedEvent[]> {
    const failed: FailedEvent[] = [];
    for (const id of await idsUnder(this.failedRoot)) {
      const raw = await readFileOrNull(this.reasonPath(id));
      const note = raw === null ? { reason: "unknown", failedAt: 0 } : (JSON.parse(raw.toString("utf8")) as { reason: string; failedAt: number });
      failed.push({ id, reason: note.reason, failedAt: note.failedAt });
    }
    return failed.sort((a, b) => a.failedAt - b.failedAt);
  }

  async requeue(id: InboxEventId): Promise<void> {
    await moveFileDurably(this.failedPath(id), this.pendingPath(id));
    await fs.rm(this.reasonPath(id), { force: true });
  }

  async remove(id: InboxEventId): Promise<void> {
    for (const path of [this.pendingPath(id), this.donePath(id), this.failedPath(id), this.reasonPath(id)]) await fs.rm(path, { force: true });
    const { eventType, conversationId } = splitInboxEventId(id);
    if (eventType === "post_call_transcription") await this.audioSettled(conversationId);
  }

  async awaitAudio(entry: AwaitingAudio): Promise<void> {
    const { conversationId, callerFolder, eventTimestamp, since } = entry;
    await writeFileAtomic(this.awaitingPath(conversationId), JSON.stringify({ conversationId, callerFolder, eventTimestamp, since }));
  }

  async listAwaitingAudio(): Promise<AwaitingAudio[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.awaitingRoot);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const entries: AwaitingAudio[] = [];
    for (const name of names) {
      if (!name.endsWith(".json") || name.startsWith(".tmp-")) continue;
      // Settled between the listing and the read: nothing is waiting any more.
      const raw = await readFileOrNull(join(this.awaitingRoot, name));
      if (raw !== null) entries.push(JSON.parse(raw.toString("utf8")) as AwaitingAudio);
    }
    return entries.sort((a, b) => a.since - b.since || (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0));
  }

  async audioSettled(conversationId: string): Promise<void> {
    await fs.rm(this.awaitingPath(conversationId), { force: true });
  }

  async markDone(id: InboxEventId): Promise<void> {
    if (await exists(this.donePath(id))) {
      await fs.rm(this.pendingPath(id), { force: true });
      return;
    }
    try {
      await moveFileDurably(this.pendingPath(id), this.donePath(id));
    } catch (error) {
      // Another worker (a replay beside the server) finished the same event first.
      if ((error as NodeJS.ErrnoException).code === "ENOENT" && (await exists(this.donePath(id)))) return;
      throw error;
    }
  }

  private pendingPath(id: InboxEventId): string {
    return eventPath(this.pendingRoot, id);
  }

  private donePath(id: InboxEventId): string {
    return eventPath(this.doneRoot, id);
  }

  private failedPath(id: InboxEventId): string {
    return eventPath(this.failedRoot, id);
  }

  private reasonPath(id: InboxEventId): string {
    return eventPath(this.reasonsRoot, id);
  }

  private awaitingPath(conversationId: string): string {
    // One flat folder: the conversation half of an inbox id, so no slash hides the marker from the listing.
    if (!isStorableId(conversationId)) throw new Error(`not a conversation id: ${JSON.stringify(conversationId.slice(0, 80))}`);
    return resolveKey(this.awaitingRoot, `${conversationId}.json`);
  }
}

/** `{root}/{type}/{conversation_id}.json` for an inbox id (and nothing else: no key is built from other text). */
function eventPath(root: string, id: InboxEventId): string {
  splitInboxEventId(id);
  return resolveKey(root, `${id}.json`);
}

/** The event ids stored as `{root}/{type}/{conversation_id}.json`. */
async function idsUnder(root: string): Promise<InboxEventId[]> {
  const ids: InboxEventId[] = [];
  let types: string[];
  try {
    types = (await fs.readdir(root)).filter((name) => EVENT_TYPE_PATTERN.test(name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return ids;
    throw error;
  }
  for (const type of types) {
    let names: string[];
    try {
      names = await fs.readdir(join(root, type));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    for (const name of names) {
      // Temporary files of an atomic write and anything else that is no inbox id are not events.
      const parsed = name.endsWith(".json") && !name.startsWith(".tmp-") ? parseInboxEventId(`${type}/${name.slice(0, -".json".length)}`) : null;
      if (parsed !== null) ids.push(parsed.id);
    }
  }
  return ids;
}
