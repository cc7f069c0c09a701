import type { AudioSource } from "../ports/audio-source.port";
import { nowSeconds, type Clock } from "../ports/clock.port";
import { audioKey, type ConversationArchive } from "../ports/conversation-archive.port";
import { inboxEventId, type AwaitingAudio, type EventInbox, type InboxEventId } from "../ports/event-inbox.port";
import { AUDIO_WAIT_SECS, type IngestEvent, type IngestOutcome } from "./ingest-event.use-case";
import { describeError } from "../../domain/error-description";

/** How long a pending event is left to its own notification before the sweep drives it. */
const MIN_PENDING_AGE_SECS = 300;

/** How long a failing audio fetch is tried again (from the transcription's arrival) before the wait ends unfetched. */
const GIVE_UP_AUDIO_AFTER_SECS = 24 * 3600;

export interface SweepOptions {
  /** Default {@link MIN_PENDING_AGE_SECS}: the S3 notification had its chance. */
  readonly minPendingAgeSecs?: number;
  /** Default {@link AUDIO_WAIT_SECS}: how long the audio webhook may take after its transcription. */
  readonly audioWaitSecs?: number;
  /** Default {@link GIVE_UP_AUDIO_AFTER_SECS}. */
  readonly giveUpAudioAfterSecs?: number;
}

/** What became of one old pending event: its ingestion outcome, or `failed` when ingestion threw and it was parked. */
export interface RedrivenEvent {
  readonly id: InboxEventId;
  readonly status: IngestOutcome["status"] | "failed";
  /** Why it was parked (status `parked` or `failed`). */
  readonly reason?: string;
}

export interface PendingSweep {
  /** Pending events younger than the minimum age, left to their notification. */
  readonly tooRecent: number;
  readonly redriven: readonly RedrivenEvent[];
}

/**
 * What became of one conversation whose wait for audio is over:
 * - `fetched`: the recording came from the audio source and is archived;
 * - `no_audio`: the audio source has none for this conversation;
 * - `audio_event_archived`: the audio webhook came and was archived meanwhile;
 * - `audio_event_pending`: the audio webhook is stored and not ingested yet: left to the worker;
 * - `audio_event_parked`: the audio webhook is parked as failed: `agentic-memory replay` archives it;
 * - `fetch_failed`: fetching or archiving failed: tried again on the next sweep;
 * - `gave_up`: still failing a day after the transcription: no longer tried;
 * - `not_fetched`: no audio source is configured (no ELEVENLABS_API_KEY).
 * All but `audio_event_pending` and `fetch_failed` end the wait.
 */
export type AudioSettlementOutcome =
  | "fetched"
  | "no_audio"
  | "audio_event_archived"
  | "audio_event_pending"
  | "audio_event_parked"
  | "fetch_failed"
  | "gave_up"
  | "not_fetched";

export interface AudioSettlement {
  readonly conversationId: string;
  readonly outcome: AudioSettlementOutcome;
  /** For `fetch_failed` and `gave_up`: the error, without personal data. */
  readonly error?: string;
}

export interface AudioSweep {
  /** Conversations still within the wait for their audio webhook. */
  readonly waiting: number;
  readonly settlements: readonly AudioSettlement[];
}

/** Ids and outcomes only: no caller numbers, archive keys or transcript text. */
export interface SweepReport {
  readonly pending: PendingSweep;
  readonly audio: AudioSweep;
}

/**
 * The safety net behind the S3 notifications, run on a schedule: ingests pending events whose
 * notification was lost (or whose audio waits for a transcription), parks the ones that fail so they
 * show up in `agentic-memory replay` instead of being retried forever, and ends every wait for audio
 * that is over: by fetching the recording from the ElevenLabs API (a long call's audio webhook is
 * too large to ever reach a Lambda), or by giving up and saying why.
 *
 * @example
 * const report = await new SweepInbox(inbox, ingest, archive, audioSource, clock).execute();
 * report.audio.settlements.filter((s) => s.outcome === "fetched").length; // recordings fetched
 */
export class SweepInbox {
  private readonly minPendingAgeSecs: number;
  private readonly audioWaitSecs: number;
  private readonly giveUpAudioAfterSecs: number;

  constructor(
    private readonly inbox: EventInbox,
    private readonly ingest: IngestEvent,
    private readonly archive: ConversationArchive,
    private readonly audio: AudioSource,
    private readonly clock: Clock,
    options: SweepOptions = {},
  ) {
    this.minPendingAgeSecs = options.minPendingAgeSecs ?? MIN_PENDING_AGE_SECS;
    this.audioWaitSecs = options.audioWaitSecs ?? AUDIO_WAIT_SECS;
    this.giveUpAudioAfterSecs = options.giveUpAudioAfterSecs ?? GIVE_UP_AUDIO_AFTER_SECS;
  }

  /** Both halves, pending events first (an audio webhook ingested there ends its wait here). */
  async execute(): Promise<SweepReport> {
    const pending = await this.redrivePending();
    const audio = await this.settleAudio();
    return { pending, audio };
  }

  /**
   * Ingest every pending event at least `minPendingAgeSecs` old. Audio still waiting for its
   * transcription stays pending; an event whose ingestion throws is parked with `sweep: <reason>`.
   */
  async redrivePending(): Promise<PendingSweep> {
    let tooRecent = 0;
    const redriven: RedrivenEvent[] = [];
    for (const id of await this.inbox.listPending()) {
      const event = await this.inbox.get(id);
      // Ingested or erased since the listing.
      if (event === null) continue;
      if (nowSeconds(this.clock) - event.receivedAt < this.minPendingAgeSecs) {
        tooRecent += 1;
        continue;
      }
      redriven.push(await this.redrive(id));
    }
    return { tooRecent, redriven };
  }

  /** Deal with every conversation whose wait for its audio webhook is over. */
  async settleAudio(): Promise<AudioSweep> {
    let waiting = 0;
    const settlements: AudioSettlement[] = [];
    for (const marker of await this.inbox.listAwaitingAudio()) {
      if (nowSeconds(this.clock) - marker.since < this.audioWaitSecs) {
        waiting += 1;
        continue;
      }
      settlements.push(await this.settle(marker));
    }
    return { waiting, settlements };
  }

  private async redrive(id: InboxEventId): Promise<RedrivenEvent> {
    try {
      const outcome = await this.ingest.execute(id);
      return outcome.status === "parked" ? { id, status: "parked", reason: outcome.reason } : { id, status: outcome.status };
    } catch (error) {
      const reason = `sweep: ${describeError(error)}`;
      try {
        await this.ingest.park(id, reason);
        return { id, status: "failed", reason };
      } catch (parkError) {
        // Still pending: the next sweep tries it again.
        return { id, status: "failed", reason: `${reason}; could not park it (${describeError(parkError)}), still pending` };
      }
    }
  }

  private async settle(marker: AwaitingAudio): Promise<AudioSettlement> {
    const { conversationId } = marker;
    try {
      const outcome = await this.audioOutcome(marker);
      if (outcome !== "audio_event_pending") await this.inbox.audioSettled(conversationId);
      return { conversationId, outcome };
    } catch (error) {
      const message = describeError(error);
      if (nowSeconds(this.clock) - marker.since < this.giveUpAudioAfterSecs) return { conversationId, outcome: "fetch_failed", error: message };
      await this.inbox.audioSettled(conversationId);
      return { conversationId, outcome: "gave_up", error: message };
    }
  }

  /** Archive the recording when it can be had; the outcome says whether the wait is over. */
  private async audioOutcome(marker: AwaitingAudio): Promise<AudioSettlementOutcome> {
    // The webhook may have come after all (after the transcription's check, or while it waited).
    switch (await this.inbox.state(inboxEventId("post_call_audio", marker.conversationId))) {
      case "done":
        return "audio_event_archived";
      case "pending":
        return "audio_event_pending";
      case "failed":
        return "audio_event_parked";
      case null:
        break;
    }
    if (!this.audio.enabled) return "not_fetched";
    const bytes = await this.audio.fetch(marker.conversationId);
    // An empty answer is no recording: an empty .mp3 in the archive would only mislead.
    if (bytes === null || bytes.length === 0) return "no_audio";
    await this.archive.putAudio(audioKey(marker.callerFolder, marker.conversationId, marker.eventTimestamp), bytes);
    return "fetched";
  }
}

