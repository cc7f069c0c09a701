import { logger } from "../../logging/logger";
import { httpEventSchema, parseEnvelope, type HttpRequest } from "./envelopes";
import { errorResponse, type HttpHandler, type HttpResult } from "./http";
import { describeError } from "../../../domain/error-description";
import { isMetricRoute, outcomeOfStatus, type RequestMetric } from "../../../domain/usage";
import type { UsageRecorder } from "../../../application/ports/usage-metrics.port";

/** What a route's metric event says beyond route, outcome and latency (client-data: how the call started). */
type RequestDetails = Pick<RequestMetric, "degraded" | "returning" | "greetedByName">;

/** A route's answer with the details of its metric event. */
export interface DetailedAnswer {
  readonly response: HttpResult;
  readonly details: RequestDetails;
}

/**
 * Wrap a route so an unexpected failure becomes a JSON 500 with no details, logged once with the
 * error's name and message (never the request body). The event is read as an API Gateway HTTP API
 * event first; one that is not (a misconfigured integration) is such a failure too. `resolve` builds
 * the function's scope on the first event of a cold start; a configuration error there is answered
 * the same way.
 *
 * On a route of `METRIC_ROUTES`, every request the scope was built for is recorded as one metric
 * event once it is answered (a 4xx or 5xx too), with its latency from arrival to answer; an event
 * that is not an HTTP event is not.
 */
export function withErrorBoundary<S extends { readonly metrics: UsageRecorder }>(
  route: string,
  resolve: () => Promise<S>,
  handle: (request: HttpRequest, scope: S) => Promise<HttpResult | DetailedAnswer>,
): HttpHandler {
  return async (event) => {
    const at = Date.now();
    const started = performance.now();
    let scope: S | undefined;
    let answer: DetailedAnswer;
    try {
      const request = parseEnvelope(httpEventSchema, event, "API Gateway HTTP API event");
      scope = await resolve();
      const handled = await handle(request, scope);
      answer = "response" in handled ? handled : { response: handled, details: {} };
    } catch (error) {
      logger.error("request failed", { route, error: describeError(error) });
      answer = { response: errorResponse(500, "INTERNAL_ERROR", "internal error; the request was not completed"), details: {} };
    }
    const { response, details } = answer;
    if (isMetricRoute(route)) await scope?.metrics.record({ route, outcome: outcomeOfStatus(response.statusCode), at, latencyMs: performance.now() - started, ...details });
    return response;
  };
}
