import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteCallerProfileStore } from "../../adapters/outbound/embedded/sqlite-caller-profile-store";
import { SqliteMemoryStore } from "../../adapters/outbound/embedded/sqlite-memory-store";
import type { CallerId } from "../../domain/caller-id";
import type { MemoryDraft, MemorySource } from "../../domain/memory";
import { callerProfile } from "../contract/caller-profile-store.contract";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";
import { cli, clientData, jsonOf, tempDir } from "./cli-process";

const MARISOL = "+15550100123" as CallerId;
const NEIGHBOUR = "+15550100124" as CallerId;
const RATIONALE = "Before closing, the agent repeated the complete request and the caller accepted it.";

function draft(userId: CallerId, source: MemorySource, text: string, index: number): MemoryDraft {
  const conversationId = `conv_${userId.slice(-3)}`;
  return {
    key: `${conversationId}:${source}:${index}`,
    userId,
    text,
    metadata: { type: "factual", source, agent_id: "agent_cli_tests", timestamp: "2026-01-01T12:01:11.000Z", call_duration: 61, conversation_id: conversationId },
  };
}

/** A DATA_DIR as an earlier version left it: rationale memories for Marisol, and a profile whose summary quotes them. */
async function dataDirFromAnEarlierVersion(): Promise<string> {
  const dataDir = tempDir();
  const memories = new SqliteMemoryStore(join(dataDir, "memories.db"));
  const profiles = new SqliteCallerProfileStore(join(dataDir, "profiles.db"));
  await memories.add([
    draft(MARISOL, "summary", "Moved her dinner booking to Saturday for five.", 0),
    draft(MARISOL, "evaluation", "The caller gave her full name and the agent addressed her by it.", 0),
    draft(MARISOL, "evaluation", RATIONALE, 1),
    draft(MARISOL, "caller_name", "The caller's name is Marisol Quenby.", 0),
    draft(NEIGHBOUR, "summary", "Asked whether the terrace is open in winter.", 0),
  ]);
  const summary = `Moved her dinner booking to Saturday for five. ${RATIONALE}`;
  await profiles.put(callerProfile(MARISOL, { callerName: "Marisol", memoryCount: 4, memorySummary: summary }), null);
  await profiles.put(callerProfile(NEIGHBOUR, { callerName: null, memoryCount: 1, memorySummary: "Asked whether the terrace is open in winter." }), null);
  memories.close();
  profiles.close();
  return dataDir;
}

/** What the embedded stores hold now, read the way an operator would look at them. */
async function stored(dataDir: string) {
  const memories = new SqliteMemoryStore(join(dataDir, "memories.db"));
  const profiles = new SqliteCallerProfileStore(join(dataDir, "profiles.db"));
  try {
    const sourcesOf = async (id: CallerId) => (await memories.list(id)).map((m) => m.metadata.source).sort();
    return {
      marisol: await sourcesOf(MARISOL),
      neighbour: await sourcesOf(NEIGHBOUR),
      profiles: { marisol: (await profiles.get(MARISOL)) !== null, neighbour: (await profiles.get(NEIGHBOUR)) !== null },
    };
  } finally {
    memories.close();
    profiles.close();
  }
}

describe("agentic-memory migrate --drop-evaluation-memories, on the embedded backend while the server runs", () => {
  let server: ServerProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startServerProcess({ dataDir: await dataDirFromAnEarlierVersion() });
    env = { DATA_DIR: server.dataDir, ELEVENLABS_WORKSPACE_KEY: TEST_WORKSPACE_KEY, ELEVENLABS_HMAC_KEY: TEST_HMAC_KEY };
  });
  afterAll(async () => {
    await server.kill();
  });

  it("reports the rationale memories and their callers without changing anything (dry run by default)", async () => {
    const before = await stored(server.dataDir);

    const run = await cli(["migrate", "--drop-evaluation-memories"], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`  would remove 2 of ${MARISOL}\n`);
    expect(run.stdout).toMatch(/^Dry run: would remove 2 evaluation memory\(ies\) of 1 caller\(s\) and drop their profiles\. .*--apply/m);
    expect(await stored(server.dataDir)).toEqual(before);
    expect(before.marisol).toContain("evaluation");
    // The next call is still told what the earlier version's profile says.
    expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, MARISOL)).variables.memory_summary).toContain(RATIONALE);
  });

  it("with --apply removes them of every caller and drops those callers' profiles, so the next call is told fresh notes", async () => {
    const run = await cli(["migrate", "--drop-evaluation-memories", "--apply", "--json"], env);
    const report = jsonOf<{ migration: string; applied: boolean; memories: number; callers: number; profiles_removed: number; items: { memories: { user_id: string }[] } }>(run);
    const after = await stored(server.dataDir);
    const next = await clientData(server.baseUrl, TEST_WORKSPACE_KEY, MARISOL);

    expect(run.code).toBe(0);
    expect(report).toMatchObject({ migration: "drop-evaluation-memories", applied: true, memories: 2, callers: 1, profiles_removed: 1 });
    expect(report.items.memories.map((m) => m.user_id)).toEqual([MARISOL, MARISOL]);
    expect(after).toEqual({ marisol: ["caller_name", "summary"], neighbour: ["summary"], profiles: { marisol: false, neighbour: true } });
    expect(next.variables).toMatchObject({ returning_caller: "yes", caller_name: "Marisol", memory_count: "2" });
    expect(next.variables.memory_summary).toBe("Moved her dinner booking to Saturday for five.");
  });

  it("finds nothing when run again", async () => {
    const run = await cli(["migrate", "--drop-evaluation-memories", "--apply"], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe("Removed 0 evaluation memory(ies) of 0 caller(s) and dropped 0 caller profile(s).\n");
  });

  it.each([[["migrate"]], [["migrate", "--apply"]], [["migrate", "--drop-evaluation-memories", "--apply=yes"]], [["migrate", "--drop-evaluation-memories", "extra"]]])(
    "refuses %j with exit code 2 and changes nothing",
    async (args) => {
      const before = await stored(server.dataDir);

      const run = await cli(args, env);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--drop-evaluation-memories|--apply|unexpected argument/);
      expect(await stored(server.dataDir)).toEqual(before);
    },
  );
});
