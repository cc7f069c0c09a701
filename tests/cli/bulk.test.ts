import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsConversationArchive } from "../../adapters/outbound/embedded/fs-conversation-archive";
import { SqliteCallerProfileStore } from "../../adapters/outbound/embedded/sqlite-caller-profile-store";
import type { CallerId } from "../../domain/caller-id";
import { callerProfile } from "../contract/caller-profile-store.contract";
import { transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";
import { cli, clientData, deliver, eventually, filesUnder, jsonOf, tempDir } from "./cli-process";

const MARISOL = "+15550100123";
const NEIGHBOUR = "+15550100124";
/** Known to us only through the import. */
const MEMBER = "+15550100125";
/** Known only by an archived call (its memories went, e.g. by retention of Mem0 alone). */
const ARCHIVED = "+15550100140";
/** Known only by a stored profile. */
const PROFILED = "+15550100141";

const FACT = "Prefers to be called back after 6 pm.";

/** A file in a fresh folder, with these lines. */
function fileWith(name: string, lines: readonly string[]): string {
  const path = join(tempDir(), name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/** The whole client-data answer (variables and the prompt override), as text. */
async function clientDataAnswer(baseUrl: string, callerId: string): Promise<string> {
  const response = await fetch(`${baseUrl}/client-data`, {
    method: "POST",
    headers: { "content-type": "application/json", "X-Workspace-Key": TEST_WORKSPACE_KEY },
    body: JSON.stringify({ caller_id: callerId }),
  });
  return JSON.stringify(await response.json());
}

describe("agentic-memory import, export --all and forget --file, against a running local server", { timeout: 60_000 }, () => {
  let server: ServerProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    // With a base prompt, client-data sends the caller notes in the prompt override.
    server = await startServerProcess({ env: { AGENT_BASE_PROMPT: "You are the Lumen Line concierge." } });
    env = { DATA_DIR: server.dataDir, ELEVENLABS_WORKSPACE_KEY: TEST_WORKSPACE_KEY, ELEVENLABS_HMAC_KEY: TEST_HMAC_KEY };
    expect(await deliver(server.baseUrl, TEST_HMAC_KEY, transcriptionFor({ conversationId: "conv_marisol", callerId: MARISOL }))).toBe(200);
    expect(await deliver(server.baseUrl, TEST_HMAC_KEY, transcriptionFor({ conversationId: "conv_neighbour", callerId: NEIGHBOUR }))).toBe(200);
    await eventually(async () => filesUnder(join(server.dataDir, "processed")).length, (n) => n === 2);
  });
  afterAll(async () => {
    await server.kill();
  });

  const importFile = () =>
    fileWith("crm.jsonl", [
      JSON.stringify({ caller_id: MARISOL, memory: FACT, key: "callback_time" }),
      JSON.stringify({ caller_id: "+1 (555) 010-0125", memory: "Is a member since 2019.", timestamp: "2019-03-01T10:00:00+01:00" }),
      JSON.stringify({ caller_id: "555 010 0126", memory: "Lives by the harbour." }),
      '{"caller_id": "+15550100127", "memory": "Broken line',
      "",
      JSON.stringify({ caller_id: "+15550100128", memory: "Has a dog.", type: "episodic" }),
      JSON.stringify({ caller_id: "+15550100129", memory: "Likes tea.", timestamp: "yesterday" }),
      JSON.stringify({ caller_id: "+15550100130", memory: "   " }),
      JSON.stringify({ caller_id: "+15550100131", memory: "Likes jazz.", tags: ["music"] }),
      JSON.stringify({ caller_id: MARISOL, memory: "Talked about her garden.", type: "semantic", timestamp: "2025-06-01T08:00:00Z" }),
    ]);
  let crm: string;

  it("imports the good lines, reports each bad one by line number and field without its content, exits 1, and the next call is told", async () => {
    crm = importFile();
    const countBefore = (await clientData(server.baseUrl, TEST_WORKSPACE_KEY, MARISOL)).variables.memory_count;

    const run = await cli(["import", crm], env);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe("Imported 3 memories (0 already stored) for 2 caller(s); 6 bad line(s) skipped (3, 4, 6, 7, 8, 9).\n");
    const reported = run.stderr.split("\n").filter((line) => line.startsWith("line "));
    expect(reported).toEqual([
      expect.stringMatching(/^line 3: caller_id: is not a phone number we can read \(national number\).*DEFAULT_REGION/),
      "line 4: not valid JSON",
      'line 6: type: must be "factual" or "semantic"',
      expect.stringMatching(/^line 7: timestamp: must be an ISO 8601 date and time with a zone/),
      "line 8: memory: must not be empty",
      'line 9: "tags": not a field of an import line (caller_id, memory, type, key, timestamp)',
    ]);
    // What the bad lines say is never repeated: not their numbers, not their text.
    for (const said of ["0126", "0127", "0128", "harbour", "Broken", "dog", "tea"]) expect(run.stderr).not.toContain(said);
    // Marisol had a profile from her call: it was rebuilt, so her next call is told the imported fact.
    const marisol = await clientData(server.baseUrl, TEST_WORKSPACE_KEY, MARISOL);
    expect(Number(marisol.variables.memory_count)).toBe(Number(countBefore) + 2);
    expect(await clientDataAnswer(server.baseUrl, MARISOL)).toContain(FACT);
    expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, MEMBER)).variables).toMatchObject({ returning_caller: "yes", memory_count: "1" });
  });

  it("adds nothing when the same file is imported again", async () => {
    const run = await cli(["import", crm, "--json"], env);
    const exported = jsonOf<{ memories: { memory: string; metadata: { source: string; fact_key?: string; timestamp: string } }[] }>(await cli(["export", MARISOL], env));

    expect(run.code).toBe(1);
    expect(jsonOf(run)).toEqual({ read: 9, imported: 0, already_stored: 3, bad_lines: [3, 4, 6, 7, 8, 9], callers: 2, dry_run: false });
    expect(exported.memories.filter((m) => m.metadata.source === "import").map((m) => [m.memory, m.metadata.fact_key ?? null, m.metadata.timestamp])).toEqual([
      [FACT, "callback_time", expect.any(String)],
      ["Talked about her garden.", null, "2025-06-01T08:00:00.000Z"],
    ]);
  });

  it("checks a file without storing anything with --dry-run, and exits 0 when every line is good", async () => {
    const file = fileWith("dry.jsonl", [JSON.stringify({ caller_id: "+15550100150", memory: "Only checked." })]);

    const run = await cli(["import", file, "--dry-run"], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe("Dry run: 1 good line(s) for 1 caller(s), no bad lines. Nothing was stored.\n");
    expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, "+15550100150")).variables).toMatchObject({ returning_caller: "no", memory_count: "0" });
  });

  it("exports every caller to DIR/<caller>.json, also those known only by an archived call or a profile, each as export <caller> writes it", async () => {
    await new FsConversationArchive(server.dataDir).putTranscript(
      `transcripts/${ARCHIVED}/conv_archived_1767268871.json`,
      transcriptionFor({ conversationId: "conv_archived", callerId: ARCHIVED }),
    );
    await new FsConversationArchive(server.dataDir).putTranscript("transcripts/anonymous/conv_withheld_1767268871.json", "{}");
    const profiles = new SqliteCallerProfileStore(join(server.dataDir, "profiles.db"));
    await profiles.put(callerProfile(PROFILED as CallerId), null);
    profiles.close();
    const out = join(tempDir(), "everyone");

    const run = await cli(["export", "--all", "--out", out], env);

    expect(run.code).toBe(0);
    const callers = [MARISOL, NEIGHBOUR, MEMBER, ARCHIVED, PROFILED];
    expect(readdirSync(out).sort()).toEqual(callers.map((c) => `${c}.json`).sort());
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(run.stdout).toMatch(new RegExp(`^Exported 5 caller\\(s\\) to ${out}: \\d+ memories, 3 transcript\\(s\\), 0 recording\\(s\\)\\.\\n$`));
    expect(run.stderr).not.toMatch(/\+1555/);
    const singles = await Promise.all(callers.map(async (callerId) => jsonOf<Record<string, unknown>>(await cli(["export", callerId], env))));
    callers.forEach((callerId, index) => {
      const path = join(out, `${callerId}.json`);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect({ ...(JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>), exported_at: "" }).toEqual({ ...singles[index], exported_at: "" });
    });
    const archived = JSON.parse(readFileSync(join(out, `${ARCHIVED}.json`), "utf8")) as { memories: unknown[]; transcripts: { key: string }[] };
    expect(archived.memories).toEqual([]);
    expect(archived.transcripts.map((t) => t.key)).toEqual([`transcripts/${ARCHIVED}/conv_archived_1767268871.json`]);
  });

  it("refuses to export everyone into a directory that holds anything, and --all without --out", async () => {
    const used = tempDir();
    writeFileSync(join(used, "old.json"), "{}");

    const [full, noOut, both] = await Promise.all([
      cli(["export", "--all", "--out", used], env),
      cli(["export", "--all"], env),
      cli(["export", MARISOL, "--all", "--out", tempDir()], env),
    ]);

    expect(full.code).toBe(2);
    expect(full.stderr).toContain(`--out ${used} is not empty`);
    expect(readdirSync(used)).toEqual(["old.json"]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("export --all needs --out DIR");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("export --all takes no <caller>");
  });

  it("forgets every caller of a file, skips comments and blank lines, reports bad lines by number, and sums it up", async () => {
    const file = fileWith("erasure-requests.txt", [
      "# erasure requests of March",
      MEMBER,
      "",
      "555 010 0126",
      "  +1 (555) 010-0124  ",
      "anonymous",
      "# the end",
    ]);

    const run = await cli(["forget", "--file", file], env);
    const again = await cli(["forget", "--file", file, "--json"], env);

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(`^Forgot 2 caller\\(s\\) from ${file}: [1-9]\\d* memories, 1 transcript\\(s\\), 0 recording\\(s\\), 1 stored event\\(s\\) removed; 2 bad line\\(s\\) skipped \\(4, 6\\)\\.\\n$`),
    );
    expect(run.stderr.split("\n").filter((line) => line.startsWith("line "))).toEqual([
      expect.stringMatching(/^line 4: is not a phone number we can read \(national number\)/),
      expect.stringMatching(/^line 6: is not a phone number we can read \(withheld\)/),
    ]);
    expect(run.stderr).not.toContain("0126");
    expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, MEMBER)).variables).toMatchObject({ returning_caller: "no", memory_count: "0" });
    expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, NEIGHBOUR)).variables).toMatchObject({ returning_caller: "no", memory_count: "0" });
    expect((await clientData(server.baseUrl, TEST_WORKSPACE_KEY, MARISOL)).variables.returning_caller).toBe("yes");
    expect(filesUnder(server.dataDir).filter((f) => f.includes(NEIGHBOUR))).toEqual([]);
    expect(jsonOf(again)).toEqual({ callers: 2, memories: 0, transcripts: 0, audio: 0, inbox_events: 0, bad_lines: [4, 6], failed_lines: [] });
  });
});

describe("agentic-memory import and forget --file, on long files and on what they refuse", { timeout: 60_000 }, () => {
  it("says how far a long file got every 100 lines on stderr when it is not a terminal, naming no caller", async () => {
    const dataDir = tempDir();
    const lines = Array.from({ length: 250 }, (_, i) => JSON.stringify({ caller_id: `+1555020${String(i).padStart(4, "0")}`, memory: `Imported note ${i}.` }));

    const run = await cli(["import", fileWith("long.jsonl", lines)], { DATA_DIR: dataDir }, { timeoutMs: 60_000 });

    expect(run.code).toBe(0);
    expect(run.stdout).toBe("Imported 250 memories (0 already stored) for 250 caller(s); no bad lines.\n");
    expect(run.stderr).toMatch(/^import: 100 line\(s\) read \(\d+%\)$/m);
    expect(run.stderr).toMatch(/^import: 200 line\(s\) read \(\d+%\)$/m);
    expect(run.stderr).toMatch(/^profiles: 250 rebuilt$/m);
    expect(run.stderr).not.toMatch(/\+1555|Imported note/);
  });

  it("refuses a file that cannot be read, a caller and --file at once, and a missing DATA_DIR, with nothing done", async () => {
    const dataDir = tempDir();
    const missing = join(dataDir, "nowhere.jsonl");

    const [importMissing, forgetMissing, both, noDataDir] = await Promise.all([
      cli(["import", missing], { DATA_DIR: dataDir }),
      cli(["forget", "--file", missing], { DATA_DIR: dataDir }),
      cli(["forget", MARISOL, "--file", fileWith("callers.txt", [MARISOL])], { DATA_DIR: dataDir }),
      cli(["import", fileWith("one.jsonl", [JSON.stringify({ caller_id: MARISOL, memory: FACT })])], { DATA_DIR: join(dataDir, "not-here") }),
    ]);

    expect(importMissing.code).toBe(2);
    expect(importMissing.stderr).toContain(`cannot read ${missing}`);
    expect(forgetMissing.code).toBe(2);
    expect(forgetMissing.stderr).toContain(`cannot read ${missing}`);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(`unexpected argument "${MARISOL}"`);
    expect(noDataDir.code).toBe(1);
    expect(noDataDir.stderr).toContain("does not exist");
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
