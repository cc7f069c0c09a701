import { verifySignature } from "../../domain/webhook-signature";
import { webhookEventKey } from "../../domain/webhook-event-key";
import { ok, type Result } from "../../domain/result";
import { DeadlineExceededError, withDeadline } from "../deadline";
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

/** Thrown when the event could not be stored within the acknowledgement budget. */
export class InboxUnavailableError extends Error {
  override readonly name = "InboxUnavailableError";
}

/** Retries of the durable write, all inside {@link DEFAULT_ACK_BUDGET_MS}. */
const DEFAULT_STORE_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 50, maxDelayMs: 400 };

/**
 * The whole acknowledgement (secret read, signature check, durable write with its retries) must
 * answer before API Gateway gives up at 30 s; past this the request is answered 503 (retryable).
 */
const DEFAULT_ACK_BUDGET_MS = 20_000;

export interface AcceptPostCallOptions {
  readonly storeRetry?: RetryPolicy;
  readonly budgetMs?: number;
}

/**
 * Post-call webhook: verify the signature over the raw bytes, store the raw body durably, then
 * acknowledge. Nothing is parsed here beyond the event's type and conversation id (the dedupe key):
 * a signed event of a type we don't know, or with a field we can't read, is stored and acknowledged
 * all the same, and the worker parks it with its reason. ElevenLabs does not retry a 4xx and may never
 * redeliver a failed webhook, so the store is retried within the request before we ever answer 5xx.
 */
export class AcceptPostCall {
  private readonly storeRetry: RetryPolicy;
  private readonly budgetMs: number;

  constructor(
    private readonly secrets: Secrets,
    private readonly inbox: EventInbox,
    private readonly trigger: IngestionTrigger,
    private readonly clock: Clock,
    options: AcceptPostCallOptions = {},
  ) {
    this.storeRetry = options.storeRetry ?? DEFAULT_STORE_RETRY;
    this.budgetMs = options.budgetMs ?? DEFAULT_ACK_BUDGET_MS;
  }

  /** `rawBody` is what was sent: bytes from HTTP (what the signature covers), or the same as text. */
  async execute(input: { readonly rawBody: Uint8Array | string; readonly signatureHeader: string | undefined }): Promise<Result<Acknowledgement>> {
    const started = Date.now();
    try {
      return await withDeadline(this.accept(input, () => Date.now() - started < this.budgetMs), this.budgetMs);
    } catch (error) {
      if (error instanceof DeadlineExceededError) throw new InboxUnavailableError("the post-call event could not be stored in time", { cause: error });
      throw error;
    }
  }

  private async accept(
    input: { readonly rawBody: Uint8Array | string; readonly signatureHeader: string | undefined },
    withinBudget: () => boolean,
  ): Promise<Result<Acknowledgement>> {
    const now = nowSeconds(this.clock);
    const secret = await this.secrets.get("ELEVENLABS_HMAC_KEY");
    const verified = verifySignature({ header: input.signatureHeader, rawBody: input.rawBody, secret, nowSecs: now });
    if (!verified.ok) return verified;

    const rawBody = typeof input.rawBody === "string" ? input.rawBody : new TextDecoder().decode(input.rawBody);
    const { eventType, conversationId } = webhookEventKey(rawBody);
    const id = inboxEventId(eventType, conversationId);
    let stored: { readonly duplicate: boolean };
    // An attempt may have written the event and still failed (a lost reply): the retry then sees a
    // "duplicate" that is really ours, so it must still wake the worker.
    let earlierAttemptFailed = false;
    try {
      stored = await retry(
        async (attempt) => {
          earlierAttemptFailed = attempt > 1;
          return this.inbox.store({ id, eventType, conversationId, receivedAt: now, rawBody });
        },
        this.storeRetry,
        Math.random,
        withinBudget,
      );
    } catch (error) {
      throw new InboxUnavailableError("the post-call event could not be stored", { cause: error });
    }
    const duplicate = stored.duplicate && !earlierAttemptFailed;
    if (!duplicate) this.trigger.notify(id);
    return ok({ id, duplicate });
  }
}
