import { describe, expect, it } from "vitest";
import type { CallerExport } from "../../application/use-cases/export-caller.use-case";
import { ExportCaller } from "../../application/use-cases/export-caller.use-case";
import { ImportMemories } from "../../application/use-cases/import-memories.use-case";
import type { CallerId } from "../../domain/caller-id";
import type { ImportedMemory } from "../../domain/imported-memory";
import { transcriptionFor } from "../support/fixtures";
import { callerProfiles, callSettings, conversationReader, overriding, postCallWorld, prepareCallContextOver } from "./support/harness";

const ALICE = "+15550100123" as CallerId;
const NEIGHBOUR = "+15550100124" as CallerId;
const PROFILE_ONLY = "+15550100131" as CallerId;
const ARCHIVE_ONLY = "+15550100132" as CallerId;
const NOTHING_LEFT = "+15550100133" as CallerId;

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

async function everyone(exporter: ExportCaller): Promise<CallerExport[]> {
  const documents: CallerExport[] = [];
  for await (const document of exporter.everyone()) documents.push(document);
  return documents;
}

describe("ExportCaller.everyone", () => {
  it("exports every caller we keep anything about once: with memories, with only a profile, with only archived calls", async () => {
    // Prepare: two callers with calls; one whose memories are gone but whose profile is kept; one with
    // only an archived recording; an anonymous call; and a caller the store lists with nothing left
    // (as Mem0 lists an entity whose memories were removed).
    const world = postCallWorld();
    await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_alice", callerId: ALICE }));
    await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_neighbour", callerId: NEIGHBOUR }));
    await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_profile_only", callerId: PROFILE_ONLY }));
    await world.store.forget(PROFILE_ONLY);
    await world.archive.putAudio(`audio/${ARCHIVE_ONLY}/conv_archive_only_1767268871.mp3`, "SUQz");
    await world.archive.putTranscript("transcripts/anonymous/conv_withheld_1767268871.json", "{}");
    const store = overriding(world.store, {
      callers: async function* () {
        yield* world.store.callers();
        yield NOTHING_LEFT;
      },
    });
    const exporter = new ExportCaller(store, world.archive, conversationReader, world.clock, world.profiles);

    // Act
    const documents = await everyone(exporter);

    // Assess: each caller once, each document exactly what `export <caller>` gives.
    expect(documents.map((d) => d.caller_id).sort()).toEqual([ALICE, NEIGHBOUR, PROFILE_ONLY, ARCHIVE_ONLY].sort());
    for (const document of documents) expect(document).toEqual(await exporter.execute(document.caller_id));
    const byCaller = new Map(documents.map((d) => [d.caller_id, d]));
    expect(byCaller.get(PROFILE_ONLY)).toMatchObject({ memories: [], profile: { callerId: PROFILE_ONLY } });
    expect(byCaller.get(PROFILE_ONLY)?.transcripts).toHaveLength(1);
    expect(byCaller.get(ARCHIVE_ONLY)).toMatchObject({ memories: [], profile: null, transcripts: [], audio: [`audio/${ARCHIVE_ONLY}/conv_archive_only_1767268871.mp3`] });
  });

  it("reads no caller's data before the loop asks for that caller", async () => {
    const world = postCallWorld();
    await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_alice", callerId: ALICE }));
    await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_neighbour", callerId: NEIGHBOUR }));
    const listed: string[] = [];
    const store = overriding(world.store, { list: async (userId, options) => (listed.push(userId), world.store.list(userId, options)) });
    const exporter = new ExportCaller(store, world.archive, conversationReader, world.clock, world.profiles);

    const documents = exporter.everyone();
    const first = await documents.next();

    expect(first.done).toBe(false);
    expect(new Set(listed).size).toBe(1);
  });
});

describe("ImportMemories", () => {
  const fact = (overrides: Partial<ImportedMemory> = {}): ImportedMemory => ({
    callerId: ALICE,
    memory: "Prefers to be called back after 6 pm.",
    type: "factual",
    factKey: "callback_time",
    timestamp: null,
    ...overrides,
  });

  it("stores each memory once, however often the same lines are imported, and the next call is told about it", async () => {
    // Prepare: Alice has called, so client-data answers her from a stored profile.
    const world = postCallWorld();
    await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_alice", callerId: ALICE }));
    const before = await prepareCallContextOver(world.store, callSettings(), world.profiles).execute({ callerId: ALICE });
    const importer = new ImportMemories(world.store, callerProfiles(world.store, world.profiles, world.clock), world.clock);
    const lines = [fact(), fact({ callerId: NEIGHBOUR, memory: "Is a member since 2019.", factKey: null, timestamp: "2019-03-01T00:00:00.000Z" })];

    // Act
    const first = await importer.execute(each(lines));
    const again = await importer.execute(each(lines));
    const after = await prepareCallContextOver(world.store, callSettings(), world.profiles).execute({ callerId: ALICE });

    // Assess
    expect(first).toEqual({ read: 2, added: 2, skipped: 0, callers: 2 });
    expect(again).toEqual({ read: 2, added: 0, skipped: 2, callers: 2 });
    if (!before.ok || !after.ok) throw new Error("client-data failed");
    expect(after.value.origin).toBe("profile");
    expect(after.value.memoryCount).toBe(before.value.memoryCount + 1);
    expect(after.value.prompt).toContain("Prefers to be called back after 6 pm.");
    const imported = (await world.store.list(ALICE)).filter((m) => m.metadata.source === "import");
    expect(imported.map((m) => m.metadata)).toEqual([
      { type: "factual", source: "import", agent_id: "", timestamp: new Date(world.clock.nowMs()).toISOString(), call_duration: null, conversation_id: "import", fact_key: "callback_time" },
    ]);
  });

  it("tells lines apart by everything they say: another type, key or timestamp is another memory", async () => {
    const world = postCallWorld();
    const importer = new ImportMemories(world.store, callerProfiles(world.store, world.profiles, world.clock), world.clock);

    const report = await importer.execute(
      each([fact(), fact(), fact({ type: "semantic" }), fact({ factKey: null }), fact({ timestamp: "2025-01-01T00:00:00.000Z" }), fact({ callerId: NEIGHBOUR })]),
    );

    expect(report).toEqual({ read: 6, added: 5, skipped: 1, callers: 2 });
  });
});
