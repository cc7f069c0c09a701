import type { CallerId } from "../../domain/caller-id";
import { importedMemoryDraft, type ImportedMemory } from "../../domain/imported-memory";
import type { MemoryDraft } from "../../domain/memory";
import type { CallerProfiles } from "../caller-profiles";
import type { Clock } from "../ports/clock.port";
import type { MemoryStore } from "../ports/memory-store.port";
import { PROGRESS_EVERY, silent, type Progress } from "../progress";

/** What an import did. */
export interface ImportReport {
  /** Memories handed over (valid lines). */
  readonly read: number;
  /** Written now. */
  readonly added: number;
  /** Already stored (by an earlier import of the same lines, or a repeated line). */
  readonly skipped: number;
  /** Callers whose profile was rebuilt: every caller with at least one memory in the import. */
  readonly callers: number;
}

/** Memories written per call of the store: few requests, and little held at once. */
const BATCH_SIZE = 100;

/**
 * Imports memories an operator brings (e.g. from a CRM), stored as written (`source: "import"`, never
 * inferred from), then rebuilds the profile of each caller concerned so that their next call is told
 * about them (client-data answers from the stored profile). Memories are read as they come and
 * written in batches; only the set of caller ids is held until the end.
 *
 * Safe to run again: a memory's draft key comes from its content, so the store skips what an earlier
 * run wrote, and every caller's profile is rebuilt again (also those whose memories were all there,
 * in case an earlier run stopped before it rebuilt them).
 */
export class ImportMemories {
  constructor(
    private readonly memories: MemoryStore,
    private readonly profiles: CallerProfiles,
    private readonly clock: Clock,
  ) {}

  async execute(items: AsyncIterable<ImportedMemory>, progress: Progress = silent): Promise<ImportReport> {
    const importedAt = new Date(this.clock.nowMs()).toISOString();
    const callers = new Set<CallerId>();
    let batch: MemoryDraft[] = [];
    let read = 0;
    let added = 0;
    const write = async () => {
      if (batch.length === 0) return;
      added += (await this.memories.add(batch)).added;
      batch = [];
    };
    for await (const item of items) {
      batch.push(importedMemoryDraft(item, importedAt));
      callers.add(item.callerId);
      read += 1;
      if (batch.length >= BATCH_SIZE) await write();
    }
    await write();
    progress(`memories: ${added} added, ${read - added} already stored`);

    let rebuilt = 0;
    for (const callerId of callers) {
      await this.profiles.refresh(callerId, null);
      rebuilt += 1;
      if (rebuilt % PROGRESS_EVERY === 0) progress(`profiles: ${rebuilt}/${callers.size} rebuilt`);
    }
    progress(`profiles: ${rebuilt} rebuilt`);
    return { read, added, skipped: read - added, callers: callers.size };
  }
}
