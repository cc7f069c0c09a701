import type { EventInbox, InboxEvent, InboxEventId, InboxEventState } from "../../application/ports/event-inbox.port";

/** In-memory {@link EventInbox} for application tests. */
export class InMemoryEventInbox implements EventInbox {
  readonly events = new Map<InboxEventId, { event: InboxEvent; state: InboxEventState }>();

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

  async markDone(id: InboxEventId): Promise<void> {
    const entry = this.events.get(id);
    if (entry) entry.state = "done";
  }
}
