import { isCallerId, type CallerId } from "../../domain/caller-id";
import type { CallerProfileStore } from "../ports/caller-profile-store.port";
import { EVERY_DATED_MEMORY, type MemoryStore } from "../ports/memory-store.port";
import { silent, type Progress } from "../progress";

export interface DropEvaluationMemoriesReport {
  /** false: a dry run, nothing was removed. */
  readonly applied: boolean;
  /** The evaluation memories found (and, when applied, removed). */
  readonly memories: readonly {
    readonly id: string;
    readonly userId: CallerId;
    readonly conversationId: string;
    readonly timestamp: string;
  }[];
  /** The callers those memories belong to, whose profiles are (or would be) dropped. */
  readonly callers: readonly CallerId[];
  /** How many of those callers had a stored profile that was dropped (0 in a dry run). */
  readonly profilesRemoved: number;
}

/**
 * Migration of memories stored by earlier versions: those versions wrote each evaluation rationale
 * ("Before closing, the agent repeated the booking…") as a factual memory of the caller. Rationales
 * judge the agent, not the caller, and stay in the call record (the archived transcript), so these
 * memories are removed, for every caller. The profiles of those callers were built from them and are
 * dropped too: their next call is answered from the memories that are left, and their next ingested
 * call writes a new profile. Safe to run again (a second run finds nothing).
 *
 * @example
 * await dropEvaluationMemories.execute({ apply: false }); // { applied: false, memories: [...], callers: ["+15550100123"], profilesRemoved: 0 }
 */
export class DropEvaluationMemories {
  constructor(
    private readonly memories: MemoryStore,
    private readonly profiles: CallerProfileStore,
  ) {}

  async execute(request: { readonly apply: boolean }, progress: Progress = silent): Promise<DropEvaluationMemoriesReport> {
    // The one read across callers; every memory we wrote is dated with its call.
    const all = await this.memories.listOlderThan(EVERY_DATED_MEMORY);
    const byCaller = new Map<CallerId, string[]>();
    const memories: DropEvaluationMemoriesReport["memories"][number][] = [];
    for (const m of all) {
      if (m.metadata.source !== "evaluation" || !isCallerId(m.user_id)) continue;
      memories.push({ id: m.id, userId: m.user_id, conversationId: m.metadata.conversation_id, timestamp: m.metadata.timestamp });
      byCaller.set(m.user_id, [...(byCaller.get(m.user_id) ?? []), m.id]);
    }
    progress(`memories: ${memories.length} evaluation memory(ies) of ${byCaller.size} caller(s) among ${all.length}`);

    let profilesRemoved = 0;
    if (request.apply) {
      for (const [callerId, ids] of byCaller) {
        await this.memories.remove(callerId, ids);
        // Memories first, as retention does: any profile built after this point is built without them.
        if (await this.profiles.remove(callerId)) profilesRemoved += 1;
      }
      progress(`removed ${memories.length} memory(ies) and ${profilesRemoved} profile(s)`);
    }
    return { applied: request.apply, memories, callers: [...byCaller.keys()], profilesRemoved };
  }
}
