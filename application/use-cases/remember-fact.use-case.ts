import { normaliseCallerId, type CallerId } from "../../domain/caller-id";
import { DomainError } from "../../domain/domain-error";
import { describeError } from "../../domain/error-description";
import { alreadyRemembered, dayConversationId, MAX_FACTS_PER_CONVERSATION, readRememberedFact, rememberedFactDraft } from "../../domain/remembered-fact";
import { err, ok, type Result } from "../../domain/result";
import type { CallSettings } from "../call-settings";
import type { CallerProfiles } from "../caller-profiles";
import { withDeadline } from "../deadline";
import type { Clock } from "../ports/clock.port";
import type { MemoryStore } from "../ports/memory-store.port";

export interface RememberRequest {
  readonly userId: string;
  readonly fact: string;
  readonly category?: string | undefined;
  readonly conversationId?: string | undefined;
  readonly agentId?: string | undefined;
}

export interface RememberOutcome {
  /** `not_stored`: an anonymous caller, or the memory store failed (then `degradedReason` says why). */
  readonly status: "stored" | "already_remembered" | "not_stored";
  /** One sentence the agent's model reads. */
  readonly message: string;
  /** The caller, when the number could be read (for masked logs). */
  readonly callerId: CallerId | null;
  /** Facts remembered in this conversation, this one included. */
  readonly rememberedInConversation: number;
  /** For the logs only (never sent to the agent). */
  readonly degradedReason: string | null;
}

const ANONYMOUS = "The caller's number is withheld or unknown, so nothing can be remembered about them; the fact was not stored.";
const UNAVAILABLE = "Memory is temporarily unavailable; the fact was not stored. Continue the call.";

/**
 * Remember (server tool): a fact the agent learned during the call, stored at once as a factual
 * memory of the caller, so retrieve finds it in the same call and the next call starts with it (the
 * caller's profile is rebuilt right after). The same fact twice in one conversation is stored once;
 * a conversation stores at most {@link MAX_FACTS_PER_CONVERSATION} facts.
 */
export class RememberFact {
  constructor(
    private readonly memories: MemoryStore,
    private readonly profiles: CallerProfiles,
    private readonly clock: Clock,
    private readonly settings: Pick<CallSettings, "retrieveDeadlineMs" | "defaultRegion">,
  ) {}

  async execute(input: RememberRequest): Promise<Result<RememberOutcome>> {
    const identity = normaliseCallerId(input.userId, { region: this.settings.defaultRegion });
    if (!identity.known) {
      if (identity.reason === "withheld" || identity.reason === "missing") {
        return ok({ status: "not_stored", message: ANONYMOUS, callerId: null, rememberedInConversation: 0, degradedReason: null });
      }
      return err(new DomainError("INVALID_CALLER_ID", `user_id is not a usable phone number (${identity.reason.replace(/_/g, " ")})`, { field: "user_id" }));
    }
    const fact = readRememberedFact(input);
    if (!fact.ok) return fact;

    const callerId = identity.callerId;
    const now = new Date(this.clock.nowMs()).toISOString();
    const conversationId = input.conversationId ?? dayConversationId(now);
    let remembered;
    try {
      remembered = await withDeadline(
        this.memories.list(callerId, { source: "remember", conversationId, limit: MAX_FACTS_PER_CONVERSATION * 2 }),
        this.settings.retrieveDeadlineMs,
      );
    } catch (error) {
      return ok({ status: "not_stored", message: UNAVAILABLE, callerId, rememberedInConversation: 0, degradedReason: describeError(error) });
    }
    if (alreadyRemembered(fact.value, remembered)) {
      const message = "This fact was already remembered in this call; nothing new was stored.";
      return ok({ status: "already_remembered", message, callerId, rememberedInConversation: remembered.length, degradedReason: null });
    }
    if (remembered.length >= MAX_FACTS_PER_CONVERSATION) {
      return err(
        new DomainError(
          "TOO_MANY_FACTS",
          `at most ${MAX_FACTS_PER_CONVERSATION} facts can be remembered per call, and this call has reached that; this fact was not stored`,
          { field: "fact" },
        ),
      );
    }

    const draft = rememberedFactDraft(fact.value, { userId: callerId, agent_id: input.agentId ?? "", timestamp: now, conversation_id: conversationId });
    try {
      await this.memories.add([draft]);
    } catch (error) {
      return ok({ status: "not_stored", message: UNAVAILABLE, callerId, rememberedInConversation: remembered.length, degradedReason: describeError(error) });
    }
    // The next call starts from the profile: rebuild it now, in case this call's post-call never comes.
    // The fact is stored either way, and ingestion after the call rebuilds the profile again.
    const degradedReason = await withDeadline(this.profiles.refresh(callerId, null), this.settings.retrieveDeadlineMs).then(
      () => null,
      (error: unknown) => `stored; profile not rebuilt: ${describeError(error)}`,
    );
    const count = remembered.length + 1;
    return ok({ status: "stored", message: `Remembered (${count} of at most ${MAX_FACTS_PER_CONVERSATION} facts in this call).`, callerId, rememberedInConversation: count, degradedReason });
  }
}
