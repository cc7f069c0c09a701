import type { CallerId } from "../../domain/caller-id";
import { callerArchivePrefixes, type ConversationArchive } from "../ports/conversation-archive.port";
import { inboxEventId, splitInboxEventId, type EventInbox, type InboxEventId } from "../ports/event-inbox.port";
import type { CallerProfileStore } from "../ports/caller-profile-store.port";
import type { MemoryStore } from "../ports/memory-store.port";
import { PROGRESS_EVERY, silent, type Progress } from "../progress";
import { NO_DEFAULT_REGION, type CallSettings } from "../call-settings";
import { readStoredEvent } from "../stored-event";
import type { ConversationReader } from "../ports/conversation-reader.port";

/** What an erasure removed. */
export interface ForgetReport {
  readonly callerId: CallerId;
  readonly memories: number;
  /** Whether a caller profile (what the next call would be told) was stored and is now gone. */
  readonly profile: boolean;
  readonly transcripts: readonly string[];
  readonly audio: readonly string[];
  readonly inboxEvents: readonly InboxEventId[];
  /** Conversations of this caller that were still waiting for their audio: no recording is fetched for them any more. */
  readonly awaitingAudio: readonly string[];
}

/**
 * Right to erasure in one step: every memory, the profile, transcript, recording and stored webhook event of one
 * caller, and of nobody else. The caller id is a normalised E.164 number (the type says so), archive
 * prefixes end in `/`, and an inbox event goes only when its own payload names this caller (audio:
 * when the transcription of the same conversation does).
 *
 * The inbox goes first, so that no event of this caller is ingested again behind the erasure, and
 * with it the caller's awaiting-audio markers, so that no recording is fetched into their folder after it.
 */
export class ForgetCaller {
  constructor(
    private readonly memories: MemoryStore,
    private readonly archive: ConversationArchive,
    private readonly inbox: EventInbox,
    private readonly reader: ConversationReader,
    private readonly profiles: CallerProfileStore,
    private readonly settings: Pick<CallSettings, "defaultRegion"> = NO_DEFAULT_REGION,
  ) {}

  async execute(callerId: CallerId, progress: Progress = silent): Promise<ForgetReport> {
    const inboxEvents = await this.callersInboxEvents(callerId, progress);
    const awaitingAudio = (await this.inbox.listAwaitingAudio()).filter((m) => m.callerFolder === callerId).map((m) => m.conversationId);
    for (const id of inboxEvents) await this.inbox.remove(id);
    // Erasing a transcription erases its awaiting-audio marker (every stored copy, where settling
    // would not): also for markers whose transcription event is gone already.
    const removed = new Set<InboxEventId>(inboxEvents);
    for (const conversationId of awaitingAudio) {
      const id = inboxEventId("post_call_transcription", conversationId);
      if (!removed.has(id)) await this.inbox.remove(id);
    }
    progress(`inbox: ${awaitingAudio.length} wait(s) for audio dropped`);

    const prefixes = callerArchivePrefixes(callerId);
    const transcripts = await this.removeUnder(prefixes.transcripts);
    const audio = await this.removeUnder(prefixes.audio);
    progress(`archive: ${transcripts.length} transcript(s), ${audio.length} recording(s) removed`);

    const memories = await this.memories.forget(callerId);
    progress(`memories: ${memories} removed`);
    // Last: a profile rebuilt by an ingestion that was running meanwhile is erased with the rest.
    const profile = await this.profiles.remove(callerId);
    progress(`profile: ${profile ? "removed" : "none stored"}`);
    return { callerId, memories, profile, transcripts, audio, inboxEvents, awaitingAudio };
  }

  private async removeUnder(prefix: string): Promise<string[]> {
    const keys = await this.archive.list(prefix);
    for (const key of keys) await this.archive.remove(key);
    return keys;
  }

  /** Every stored event (pending, done or failed) that belongs to this caller. */
  private async callersInboxEvents(callerId: CallerId, progress: Progress): Promise<InboxEventId[]> {
    const failed = (await this.inbox.listFailed()).map((f) => f.id);
    const all = [...new Set([...(await this.inbox.listPending()), ...(await this.inbox.listDone()), ...failed])];
    progress(`inbox: checking ${all.length} stored event(s)`);

    const owned: InboxEventId[] = [];
    const conversations = new Set<string>();
    for (const [index, id] of all.entries()) {
      if (index > 0 && index % PROGRESS_EVERY === 0) progress(`inbox: ${index}/${all.length} checked`);
      const { eventType, conversationId } = splitInboxEventId(id);
      if (eventType === "post_call_audio") continue;
      const event = await this.inbox.get(id);
      const conversation = event === null ? null : await readStoredEvent(this.reader, event, this.settings.defaultRegion);
      if (conversation === null || typeof conversation === "string" || !conversation.caller.known) continue;
      if (conversation.caller.callerId !== callerId) continue;
      owned.push(id);
      conversations.add(conversationId);
    }
    // Audio names no caller: it is the caller's when the transcription of the same conversation is.
    const audio = all.filter((id) => {
      const { eventType, conversationId } = splitInboxEventId(id);
      return eventType === "post_call_audio" && conversations.has(conversationId);
    });
    progress(`inbox: ${owned.length + audio.length} event(s) of this caller`);
    return [...audio, ...owned];
  }
}
