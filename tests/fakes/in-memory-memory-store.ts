import { clampLimit, type MemoryListOptions, type MemorySearchQuery, type MemoryStore } from "../../application/ports/memory-store.port";
import type { CallerId } from "../../domain/caller-id";
import type { Memory, MemoryDraft } from "../../domain/memory";

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

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

  async search({ userId, query, limit }: MemorySearchQuery): Promise<Memory[]> {
    const wanted = new Set(words(query));
    if (wanted.size === 0) return [];
    return this.memories()
      .filter((m) => m.user_id === userId)
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
    const mine = this.memories()
      .filter((m) => m.user_id === userId && (options.source === undefined || m.metadata.source === options.source))
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
    return this.memories().filter((m) => Date.parse(m.metadata.timestamp) < limit);
  }

  private memories(): Memory[] {
    return this.rows.map((r) => r.memory);
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
