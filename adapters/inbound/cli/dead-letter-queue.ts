import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import * as z from "zod/mini";
import { s3EventSchema } from "../lambda/envelopes";

/** A Lambda on-failure destination record: the original invocation payload (the worker's S3 event) under `requestPayload`. */
const destinationRecordSchema = z.object({ requestPayload: s3EventSchema });

/** One message of the dead-letter queue: the S3 object keys it names, or null when it is not readable as one. */
export interface DeadLetter {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly keys: readonly string[] | null;
}

/** How long a received message stays hidden from other readers while its events are re-ingested. */
const VISIBILITY_SECS = 300;

/**
 * The worker's SQS dead-letter queue, as the CLI replays it. Messages are Lambda on-failure
 * destination records (`requestPayload` = the S3 event); a bare S3 event (an SQS DLQ configured on
 * the function instead) is read too.
 */
export class DeadLetterQueue {
  private readonly seen = new Set<string>();

  constructor(
    private readonly sqs: SQSClient,
    readonly url: string,
  ) {}

  /** Every message once, until the queue answers no more. */
  async *receive(): AsyncGenerator<DeadLetter> {
    for (;;) {
      const out = await this.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: this.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: VISIBILITY_SECS }),
      );
      const fresh = (out.Messages ?? []).filter((m) => m.MessageId !== undefined && m.ReceiptHandle !== undefined && !this.seen.has(m.MessageId));
      if (fresh.length === 0) return;
      for (const message of fresh) {
        const messageId = message.MessageId ?? "";
        this.seen.add(messageId);
        yield { messageId, receiptHandle: message.ReceiptHandle ?? "", keys: inboxKeysOf(message.Body ?? "") };
      }
    }
  }

  /** The message is dealt with: it leaves the queue. */
  async delete(letter: DeadLetter): Promise<void> {
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.url, ReceiptHandle: letter.receiptHandle }));
  }

  /** The message stays: visible again at once, for the next replay. */
  async release(letter: DeadLetter): Promise<void> {
    await this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.url, ReceiptHandle: letter.receiptHandle, VisibilityTimeout: 0 }));
  }
}

/** The S3 keys a dead letter names, or null when the body is neither a destination record nor an S3 event. */
export function inboxKeysOf(body: string): string[] | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const record = destinationRecordSchema.safeParse(json);
  const event = record.success ? record.data.requestPayload : s3EventSchema.safeParse(json).data;
  const keys = event?.Records?.map((r) => r.s3.object.key) ?? [];
  return keys.length > 0 ? keys : null;
}
