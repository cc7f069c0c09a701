import { parseConversation } from "../../domain/conversation-parser";
import { DomainError } from "../../domain/domain-error";
import { err, ok, type Result } from "../../domain/result";
import { verifySignature } from "../../domain/webhook-signature";
import { retry, type RetryPolicy } from "../retry";
import { nowSeconds, type Clock } from "../ports/clock.port";
import { inboxEventId, type EventInbox, type InboxEventId } from "../ports/event-inbox.port";
import type { IngestionTrigger } from "../ports/ingestion-trigger.port";
import type { Secrets } from "../ports/secrets.port";

export interface Acknowledgement {
  readonly id: InboxEventId;
  /** The same event had been stored before (a webhook retry): nothing new was written. */
  readonly duplicate: boolean;
}

/** Thrown when the inbox could not store the event after every in-request retry. */
export class InboxUnavailableError extends Error {
  override readonly name = "InboxUnavailableError";
}

/** Retries that fit well inside the acknowledgement budget. */
export const DEFAULT_STORE_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 50, maxDelayMs: 400 };

/**
 * Post-call webhook: verify the signature over the raw body, store the event durably, acknowledge.
 * ElevenLabs may never redeliver a failed webhook, so the store is retried within the request
 * before we ever answer with an error; the memories are written later by {@link IngestEvent}.
 */
export class AcceptPostCall {
  constructor(
    private readonly secrets: Secrets,
    private readonly inbox: EventInbox,
    private readonly trigger: IngestionTrigger,
    private readonly clock: Clock,
    private readonly storeRetry: RetryPolicy = DEFAULT_STORE_RETRY,
  ) {}

  async execute(input: { readonly rawBody: string; readonly signatureHeader: string | undefined }): Promise<Result<Acknowledgement>> {
    const now = nowSeconds(this.clock);
    const secret = await this.secrets.get("ELEVENLABS_HMAC_KEY");
    const verified = verifySignature({ header: input.signatureHeader, rawBody: input.rawBody, secret, nowSecs: now });
    if (!verified.ok) return verified;

    let payload: unknown;
    try {
      payload = JSON.parse(input.rawBody);
    } catch {
      return err(new DomainError("INVALID_PAYLOAD", "body is not valid JSON", { field: "body" }));
    }
    const parsed = parseConversation(payload, { fallbackTimestamp: now });
    if (!parsed.ok) return parsed;

    const { eventType, conversationId } = parsed.value;
    const id = inboxEventId(eventType, conversationId);
    let stored: { readonly duplicate: boolean };
    // An attempt may have written the event and still failed (a lost reply): the retry then sees a
    // "duplicate" that is really ours, so it must still wake the worker.
    let earlierAttemptFailed = false;
    try {
      stored = await retry(async (attempt) => {
        earlierAttemptFailed = attempt > 1;
        return this.inbox.store({ id, eventType, conversationId, receivedAt: now, rawBody: input.rawBody });
      }, this.storeRetry);
    } catch (error) {
      throw new InboxUnavailableError("the post-call event could not be stored", { cause: error });
    }
    const duplicate = stored.duplicate && !earlierAttemptFailed;
    if (!duplicate) this.trigger.notify(id);
    return ok({ id, duplicate });
  }
}
