import { normaliseCallerId, type CallerId } from "../../domain/caller-id";
import { buildCallerContext, buildMemorySummary, composeAgentPrompt } from "../../domain/caller-context";
import { extractCallerName, firstName } from "../../domain/caller-name";
import { DomainError } from "../../domain/domain-error";
import { buildGreeting, sanitiseName } from "../../domain/greeting";
import type { Memory } from "../../domain/memory";
import { err, ok, type Result } from "../../domain/result";
import { withDeadline } from "../deadline";
import type { CallSettings } from "../ports/call-settings.port";
import type { MemoryStore } from "../ports/memory-store.port";

/** How many name statements are read; the newest that yields a name wins. */
const NAME_MEMORIES = 5;

/** Everything the agent is told before the call starts. */
export interface CallContext {
  /** `null` when the caller has no usable phone number (withheld, anonymous). */
  readonly callerId: CallerId | null;
  /** First name the caller gave in an earlier call, sanitised; `null` when unknown. */
  readonly callerName: string | null;
  readonly returning: boolean;
  readonly memoryCount: number;
  readonly memorySummary: string;
  readonly firstMessage: string;
  readonly prompt: string;
  /** Set when the memory service failed or was too slow and a new-caller answer was given instead. */
  readonly degraded: { readonly reason: string } | null;
}

/**
 * Client-data (conversation initiation): caller id → memories → name, greeting, summary, prompt.
 * Never lets a slow or failing memory service hold up the call: past the deadline it answers as
 * for a new caller and says so in `degraded`.
 */
export class PrepareCallContext {
  constructor(
    private readonly memories: MemoryStore,
    private readonly settings: CallSettings,
  ) {}

  async execute(input: { readonly callerId: string }): Promise<Result<CallContext>> {
    const identity = normaliseCallerId(input.callerId);
    if (!identity.known) {
      // Withheld or empty numbers are ordinary calls: greet as new, share no one's memories.
      if (identity.reason === "withheld" || identity.reason === "missing") return ok(this.newCaller(null, null));
      return err(
        new DomainError("INVALID_CALLER_ID", `caller_id is not a usable phone number (${identity.reason.replace(/_/g, " ")})`, {
          field: "caller_id",
        }),
      );
    }

    const { callerId } = identity;
    let recent: Memory[];
    let stated: Memory[];
    let count: number;
    try {
      [recent, stated, count] = await withDeadline(
        Promise.all([
          this.memories.list(callerId, { limit: this.settings.recentMemories }),
          // The name may have been given many calls ago, far outside the recent window.
          this.memories.list(callerId, { source: "caller_name", limit: NAME_MEMORIES }),
          this.memories.count(callerId),
        ]),
        this.settings.clientDataDeadlineMs,
      );
    } catch (error) {
      return ok(this.newCaller(callerId, { reason: describe(error) }));
    }
    if (count === 0) return ok(this.newCaller(callerId, null));

    const name = sanitiseName(newestStatedName([...stated, ...recent]));
    const callerName = name === null ? null : firstName(name);
    const context = buildCallerContext(recent, { budgetChars: this.settings.contextBudgetChars, callerName });
    return ok({
      callerId,
      callerName,
      returning: true,
      memoryCount: count,
      memorySummary: buildMemorySummary(recent, { maxChars: this.settings.summaryMaxChars }),
      firstMessage: buildGreeting({ returning: true, name: callerName }, this.settings.greetings),
      prompt: composeAgentPrompt(this.settings.basePrompt, context),
      degraded: null,
    });
  }

  private newCaller(callerId: CallerId | null, degraded: CallContext["degraded"]): CallContext {
    return {
      callerId,
      callerName: null,
      returning: false,
      memoryCount: 0,
      memorySummary: "",
      firstMessage: buildGreeting({ returning: false, name: null }, this.settings.greetings),
      prompt: composeAgentPrompt(this.settings.basePrompt, ""),
      degraded,
    };
  }
}

/**
 * The name from the newest memory that states one. Memories are read one at a time, so a caller
 * who corrected their name ("Marisela" after "Marisol") gets the correction, not a conflict.
 */
function newestStatedName(memories: readonly Memory[]): string | null {
  const factual = memories.filter((m) => m.metadata.type === "factual");
  const byNewest = [...factual].sort((a, b) => b.metadata.timestamp.localeCompare(a.metadata.timestamp));
  const ordered = [...byNewest.filter((m) => m.metadata.source === "caller_name"), ...byNewest.filter((m) => m.metadata.source !== "caller_name")];
  for (const memory of ordered) {
    const name = extractCallerName({ memories: [memory.memory] });
    if (name !== null) return name;
  }
  return null;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : "memory store failed";
}
