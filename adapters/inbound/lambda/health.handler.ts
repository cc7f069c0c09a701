import type { App } from "../../composition-root";
import { withErrorBoundary } from "./error-boundary";
import { json, type HttpHandler } from "./http";

/** `GET /health` (local server only): liveness, which backends are wired, how many events wait. */
export function createHealthHandler(resolveApp: () => Promise<App>): HttpHandler {
  return withErrorBoundary("health", resolveApp, async (_event, app) =>
    json(200, { status: "ok", backends: app.backends, pendingEvents: (await app.inbox.listPending()).length }),
  );
}
