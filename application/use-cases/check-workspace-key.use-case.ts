import { DomainError } from "../../domain/domain-error";
import { err, ok, type Result } from "../../domain/result";
import { constantTimeEqual } from "../../domain/secret-compare";
import type { Secrets } from "../ports/secrets.port";

/** The header ElevenLabs sends with the conversation-initiation webhook and the retrieve tool. */
const WORKSPACE_KEY_HEADER = "X-Workspace-Key";

/** Authenticates client-data and retrieve calls: the presented key must equal the workspace key (constant time). */
export class CheckWorkspaceKey {
  constructor(private readonly secrets: Secrets) {}

  async execute(presented: string | undefined): Promise<Result<true>> {
    const expected = await this.secrets.get("ELEVENLABS_WORKSPACE_KEY");
    if (presented === undefined || presented === "") {
      return err(new DomainError("WORKSPACE_KEY_INVALID", `${WORKSPACE_KEY_HEADER} header is missing`, { field: WORKSPACE_KEY_HEADER }));
    }
    if (!constantTimeEqual(presented, expected)) {
      return err(new DomainError("WORKSPACE_KEY_INVALID", `${WORKSPACE_KEY_HEADER} header is wrong`, { field: WORKSPACE_KEY_HEADER }));
    }
    return ok(true);
  }
}
