import type { Scope } from "../../composition-root";
import { fromDomainError, header, type HttpResult } from "./http";
import type { HttpRequest } from "./envelopes";

/**
 * The server tools' (retrieve, remember) shared rule: the `X-Workspace-Key` is checked unless the
 * operator turned it off (`RETRIEVE_REQUIRE_KEY=false`). Returns the refusal, or `null` to go on.
 */
export async function refuseWithoutToolKey(event: HttpRequest, app: Scope<"checkWorkspaceKey">): Promise<HttpResult | null> {
  if (!app.env.RETRIEVE_REQUIRE_KEY) return null;
  const auth = await app.checkWorkspaceKey.execute(header(event, "x-workspace-key"));
  return auth.ok ? null : fromDomainError(auth.error);
}
