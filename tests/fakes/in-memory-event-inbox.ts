import {
  splitInboxEventId,
  type AwaitingAudio,
  type EventInbox,
  type FailedEvent,
  type InboxEvent,
  type InboxEventId,
  type InboxEventState,
} from "../../application/ports/event-inbox.port";

/** In-memory {@link EventInbox} for application tests. */
export class InMemoryEventInbox implements EventInbox {
  readonly events = new Map<InboxEventId, { event: InboxEvent; state: InboxEventState; failure?: FailedEvent }>();
  /** Awaiting-audio markers by conversation id. */
  readonly awaiting = new Map<string, AwaitingAudio>();

  async store(event: InboxEvent): Promise<{ duplicate: boolean }> {
    if (this.events.has(event.id)) return { duplicate: true };
    this.events.set(event.id, { event, state: "pending" });
    return { duplicate: false };
  }

  async get(id: InboxEventId): Promise<InboxEvent | null> {
    return this.events.get(id)?.event ?? null;
  }

  async state(id: InboxEventId): Promise<InboxEventState | null> {
    return this.events.get(id)?.state ?? null;
  }

  async listPending(): Promise<InboxEventId[]> {
    return [...this.events.values()]
      .filter((e) => e.state === "pending")
      .sort((a, b) => a.event.receivedAt - b.event.receivedAt)
      .map((e) => e.event.id);
  }

  async listDone(): Promise<InboxEventId[]> {
    return [...this.events.values()].filter((e) => e.state === "done").map((e) => e.event.id).sort();
  }

  async markDone(id: InboxEventId): Promise<void> {
    const entry = this.events.get(id);
    if (entry) entry.state = "done";
  }

  async markFailed(id: InboxEventId, reason: string, failedAt: number): Promise<void> {
    const entry = this.events.get(id);
    if (!entry || entry.state !== "pending") throw new Error(`inbox has no pending event ${id}`);
    entry.state = "failed";
    entry.failure = { id, reason, failedAt };
  }

  async listFailed(): Promise<FailedEvent[]> {
    return [...this.events.values()].flatMap((e) => (e.state === "failed" && e.failure ? [e.failure] : []));
  }

  async requeue(id: InboxEventId): Promise<void> {
    const entry = this.events.get(id);
    if (!entry || entry.state !== "failed") throw new Error(`inbox has no failed event ${id}`);
    entry.state = "pending";
    delete entry.failure;
  }

  async remove(id: InboxEventId): Promise<void> {
    this.events.delete(id);
    const { eventType, conversationId } = splitInboxEventId(id);
    if (eventType === "post_call_transcription") this.awaiting.delete(conversationId);
  }

  async awaitAudio(entry: AwaitingAudio): Promise<void> {
    this.awaiting.set(entry.conversationId, { ...entry });
  }

  async listAwaitingAudio(): Promise<AwaitingAudio[]> {
    return [...this.awaiting.values()].sort((a, b) => a.since - b.since || compare(a.conversationId, b.conversationId));
  }

  async audioSettled(conversationId: string): Promise<void> {
    this.awaiting.delete(conversationId);
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
