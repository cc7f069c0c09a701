import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FsConversationArchive } from "../../../adapters/outbound/embedded/fs-conversation-archive";
import { FsEventInbox } from "../../../adapters/outbound/embedded/fs-event-inbox";
import { SqliteCallerProfileStore } from "../../../adapters/outbound/embedded/sqlite-caller-profile-store";
import { SqliteMemoryStore } from "../../../adapters/outbound/embedded/sqlite-memory-store";
import { inboxEventId, type InboxEvent } from "../../../application/ports/event-inbox.port";
import { IngestEvent, type IngestOutcome } from "../../../application/use-cases/ingest-event.use-case";
import type { Region } from "../../../domain/caller-id";
import { FixedClock } from "../../fakes/fixed-clock";
import { fixture, fixtureText } from "../../support/fixtures";
import { callerProfiles, callSettings, conversationReader, NOW_SECS } from "./harness";

/**
 * The stores the local server runs on (SQLite memories and profiles, the file-system inbox and
 * archive) in a fresh temporary DATA_DIR, with ingestion as the worker runs it: what the operator's
 * dashboard reads.
 */
export function embeddedWorld(options: { readonly defaultRegion?: Region | null } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "agentic-memory-operator-"));
  const clock = new FixedClock(NOW_SECS * 1000);
  const settings = callSettings({ defaultRegion: options.defaultRegion ?? null });
  const memories = new SqliteMemoryStore(join(dataDir, "memories.db"));
  const profiles = new SqliteCallerProfileStore(join(dataDir, "profiles.db"));
  const inbox = new FsEventInbox(dataDir);
  const archive = new FsConversationArchive(dataDir);
  const ingest = new IngestEvent(inbox, conversationReader, archive, memories, clock, callerProfiles(memories, profiles, clock, settings), settings);

  /** Store a webhook body in the inbox as the post-call endpoint does, without ingesting it. */
  async function receive(rawBody: string): Promise<InboxEvent> {
    const parsed = JSON.parse(rawBody) as { type: string; data: { conversation_id: string } };
    const event: InboxEvent = {
      id: inboxEventId(parsed.type, parsed.data.conversation_id),
      eventType: parsed.type,
      conversationId: parsed.data.conversation_id,
      receivedAt: NOW_SECS,
      rawBody,
    };
    await inbox.store(event);
    return event;
  }

  /** Receive and ingest right away, as the worker would. */
  async function ingestNow(rawBody: string): Promise<IngestOutcome> {
    return ingest.execute((await receive(rawBody)).id);
  }

  /** Store a body and park it as the worker does after its last failed try. */
  async function park(rawBody: string, reason: string, failedAt: number): Promise<InboxEvent> {
    const event = await receive(rawBody);
    await inbox.markFailed(event.id, reason, failedAt);
    return event;
  }

  function close(): void {
    memories.close();
    profiles.close();
  }

  return { dataDir, clock, settings, memories, profiles, inbox, archive, ingest, receive, ingestNow, park, close };
}

export type EmbeddedWorld = ReturnType<typeof embeddedWorld>;

interface TranscriptionShape {
  event_timestamp: number;
  data: {
    conversation_id: string;
    metadata: { phone_call: { external_number: string }; main_language: string; call_duration_secs: number };
    conversation_initiation_client_data: { dynamic_variables: Record<string, unknown> };
    analysis: { data_collection_results: Record<string, { value: unknown }> };
  };
}

/**
 * The transcription fixture as a call of another caller: their number, their name in place of the
 * fixture's Marisol Quenby, their own time, and data-collection values of their own.
 */
export function callOf(options: {
  readonly conversationId: string;
  readonly callerId: string;
  readonly eventTimestamp: number;
  readonly fullName?: string;
  readonly collected?: Readonly<Record<string, string | number>>;
}): string {
  const fullName = options.fullName ?? "Marisol Quenby";
  const renamed = fixtureText("post-call-transcription.json")
    .replaceAll("Marisol Quenby", fullName)
    .replaceAll("Marisol", fullName.split(" ")[0] ?? fullName);
  const event = JSON.parse(renamed) as TranscriptionShape;
  event.event_timestamp = options.eventTimestamp;
  event.data.conversation_id = options.conversationId;
  event.data.metadata.phone_call.external_number = options.callerId;
  event.data.conversation_initiation_client_data.dynamic_variables.system__caller_id = options.callerId;
  for (const [id, value] of Object.entries(options.collected ?? {})) {
    const result = event.data.analysis.data_collection_results[id];
    if (result !== undefined) result.value = value;
  }
  return JSON.stringify(event);
}

/** The audio fixture as the recording of another conversation. */
export function audioOf(conversationId: string, eventTimestamp: number): string {
  const event = fixture<{ event_timestamp: number; data: { conversation_id: string } }>("post-call-audio.json");
  event.event_timestamp = eventTimestamp;
  event.data.conversation_id = conversationId;
  return JSON.stringify(event);
}
