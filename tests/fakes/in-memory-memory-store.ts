import { clampLimit, type MemoryListOptions, type MemorySearchFilters, type MemorySearchQuery, type MemoryStore } from "../../application/ports/memory-store.port";
import { isCallerId, type CallerId } from "../../domain/caller-id";
import type { Memory, MemoryDraft } from "../../domain/memory";

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Whether a memory passes every search filter given (date bounds inclusive, compared as instants). */
function matches(m: Memory, filters: MemorySearchFilters): boolean {
  const at = Date.parse(m.metadata.timestamp);
  return (
    (filters.type === undefined || m.metadata.type === filters.type) &&
    (filters.source === undefined || m.metadata.source === filters.source) &&
    (filters.conversationId === undefined || m.metadata.conversation_id === filters.conversationId) &&
    (filters.since === undefined || at >= Date.parse(filters.since)) &&
    (filters.until === undefined || at <= Date.parse(filters.until))
  );
}

/** In-memory {@link MemoryStore} for application tests; ranks by the share of query words a memory contains. */
export class InMemoryMemoryStore implements MemoryStore {
  private readonly rows: { memory: Memory; key: string }[] = [];
  private written = 0;

  async add(drafts: readonly MemoryDraft[]): Promise<{ added: number; skipped: number }> {
    let added = 0;
    for (const draft of drafts) {
      const key = `${draft.userId}|${draft.key}`;
      if (this.rows.some((r) => r.key === key)) continue;
      this.written += 1;
      this.rows.push({ key, memory: { id: `mem-${this.written}`, memory: draft.text, user_id: draft.userId, metadata: draft.metadata } });
      added += 1;
    }
    return { added, skipped: drafts.length - added };
  }

  async search({ userId, query, limit, filters = {}, includeHistory }: MemorySearchQuery): Promise<Memory[]> {
    const wanted = new Set(words(query));
    if (wanted.size === 0) return [];
    return this.memories(includeHistory === true)
      .filter((m) => m.user_id === userId && matches(m, filters))
      .map((m) => {
        const have = new Set(words(m.memory));
        const hits = [...wanted].filter((w) => have.has(w)).length;
        return { ...m, score: hits / wanted.size };
      })
      .filter((m) => m.score > 0)
      .sort((a, b) => b.score - a.score || b.metadata.timestamp.localeCompare(a.metadata.timestamp))
      .slice(0, clampLimit(limit));
  }

  async list(userId: CallerId, options: MemoryListOptions = {}): Promise<Memory[]> {
    const mine = this.memories(options.history === true)
      .filter(
        (m) =>
          m.user_id === userId &&
          (options.factKey === undefined || m.metadata.fact_key === options.factKey) &&
          (options.source === undefined || m.metadata.source === options.source) &&
          (options.conversationId === undefined || m.metadata.conversation_id === options.conversationId),
      )
      .reverse();
    const sorted = mine.sort((a, b) => b.metadata.timestamp.localeCompare(a.metadata.timestamp));
    return options.limit === undefined ? sorted : sorted.slice(0, options.limit);
  }

  async count(userId: CallerId): Promise<number> {
    return this.memories().filter((m) => m.user_id === userId).length;
  }

  async forget(userId: CallerId): Promise<number> {
    return this.drop((m) => m.user_id === userId);
  }

  async remove(userId: CallerId, ids: readonly string[]): Promise<number> {
    const doomed = new Set(ids);
    return this.drop((m) => m.user_id === userId && doomed.has(m.id));
  }

  async listOlderThan(cutoff: string): Promise<Memory[]> {
    const limit = Date.parse(cutoff);
    return this.memories(true).filter((m) => Date.parse(m.metadata.timestamp) < limit);
  }

  async *callers(): AsyncIterable<CallerId> {
    for (const userId of new Set(this.memories(true).map((m) => m.user_id))) if (isCallerId(userId)) yield userId;
  }

  /** Every memory with its version settled (an older version of a caller's fact points to the newest), or the current ones only. */
  private memories(history = false): Memory[] {
    const newest = new Map<string, { id: string; at: number }>();
    for (const { memory } of this.rows) {
      if (memory.metadata.fact_key === undefined) continue;
      const group = `${memory.user_id}|${memory.metadata.fact_key}`;
      const at = Date.parse(memory.metadata.timestamp);
      const best = newest.get(group);
      if (best === undefined || at >= best.at) newest.set(group, { id: memory.id, at });
    }
    const settled = this.rows.map(({ memory }): Memory => {
      const { superseded_by: _old, ...metadata } = memory.metadata;
      const current = memory.metadata.fact_key === undefined ? memory.id : newest.get(`${memory.user_id}|${memory.metadata.fact_key}`)?.id;
      return current === memory.id ? { ...memory, metadata } : { ...memory, metadata: { ...metadata, superseded_by: current ?? "" } };
    });
    return history ? settled : settled.filter((m) => m.metadata.superseded_by === undefined);
  }

  private drop(doomed: (memory: Memory) => boolean): number {
    let removed = 0;
    for (let i = this.rows.length - 1; i >= 0; i -= 1) {
      const row = this.rows[i];
      if (row !== undefined && doomed(row.memory)) {
        this.rows.splice(i, 1);
        removed += 1;
      }
    }
    return removed;
  }
}
