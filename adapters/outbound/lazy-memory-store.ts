import type { MemoryListOptions, MemorySearchQuery, MemoryStore } from "../../application/ports/memory-store.port";
import type { CallerId } from "../../domain/caller-id";
import type { Memory, MemoryDraft } from "../../domain/memory";

/** A store that can tell when its connection is open (Mem0's: once its client's ping was answered). */
type ConnectingStore = MemoryStore & { connected?(): Promise<void> };

/**
 * A {@link MemoryStore} built on its first use. Client-data answers a caller with a profile without
 * a single memory read, so on a cold start it never reads the Mem0 key from SSM nor loads `mem0ai`
 * (its code and node's `fetch`) unless a caller without a profile calls. A failed build is retried
 * on the next use.
 */
export class LazyMemoryStore implements MemoryStore {
  private built: Promise<ConnectingStore> | undefined;

  constructor(private readonly build: () => Promise<ConnectingStore>) {}

  /** Start the build now, not awaited: the first real call waits for it, or builds again if it failed. */
  prepare(): void {
    void this.resolve().catch(() => undefined);
  }

  /**
   * Built now if it was not yet, and connected: settles once the store's first connection is open
   * (for Mem0, its client's ping answered). Rejects when the build fails.
   */
  async connect(): Promise<void> {
    await (await this.resolve()).connected?.();
  }

  /** The store itself, built now if it was not yet. */
  resolve(): Promise<ConnectingStore> {
    this.built ??= this.build().catch((error: unknown) => {
      this.built = undefined;
      throw error;
    });
    return this.built;
  }

  async add(drafts: readonly MemoryDraft[]): Promise<{ readonly added: number; readonly skipped: number }> {
    return (await this.resolve()).add(drafts);
  }
  async search(query: MemorySearchQuery): Promise<Memory[]> {
    return (await this.resolve()).search(query);
  }
  async list(userId: CallerId, options?: MemoryListOptions): Promise<Memory[]> {
    return (await this.resolve()).list(userId, options);
  }
  async count(userId: CallerId): Promise<number> {
    return (await this.resolve()).count(userId);
  }
  async forget(userId: CallerId): Promise<number> {
    return (await this.resolve()).forget(userId);
  }
  async remove(userId: CallerId, ids: readonly string[]): Promise<number> {
    return (await this.resolve()).remove(userId, ids);
  }
  async listOlderThan(cutoff: string): Promise<Memory[]> {
    return (await this.resolve()).listOlderThan(cutoff);
  }
  async *callers(): AsyncIterable<CallerId> {
    yield* (await this.resolve()).callers();
  }
}
