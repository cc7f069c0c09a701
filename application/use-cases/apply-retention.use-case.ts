import { isCallerId, type CallerId } from "../../domain/caller-id";
import { ARCHIVE_ROOTS, archiveKeyTimestamp, type ConversationArchive } from "../ports/conversation-archive.port";
import type { CallerProfileStore } from "../ports/caller-profile-store.port";
import type { Clock } from "../ports/clock.port";
import type { EventInbox, InboxEventId } from "../ports/event-inbox.port";
import type { MemoryStore } from "../ports/memory-store.port";
import { PROGRESS_EVERY, silent, type Progress } from "../progress";
import { NO_DEFAULT_REGION, type CallSettings } from "../call-settings";
import { readStoredEvent } from "../stored-event";
import type { ConversationReader } from "../ports/conversation-reader.port";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionRequest {
  /** Keep this many days; everything from calls before `now − days` goes. A whole number ≥ 1. */
  readonly days: number;
  /** false: only report what would go (dry run). */
  readonly apply: boolean;
}

export interface RetentionReport {
  readonly days: number;
  /** ISO-8601: everything older than this is (or would be) removed, nothing newer. */
  readonly cutoff: string;
  readonly applied: boolean;
  readonly memories: readonly { readonly id: string; readonly userId: string; readonly timestamp: string }[];
  readonly transcripts: readonly string[];
  readonly audio: readonly string[];
  /** Ingested webhook events of calls before the cutoff (never pending or failed ones, which still await work). */
  readonly inboxEvents: readonly InboxEventId[];
}

/**
 * Data retention: memories whose call is older than the cutoff (by `metadata.timestamp`) and the
 * profiles built from them, archive
 * objects whose event time (in the key) is older, and ingested inbox events of calls before it.
 * Anything of unknown age is kept. Every candidate is checked against the cutoff here again, so
 * whatever an adapter answers, nothing newer is ever removed.
 */
export class ApplyRetention {
  constructor(
    private readonly memories: MemoryStore,
    private readonly archive: ConversationArchive,
    private readonly inbox: EventInbox,
    private readonly reader: ConversationReader,
    private readonly clock: Clock,
    private readonly profiles: CallerProfileStore,
    private readonly settings: Pick<CallSettings, "defaultRegion"> = NO_DEFAULT_REGION,
  ) {}

  async execute(request: RetentionRequest, progress: Progress = silent): Promise<RetentionReport> {
    if (!Number.isInteger(request.days) || request.days < 1) throw new RangeError(`days must be a whole number of at least 1, got ${request.days}`);
    const cutoffMs = this.clock.nowMs() - request.days * DAY_MS;
    const cutoff = new Date(cutoffMs).toISOString();
    const isOld = (ms: number) => Number.isFinite(ms) && ms < cutoffMs;

    const memories = (await this.memories.listOlderThan(cutoff))
      .filter((m) => isOld(Date.parse(m.metadata.timestamp)))
      .map((m) => ({ id: m.id, userId: m.user_id, timestamp: m.metadata.timestamp }));
    progress(`memories: ${memories.length} older than ${cutoff}`);

    const oldUnder = async (root: string) => (await this.archive.list(root)).filter((key) => isOld((archiveKeyTimestamp(key) ?? Number.NaN) * 1000));
    const transcripts = await oldUnder(ARCHIVE_ROOTS.transcripts);
    const audio = await oldUnder(ARCHIVE_ROOTS.audio);
    progress(`archive: ${transcripts.length} transcript(s), ${audio.length} recording(s) older than ${cutoff}`);

    const inboxEvents: InboxEventId[] = [];
    const done = await this.inbox.listDone();
    for (const [index, id] of done.entries()) {
      if (index > 0 && index % PROGRESS_EVERY === 0) progress(`inbox: ${index}/${done.length} checked`);
      const event = await this.inbox.get(id);
      if (event === null) continue;
      // The call's own time, as for memories and the archive; an unreadable event by when it arrived.
      const conversation = await readStoredEvent(this.reader, event, this.settings.defaultRegion);
      const seconds = typeof conversation === "string" ? event.receivedAt : conversation.eventTimestamp;
      if (isOld(seconds * 1000)) inboxEvents.push(id);
    }
    progress(`inbox: ${inboxEvents.length} of ${done.length} ingested event(s) older than ${cutoff}`);

    const report = { days: request.days, cutoff, applied: request.apply, memories, transcripts, audio, inboxEvents };
    if (request.apply) await this.remove(report, progress);
    return report;
  }

  private async remove(report: RetentionReport, progress: Progress): Promise<void> {
    const byCaller = new Map<CallerId, string[]>();
    for (const m of report.memories) if (isCallerId(m.userId)) byCaller.set(m.userId, [...(byCaller.get(m.userId) ?? []), m.id]);
    for (const [userId, ids] of byCaller) {
      await this.memories.remove(userId, ids);
      // The profile may quote what was just removed: the next call reads the memories that are left,
      // and the next ingested call writes a new profile.
      await this.profiles.remove(userId);
    }
    progress(`removed ${report.memories.length} memory(ies) and the profiles of ${byCaller.size} caller(s)`);

    const keys = [...report.transcripts, ...report.audio];
    for (const [index, key] of keys.entries()) {
      await this.archive.remove(key);
      if ((index + 1) % PROGRESS_EVERY === 0) progress(`archive: removed ${index + 1}/${keys.length}`);
    }
    for (const id of report.inboxEvents) await this.inbox.remove(id);
    progress(`removed ${keys.length} archive object(s) and ${report.inboxEvents.length} inbox event(s)`);
  }
}
