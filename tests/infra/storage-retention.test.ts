// Retention on a versioned bucket: the one storage combination the two program runs do not cover.
import { beforeAll, expect, it } from "vitest";
import { type ProgramRun, T, runProgram } from "./program-harness";

let run: ProgramRun;
beforeAll(async () => {
  run = await runProgram("prod", {}, {}, async () => {
    const { Storage } = await import("../../infra/storage");
    new Storage("storage", { prefix: "p", accountId: "123456789012", versioning: true, retentionDays: 90 });
    return {};
  });
});

it("also expires noncurrent versions, a day after they stop being current, so retention really deletes", () => {
  expect(run.get(T.bucketVersioning, "p-archive").inputs).toMatchObject({ versioningConfiguration: { status: "Enabled" } });
  expect(run.get(T.bucketLifecycle, "p-archive").inputs.rules).toEqual([
    expect.objectContaining({ id: "settled-awaiting-audio" }),
    ...["inbox", "processed", "transcripts", "audio", "profiles"].map((prefix) => ({
      id: `expire-${prefix}`,
      status: "Enabled",
      filter: { prefix: `${prefix}/` },
      expiration: { days: 90 },
      noncurrentVersionExpiration: { noncurrentDays: 1 },
    })),
  ]);
});
