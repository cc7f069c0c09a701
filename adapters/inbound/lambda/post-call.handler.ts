import { InboxUnavailableError } from "../../../application/use-cases/accept-post-call.use-case";
import { lambdaScope, primeOnLambda, type Scope } from "../../composition-root";
import { withErrorBoundary } from "./error-boundary";
import { bodyBytes, errorResponse, fromDomainError, header, json, rawBodyBytes, type HttpHandler } from "./http";
import { describeError } from "../../../domain/error-description";
import { inboxEventType } from "../../../application/ports/event-inbox.port";

/**
 * `POST /post-call`: the ElevenLabs post-call webhook. Verifies `ElevenLabs-Signature` over the raw
 * bytes, stores the raw body durably, then acknowledges; only the worker parses it. A signed event is
 * never refused over its content (type, fields, content type): ElevenLabs does not retry a 4xx.
 */
export function createPostCallHandler(resolve: () => Promise<Scope<"acceptPostCall">>): HttpHandler {
  return withErrorBoundary("post-call", resolve, async (event, app) => {
    const size = bodyBytes(event);
    if (size > app.env.MAX_POST_CALL_BODY_BYTES) {
      return errorResponse(413, "PAYLOAD_TOO_LARGE", `body is ${size} bytes; the limit is ${app.env.MAX_POST_CALL_BODY_BYTES}`);
    }
    try {
      const result = await app.acceptPostCall.execute({ rawBody: rawBodyBytes(event), signatureHeader: header(event, "elevenlabs-signature") });
      if (!result.ok) {
        app.logger.warn("post-call refused", { code: result.error.code });
        return fromDomainError(result.error);
      }
      app.logger.info("post-call acknowledged", { event: inboxEventType(result.value.id), duplicate: result.value.duplicate });
      return json(200, { status: "ok" });
    } catch (error) {
      if (!(error instanceof InboxUnavailableError)) throw error;
      app.logger.error("post-call could not be stored", { cause: describeError(error.cause) });
      // 503 is retryable for ElevenLabs (when retries are enabled); nothing was acknowledged.
      return errorResponse(503, "SERVICE_UNAVAILABLE", "the event could not be stored; retry later");
    }
  });
}

const scope = lambdaScope("post-call");
export const handler = createPostCallHandler(scope);
await primeOnLambda(scope);
