import { InboxUnavailableError } from "../../../application/use-cases/accept-post-call.use-case";
import { getApp, type App } from "../../composition-root";
import { withErrorBoundary } from "./error-boundary";
import { bodyBytes, errorResponse, fromDomainError, header, isJsonContentType, json, rawBody, type HttpHandler } from "./http";

/**
 * `POST /post-call`: the ElevenLabs post-call webhook. Verifies `ElevenLabs-Signature` over the raw
 * body, stores the event durably, then acknowledges; memories are written by the worker.
 */
export function createPostCallHandler(resolveApp: () => Promise<App>): HttpHandler {
  return withErrorBoundary("post-call", resolveApp, async (event, app) => {
    const size = bodyBytes(event);
    if (size > app.env.MAX_POST_CALL_BODY_BYTES) {
      return errorResponse(413, "PAYLOAD_TOO_LARGE", `body is ${size} bytes; the limit is ${app.env.MAX_POST_CALL_BODY_BYTES}`);
    }
    const contentType = header(event, "content-type");
    if (contentType !== undefined && !isJsonContentType(contentType)) {
      return errorResponse(415, "UNSUPPORTED_MEDIA_TYPE", "content-type must be application/json");
    }
    try {
      const result = await app.acceptPostCall.execute({ rawBody: rawBody(event), signatureHeader: header(event, "elevenlabs-signature") });
      if (!result.ok) {
        app.logger.warn("post-call refused", { code: result.error.code });
        return fromDomainError(result.error);
      }
      app.logger.info("post-call acknowledged", { event: result.value.id.split("/")[0], duplicate: result.value.duplicate });
      return json(200, { status: "ok" });
    } catch (error) {
      if (!(error instanceof InboxUnavailableError)) throw error;
      app.logger.error("post-call could not be stored", { cause: error.cause instanceof Error ? error.cause.message : "unknown" });
      // 503 is retryable for ElevenLabs (when retries are enabled); nothing was acknowledged.
      return errorResponse(503, "SERVICE_UNAVAILABLE", "the event could not be stored; retry later");
    }
  });
}

export const handler = createPostCallHandler(getApp);
