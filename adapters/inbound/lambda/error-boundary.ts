import { logger } from "../../logging/logger";
import { httpEventSchema, parseEnvelope, type HttpRequest } from "./envelopes";
import { errorResponse, type HttpHandler, type HttpResult } from "./http";
import { describeError } from "../../../domain/error-description";

/**
 * Wrap a route so an unexpected failure becomes a JSON 500 with no details, logged once with the
 * error's name and message (never the request body). The event is read as an API Gateway HTTP API
 * event first; one that is not (a misconfigured integration) is such a failure too. `resolve` builds
 * the function's scope on the first event of a cold start; a configuration error there is answered
 * the same way.
 */
export function withErrorBoundary<S>(route: string, resolve: () => Promise<S>, handle: (request: HttpRequest, scope: S) => Promise<HttpResult>): HttpHandler {
  return async (event) => {
    try {
      const request = parseEnvelope(httpEventSchema, event, "API Gateway HTTP API event");
      return await handle(request, await resolve());
    } catch (error) {
      logger.error("request failed", { route, error: describeError(error) });
      return errorResponse(500, "INTERNAL_ERROR", "internal error; the request was not completed");
    }
  };
}
