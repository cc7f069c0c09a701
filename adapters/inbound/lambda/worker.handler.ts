import type { S3Event } from "aws-lambda";
import type { InboxEventId } from "../../../application/ports/event-inbox.port";
import { getApp, type App } from "../../composition-root";

const INBOX_KEY = /^inbox\/(post_call_transcription|post_call_audio|call_initiation_failure)\/([A-Za-z0-9_.:-]+)\.json$/;

/** The inbox id for an S3 object key such as `inbox/post_call_transcription/conv_1.json`, or null for any other key. */
export function inboxIdFromKey(key: string): InboxEventId | null {
  const match = INBOX_KEY.exec(decodeURIComponent(key.replace(/\+/g, " ")));
  return match ? (`${match[1]}/${match[2]}` as InboxEventId) : null;
}

/**
 * The worker Lambda, driven by S3 `ObjectCreated` events under `inbox/`. A failure is thrown so
 * Lambda retries the event and, after the last try, sends it to the dead-letter queue: the stored
 * event itself is never deleted.
 */
export function createWorkerHandler(resolveApp: () => Promise<App>): (event: S3Event) => Promise<{ processed: number }> {
  return async (event) => {
    const app = await resolveApp();
    let processed = 0;
    for (const record of event.Records ?? []) {
      const id = inboxIdFromKey(record.s3.object.key);
      if (id === null) {
        app.logger.warn("worker ignored an object outside the inbox", { key: record.s3.object.key.slice(0, 40) });
        continue;
      }
      const outcome = await app.ingestEvent.execute(id);
      app.logger.info("worker ingested event", { event: id.split("/")[0], status: outcome.status });
      processed += 1;
    }
    return { processed };
  };
}

export const handler = createWorkerHandler(getApp);
