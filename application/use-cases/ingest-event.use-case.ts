import type { Conversation } from "../../domain/conversation";
import type { CallerProfiles } from "../caller-profiles";
import { classifyConversation } from "../../domain/memory-classification";
import type { MemoryDraft } from "../../domain/memory";
import { withoutRemembered } from "../../domain/remembered-fact";
import { NO_DEFAULT_REGION, type CallSettings } from "../call-settings";
import { readStoredEvent } from "../stored-event";
import type { ConversationReader } from "../ports/conversation-reader.port";
import {
  ANONYMOUS_CALLER_FOLDER,
  audioKey,
  UNMATCHED_CALLER_FOLDER,
  transcriptKey,
  type ConversationArchive,
} from "../ports/conversation-archive.port";
import { nowSeconds, type Clock } from "../ports/clock.port";
import { inboxEventId, inboxEventType, type EventInbox, type InboxEvent, type InboxEventId } from "../ports/event-inbox.port";
import type { MemoryStore } from "../ports/memory-store.port";

export type IngestOutcome =
  | { readonly status: "ingested"; readonly memoriesAdded: number; readonly archived: readonly string[] }
  | { readonly status: "already_done" }
  | { readonly status: "not_found" }
  /**
   * Audio arrived before its transcription: it stays pending and is ingested with the transcription
   * (or, past AUDIO_WAIT_SECS, as unmatched, when the sweep or the local worker drives it again).
   */
  | { readonly status: "waiting_for_transcription" }
  /**
   * The stored event can't be read (not JSON, a type we don't handle such as
   * `answering_machine_detection`, a field we can't parse): parked in the inbox with why, where
   * `agentic-memory replay` and the operator see it, instead of being retried or hidden.
   */
  | { readonly status: "parked"; readonly reason: string };

/**
 * Worker: turn one stored post-call event into archive objects and memories, then mark it done.
 * Every step is idempotent (deterministic archive keys, memory keys per conversation), so a crash at
 * any point followed by a retry yields each object and memory exactly once.
 */
/**
 * How long audio waits for its transcription. ElevenLabs' last retry of a transcription comes about
 * 41 minutes after the first try, so past an hour none will come; the audio is then archived as unmatched.
 */
export const AUDIO_WAIT_SECS = 3600;

export class IngestEvent {
  constructor(
    private readonly inbox: EventInbox,
    private readonly reader: ConversationReader,
    private readonly archive: ConversationArchive,
    private readonly memories: MemoryStore,
    private readonly clock: Clock,
    private readonly profiles: CallerProfiles,
    private readonly settings: Pick<CallSettings, "defaultRegion"> = NO_DEFAULT_REGION,
    private readonly audioWaitSecs: number = AUDIO_WAIT_SECS,
  ) {}

  async execute(id: InboxEventId): Promise<IngestOutcome> {
    const asked = this.inbox.state(id);
    // A transcription is remembered at the end: the memory store (on a cold start, its client and
    // key) gets ready while the inbox answers, once the inbox's requests are on their way.
    if (inboxEventType(id) === "post_call_transcription") this.memories.prepare?.();
    const state = await asked;
    if (state === null) return { status: "not_found" };
    if (state === "done") return { status: "already_done" };
    const event = await this.inbox.get(id);
    if (event === null) return { status: "not_found" };

    const conversation = await readStoredEvent(this.reader, event, this.settings.defaultRegion);
    if (typeof conversation === "string") {
      // One parked already (driven again from the dead-letter queue, say) stays so, with its first reason.
      if (state === "pending") await this.park(id, conversation);
      return { status: "parked", reason: conversation };
    }

    switch (conversation.eventType) {
      case "post_call_transcription":
        return this.ingestTranscription(event, conversation);
      case "post_call_audio":
        return this.ingestAudio(event, conversation);
      case "call_initiation_failure":
        // Kept in the inbox's done area as the record of the failed call; there is nothing to remember.
        await this.inbox.markDone(id);
        return { status: "ingested", memoriesAdded: 0, archived: [] };
    }
  }

  /**
   * Park a pending event after its last failed try, with why: no longer retried, nothing deleted,
   * listed by `agentic-memory replay` and the operator.
   *
   * @example
   * await ingest.park("post_call_transcription/conv_1", "worker: 3 attempts failed; last: Error: Mem0 502");
   */
  async park(id: InboxEventId, reason: string): Promise<void> {
    await this.inbox.markFailed(id, reason, nowSeconds(this.clock));
  }

  private async ingestTranscription(event: InboxEvent, conversation: Conversation): Promise<IngestOutcome> {
    const folder = callerFolder(conversation);
    const key = transcriptKey(folder, conversation.conversationId, conversation.eventTimestamp);
    await this.archive.putTranscript(key, event.rawBody);
    const audioId = inboxEventId("post_call_audio", conversation.conversationId);
    // Before the event is done, so that a crash cannot leave a transcription nobody fetches audio for.
    if ((await this.inbox.state(audioId)) === null) {
      await this.inbox.awaitAudio({
        conversationId: conversation.conversationId,
        callerFolder: folder,
        eventTimestamp: conversation.eventTimestamp,
        since: event.receivedAt,
      });
    }
    const drafts = await this.notYetRemembered(conversation, classifyConversation(conversation));
    const { added } = drafts.length > 0 ? await this.memories.add(drafts) : { added: 0 };
    // Before the event is done: a profile that missed this call would greet the caller from stale
    // notes, so a failure here retries the event (every step above is idempotent).
    if (conversation.caller.known) await this.profiles.refresh(conversation.caller.callerId, conversation.language ?? null);
    await this.inbox.markDone(event.id);

    const archived = [key];
    if ((await this.inbox.state(audioId)) === "pending") {
      const audio = await this.execute(audioId);
      if (audio.status === "ingested") archived.push(...audio.archived);
    }
    return { status: "ingested", memoriesAdded: added, archived };
  }

  /** The call's drafts minus the facts the agent already remembered during it (`POST /remember`): one memory per fact. */
  private async notYetRemembered(conversation: Conversation, drafts: MemoryDraft[]): Promise<MemoryDraft[]> {
    if (!conversation.caller.known || !drafts.some((draft) => draft.metadata.type === "factual")) return drafts;
    const remembered = await this.memories.list(conversation.caller.callerId, { source: "remember", conversationId: conversation.conversationId });
    return withoutRemembered(drafts, remembered);
  }

  private async ingestAudio(event: InboxEvent, conversation: Conversation): Promise<IngestOutcome> {
    // The audio event names no caller: the transcription of the same conversation does.
    const transcription = await this.inbox.get(inboxEventId("post_call_transcription", conversation.conversationId));
    let folder: string;
    if (transcription === null) {
      if (nowSeconds(this.clock) - event.receivedAt < this.audioWaitSecs) return { status: "waiting_for_transcription" };
      folder = UNMATCHED_CALLER_FOLDER;
    } else {
      const owner = await readStoredEvent(this.reader, transcription, this.settings.defaultRegion);
      folder = typeof owner === "string" ? ANONYMOUS_CALLER_FOLDER : callerFolder(owner);
    }

    const key = audioKey(folder, conversation.conversationId, conversation.eventTimestamp);
    await this.archive.putAudio(key, conversation.audioBase64 ?? "");
    await this.inbox.markDone(event.id);
    await this.inbox.audioSettled(conversation.conversationId);
    return { status: "ingested", memoriesAdded: 0, archived: [key] };
  }
}

function callerFolder(conversation: Conversation): string {
  return conversation.caller.known ? conversation.caller.callerId : ANONYMOUS_CALLER_FOLDER;
}
