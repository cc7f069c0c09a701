import { describe, expect, it } from "vitest";
import { StaticSecrets } from "../fakes/static-secrets";
import { CheckWorkspaceKey } from "../../application/use-cases/check-workspace-key.use-case";
import { DomainError } from "../../domain/domain-error";
import { WORKSPACE_KEY } from "./support/harness";

const checkWith = (key = WORKSPACE_KEY) => new CheckWorkspaceKey(new StaticSecrets({ ELEVENLABS_WORKSPACE_KEY: key }));

describe("CheckWorkspaceKey", () => {
  it("lets the configured workspace key in", async () => {
    // Prepare
    const check = checkWith();

    // Act
    const result = await check.execute(WORKSPACE_KEY);

    // Assess
    expect(result).toEqual({ ok: true, value: true });
  });

  it.each([
    { name: "a wrong key", presented: "not-the-workspace-key" },
    { name: "the key with one character changed", presented: `${WORKSPACE_KEY.slice(0, -1)}4` },
    { name: "a prefix of the key", presented: WORKSPACE_KEY.slice(0, 10) },
    { name: "the key with a trailing space", presented: `${WORKSPACE_KEY} ` },
    { name: "the key in upper case", presented: WORKSPACE_KEY.toUpperCase() },
    { name: "an empty header", presented: "" },
    { name: "no header", presented: undefined },
  ])("refuses $name with WORKSPACE_KEY_INVALID naming the header", async ({ presented }) => {
    // Prepare
    const check = checkWith();

    // Act
    const result = await check.execute(presented);

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(DomainError);
    expect(result.error).toMatchObject({ code: "WORKSPACE_KEY_INVALID", field: "X-Workspace-Key" });
  });

  it("never echoes the expected key in its error", async () => {
    // Prepare
    const check = checkWith();

    // Act
    const result = await check.execute("guess");

    // Assess
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).not.toContain(WORKSPACE_KEY);
  });
});
