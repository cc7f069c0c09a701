import { normaliseCallerId, type CallerId, type CallerIdentity, type NoIdentityReason } from "../../domain/caller-id";
import { buildCallerContext, buildMemorySummary, composeAgentPrompt } from "../../domain/caller-context";
import { extractCallerName, firstName } from "../../domain/caller-name";
import { buildGreeting, sanitiseName } from "../../domain/greeting";
import type { Memory } from "../../domain/memory";
import { ok, type Result } from "../../domain/result";
import { withDeadline } from "../deadline";
import type { CallSettings } from "../ports/call-settings.port";
import type { MemoryStore } from "../ports/memory-store.port";

/** How many name statements are read; the newest that yields a name wins. */
const NAME_MEMORIES = 5;

/** No phone number, however written, is longer; past this the text is not read as one (the retrieve schema's `user_id` bound). */
const MAX_RAW_CALLER_ID_CHARS = 64;

/** Everything the agent is told before the call starts. */
export interface CallContext {
  /** `null` when the caller has no usable phone number (withheld, anonymous, SIP user, national format…). */
  readonly callerId: CallerId | null;
  /**
   * Why the caller id was unusable, so the call went ahead as a new caller without reading or writing
   * anyone's memories; `null` when it was a usable number. Names a reason, never the raw value, so it is safe to log.
   */
  readonly callerIdIssue: NoIdentityReason | null;
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
 * Never refuses a call: ElevenLabs starts it only on a complete answer, so an unusable caller id is
 * answered as a new caller (the reason in `callerIdIssue`), and a slow or failing memory service
 * past the deadline is answered the same way (the reason in `degraded`).
 *
 * @example
 * await prepareCallContext.execute({ callerId: "sip:alice@pbx.example" });
 * // ok({ callerId: null, callerIdIssue: "not_a_phone_number", returning: false, memoryCount: 0, … })
 */
export class PrepareCallContext {
  constructor(
    private readonly memories: MemoryStore,
    private readonly settings: CallSettings,
  ) {}

  /** `callerId` is the webhook's `caller_id` as sent, of any JSON type (absent when it was not sent). */
  async execute(input: { readonly callerId: unknown }): Promise<Result<CallContext>> {
    const identity = identify(input.callerId);
    // Greet as new and share no one's memories: two callers must never end up with the same id.
    if (!identity.known) return ok(this.newCaller(null, null, identity.reason));

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
      callerIdIssue: null,
      callerName,
      returning: true,
      memoryCount: count,
      memorySummary: buildMemorySummary(recent, { maxChars: this.settings.summaryMaxChars }),
      firstMessage: buildGreeting({ returning: true, name: callerName }, this.settings.greetings),
      prompt: composeAgentPrompt(this.settings.basePrompt, context),
      degraded: null,
    });
  }

  private newCaller(callerId: CallerId | null, degraded: CallContext["degraded"], callerIdIssue: NoIdentityReason | null = null): CallContext {
    return {
      callerId,
      callerIdIssue,
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

/** The caller's identity from `caller_id` as sent, whatever its JSON type. */
function identify(raw: unknown): CallerIdentity {
  if (raw === undefined || raw === null) return { known: false, reason: "missing" };
  if (typeof raw === "string" && raw.length > MAX_RAW_CALLER_ID_CHARS) return { known: false, reason: "too_long" };
  const identity = normaliseCallerId(raw);
  // The domain reads strings and whole numbers only; any other value that was sent is no phone number, not a missing one.
  if (!identity.known && identity.reason === "missing" && typeof raw !== "string") return { known: false, reason: "not_a_phone_number" };
  return identity;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : "memory store failed";
}
