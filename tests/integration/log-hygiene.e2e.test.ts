import { describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { signed, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY } from "../support/local-server-process";

const CALLER = "+15550100127";
const keyed = { "content-type": "application/json", "X-Workspace-Key": TEST_WORKSPACE_KEY };

describe("logs of a full flow", () => {
  it("are structured JSON with masked phone numbers and no transcript, memory or key text", async () => {
    const server = await startServerProcess();
    try {
      const body = transcriptionFor({ conversationId: "conv_logs_1", callerId: CALLER });
      await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(body, TEST_HMAC_KEY), body });
      await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(body, "wrong"), body });
      const isReturning = async () => {
        const res = await fetch(`${server.baseUrl}/client-data`, { method: "POST", headers: keyed, body: JSON.stringify({ caller_id: CALLER }) });
        return ((await res.json()) as { dynamic_variables: { returning_caller: string } }).dynamic_variables.returning_caller === "yes";
      };
      await eventually(isReturning, (yes) => yes, 2000);
      await fetch(`${server.baseUrl}/retrieve`, { method: "POST", headers: keyed, body: JSON.stringify({ query: "vegetarian wheelchair", user_id: CALLER }) });
      await fetch(`${server.baseUrl}/retrieve`, { method: "POST", headers: keyed, body: JSON.stringify({ query: "x", user_id: "not a number" }) });
      await fetch(`${server.baseUrl}/client-data`, { method: "POST", headers: { ...keyed, "X-Workspace-Key": "guess" }, body: "{}" });
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await server.kill();
    }

    const lines = server.output().split("\n").filter((l) => l.startsWith("{"));
    const logs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const text = lines.join("\n");

    expect(returning(logs)).toBe(true);
    expect(logs.every((l) => typeof l.level === "string" && typeof l.message === "string" && typeof l.timestamp === "string")).toBe(true);
    expect(text).toContain("+*******0127");
    expect(text).not.toContain(CALLER);
    expect(text).not.toContain("5550100127");
    for (const spoken of ["Marisol", "vegetarian", "wheelchair", "Saturday", "sister"]) expect(text).not.toContain(spoken);
    expect(text).not.toContain(TEST_WORKSPACE_KEY);
    expect(text).not.toContain(TEST_HMAC_KEY);
    expect(text).not.toContain("guess");
  });
});

/** The flow really ran: the logs record a returning caller. */
function returning(logs: Record<string, unknown>[]): boolean {
  return logs.some((l) => l.message === "client-data answered" && l.returning === true);
}
