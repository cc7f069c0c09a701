import { normaliseCallerId, regionOf, type CallerId, type CallerIdentity, type NoIdentityReason } from "../../domain/caller-id";
import { composeAgentPrompt } from "../../domain/caller-context";
import { buildGreeting, type GreetingTemplates } from "../../domain/greeting";
import { ok, type Result } from "../../domain/result";
import type { CallerProfiles, ProfileOrigin } from "../caller-profiles";
import { withDeadline } from "../deadline";
import type { CallSettings } from "../call-settings";
import { describeError } from "../../domain/error-description";

/** No phone number, however written, is longer; past this the text is not read as one (the retrieve schema's `user_id` bound). */
const MAX_RAW_CALLER_ID_CHARS = 64;

/** Everything the agent is told before the call starts. */
export interface CallContext {
  /** `null` when the caller has no usable phone number (withheld, anonymous, SIP user, national format with no region…). */
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
  /** The language the caller speaks, as their profile knows it (ISO 639-1); `null` for new callers and while unknown. */
  readonly language: string | null;
  /** Set when the memory service failed or was too slow and a new-caller answer was given instead. */
  readonly degraded: { readonly reason: string } | null;
  /** What the answer was read from: the caller's stored profile (one read), their memories (no profile yet), or nothing. */
  readonly origin: ProfileOrigin | null;
}

/**
 * Client-data (conversation initiation): caller id → profile → name, greeting, summary, prompt. The
 * profile is one read (written after each ingested call); only a caller without one yet is read from
 * their memories, with a bounded number of reads. A caller id in national form is read in the region
 * of the number that was called, else in the operator's default region.
 * Never refuses a call: ElevenLabs starts it only on a complete answer, so an unusable caller id is
 * answered as a new caller (the reason in `callerIdIssue`), and a slow or failing memory service
 * past the deadline is answered the same way (the reason in `degraded`).
 *
 * @example
 * await prepareCallContext.execute({ callerId: "sip:alice@pbx.example" });
 * // ok({ callerId: null, callerIdIssue: "not_a_phone_number", returning: false, memoryCount: 0, … })
 * await prepareCallContext.execute({ callerId: "5550100123", calledNumber: "+15550100199" });
 * // ok({ callerId: "+15550100123", … })
 */
export class PrepareCallContext {
  constructor(
    private readonly profiles: CallerProfiles,
    private readonly settings: CallSettings,
  ) {}

  /**
   * `callerId` is the webhook's `caller_id` as sent, of any JSON type (absent when it was not sent);
   * `calledNumber` its `called_number`, the number the caller dialled (absent or unusable: the default region).
   */
  async execute(input: { readonly callerId: unknown; readonly calledNumber?: unknown }): Promise<Result<CallContext>> {
    const identity = identify(input.callerId, regionOf(input.calledNumber) ?? this.settings.defaultRegion);
    // Greet as new and share no one's memories: two callers must never end up with the same id.
    if (!identity.known) return ok(this.newCaller(null, null, identity.reason));

    const { callerId } = identity;
    let current: Awaited<ReturnType<CallerProfiles["current"]>>;
    try {
      current = await withDeadline(this.profiles.current(callerId), this.settings.clientDataDeadlineMs);
    } catch (error) {
      return ok(this.newCaller(callerId, { reason: describeError(error) }));
    }
    const { profile, origin } = current;
    if (profile.memoryCount === 0) return ok({ ...this.newCaller(callerId, null), origin });

    return ok({
      callerId,
      callerIdIssue: null,
      callerName: profile.callerName,
      returning: true,
      memoryCount: profile.memoryCount,
      memorySummary: profile.memorySummary,
      firstMessage: buildGreeting({ returning: true, name: profile.callerName }, this.greetingsIn(profile.language)),
      prompt: composeAgentPrompt(this.settings.basePrompt, profile.callerContext),
      language: profile.language,
      degraded: null,
      origin,
    });
  }

  /** The caller's language's greetings when we have them, else the operator's default ones. */
  private greetingsIn(language: string | null): GreetingTemplates {
    return (language === null ? undefined : this.settings.greetingsByLanguage[language]) ?? this.settings.greetings;
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
      language: null,
      degraded,
      origin: null,
    };
  }
}

/** The caller's identity from `caller_id` as sent, whatever its JSON type; a national number is read in `region`. */
function identify(raw: unknown, region: string | null): CallerIdentity {
  if (raw === undefined || raw === null) return { known: false, reason: "missing" };
  if (typeof raw === "string" && raw.length > MAX_RAW_CALLER_ID_CHARS) return { known: false, reason: "too_long" };
  const identity = normaliseCallerId(raw, { region });
  // The domain reads strings and whole numbers only; any other value that was sent is no phone number, not a missing one.
  if (!identity.known && identity.reason === "missing" && typeof raw !== "string") return { known: false, reason: "not_a_phone_number" };
  return identity;
}

