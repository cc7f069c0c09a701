import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";
import { audioFor, cli, clientData, deliver, eventually, filesUnder, jsonOf } from "./cli-process";

const DAY = 24 * 60 * 60;
const OLD_CALLER = "+15550100131";
const RECENT_CALLER = "+15550100132";
const BOTH = "+15550100133";

/** The data dir's files, but the database's own (its WAL comes and goes). */
const dataFiles = (dir: string) => filesUnder(dir).filter((name) => !name.startsWith("memories.db"));

interface RetentionJson {
  days: number;
  cutoff: string;
  applied: boolean;
  memories: number;
  transcripts: number;
  audio: number;
  inbox_events: number;
  items: { memories: { user_id: string; timestamp: string }[]; transcripts: string[]; audio: string[]; inbox_events: string[] };
}

describe("agentic-memory retention --days 30", () => {
  let server: ServerProcess;
  let env: Record<string, string>;
  const now = Math.floor(Date.now() / 1000);
  const old = now - 40 * DAY;
  // Two minutes on the kept side of the cutoff: it must survive.
  const edge = now - 30 * DAY + 120;

  beforeAll(async () => {
    server = await startServerProcess();
    env = { DATA_DIR: server.dataDir, ELEVENLABS_WORKSPACE_KEY: TEST_WORKSPACE_KEY, ELEVENLABS_HMAC_KEY: TEST_HMAC_KEY };
    const calls = [
      transcriptionFor({ conversationId: "conv_old", callerId: OLD_CALLER, eventTimestamp: old }),
      audioFor("conv_old", old + 2),
      transcriptionFor({ conversationId: "conv_recent", callerId: RECENT_CALLER, eventTimestamp: now - 20 * DAY }),
      transcriptionFor({ conversationId: "conv_both_old", callerId: BOTH, eventTimestamp: old }),
      transcriptionFor({ conversationId: "conv_both_edge", callerId: BOTH, eventTimestamp: edge }),
    ];
    for (const body of calls) expect(await deliver(server.baseUrl, TEST_HMAC_KEY, body)).toBe(200);
    // Every event ingested: archived, remembered and marked done.
    await eventually(async () => filesUnder(join(server.dataDir, "processed")).length, (n) => n === 5);
  });
  afterAll(async () => {
    await server.kill();
  });

  it("reports what is older than the cutoff without deleting anything (dry run by default)", async () => {
    const before = dataFiles(server.dataDir);
    const countBefore = (await clientData(server.baseUrl, TEST_WORKSPACE_KEY, BOTH)).variables.memory_count;

    const text = await cli(["retention", "--days", "30"], env);
    const run = await cli(["retention", "--days=30", "--json"], env);
    const report = jsonOf<RetentionJson>(run);

    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Dry run: would remove \d+ memories \(of 2 caller\(s\)\), 2 transcript\(s\), 1 recording\(s\) and 3 ingested event\(s\)/m);
    expect(text.stdout).toContain("would remove audio/+15550100131/conv_old_");
    expect(text.stdout).toContain("--apply");
    expect(run.code).toBe(0);
    expect(report).toMatchObject({ days: 30, applied: false, transcripts: 2, audio: 1, inbox_events: 3 });
    expect(Date.parse(report.cutoff)).toBeCloseTo((now - 30 * DAY) * 1000, -5);
    expect(new Set(report.items.memories.map((m) => m.user_id))).toEqual(new Set([OLD_CALLER, BOTH]));
    expect(report.items.memories.every((m) => Date.parse(m.timestamp) === old * 1000)).toBe(true);
    expect(report.items.inbox_events.sort()).toEqual(["post_call_audio/conv_old", "post_call_transcription/conv_both_old", "post_call_transcription/conv_old"]);
    expect(dataFiles(server.dataDir)).toEqual(before);
    expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, BOTH)).variables.memory_count).toBe(countBefore);
  });

  it("with --apply removes exactly that, and nothing newer than the cutoff", async () => {
    const before = jsonOf<{ memories: { metadata: { conversation_id: string } }[] }>(await cli(["export", BOTH], env)).memories;
    const edgeCallMemories = before.filter((m) => m.metadata.conversation_id === "conv_both_edge").length;

    const run = await cli(["retention", "--days", "30", "--apply"], env);
    const files = dataFiles(server.dataDir);
    const both = jsonOf<{ memories: { metadata: { conversation_id: string } }[] }>(await cli(["export", BOTH], env));

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Removed \d+ memories \(of 2 caller\(s\)\), 2 transcript\(s\), 1 recording\(s\) and 3 ingested event\(s\)/);
    expect(files.filter((f) => f.includes("conv_old") || f.includes("conv_both_old"))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        join("archive", "transcripts", RECENT_CALLER, `conv_recent_${now - 20 * DAY}.json`),
        join("archive", "transcripts", BOTH, `conv_both_edge_${edge}.json`),
        join("processed", "post_call_transcription", "conv_recent.json"),
        join("processed", "post_call_transcription", "conv_both_edge.json"),
      ]),
    );
    expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, OLD_CALLER)).variables.returning_caller).toBe("no");
    expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, RECENT_CALLER)).variables.returning_caller).toBe("yes");
    // Every memory (every version) of the call at the edge is kept, and nothing of the older call.
    expect(both.memories.length).toBe(edgeCallMemories);
    expect(new Set(both.memories.map((m) => m.metadata.conversation_id))).toEqual(new Set(["conv_both_edge"]));
  });

  it.each([[["retention"]], [["retention", "--days", "0"]], [["retention", "--days", "thirty"]], [["retention", "--days", "30", "--apply=yes"]]])(
    "refuses %j with exit code 2",
    async (args) => {
      const run = await cli(args, env);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--days|--apply/);
    },
  );

  it("mentions the S3 lifecycle rules of the AWS stack in its help", async () => {
    const run = await cli(["retention", "--help"]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/lifecycle rules/);
    expect(run.stdout).toMatch(/retentionDays/);
  });
});
