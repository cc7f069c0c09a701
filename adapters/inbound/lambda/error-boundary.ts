import type { App } from "../../composition-root";
import { logger } from "../../logging/logger";
import { errorResponse, type HttpEvent, type HttpHandler, type HttpResult } from "./http";

/**
 * Wrap a route so an unexpected failure becomes a JSON 500 with no details, logged once with the
 * error's name and message (never the request body).
 */
export function withErrorBoundary(
  route: string,
  resolveApp: () => Promise<App>,
  handle: (event: HttpEvent, app: App) => Promise<HttpResult>,
): HttpHandler {
  return async (event) => {
    try {
      return await handle(event, await resolveApp());
    } catch (error) {
      logger.error("request failed", { route, error: error instanceof Error ? { name: error.name, message: error.message } : "unknown" });
      return errorResponse(500, "INTERNAL_ERROR", "internal error; the request was not completed");
    }
  };
}
