import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { decodeProfile, encodeProfile, InvalidCallerProfileError } from "../../adapters/outbound/caller-profile-document";
import { SqliteCallerProfileStore } from "../../adapters/outbound/embedded/sqlite-caller-profile-store";
import { SqliteMemoryStore } from "../../adapters/outbound/embedded/sqlite-memory-store";
import { InMemoryCallerProfileStore } from "../fakes/in-memory-caller-profile-store";
import { ALICE, BOB, callerProfile, describeCallerProfileStoreContract } from "./caller-profile-store.contract";
import { draft } from "./memory-store.contract";

const dbPath = () => join(mkdtempSync(join(tmpdir(), "agentic-memory-profiles-")), "memories.db");

/** Store text that is not a profile in the caller's row, through a connection of its own. */
function corruptRow(db: Database.Database, callerId: string, text = '{"v":1,"callerId":'): void {
  db.prepare(
    `INSERT INTO caller_profiles (caller_id, revision, profile) VALUES (?, 0, ?)
       ON CONFLICT (caller_id) DO UPDATE SET profile = excluded.profile`,
  ).run(callerId, text);
}

describeCallerProfileStoreContract("in-memory fake", async () => {
  const store = new InMemoryCallerProfileStore();
  return { store, corrupt: async (callerId) => store.corrupt(callerId) };
});

describeCallerProfileStoreContract("embedded SQLite (own file)", async () => {
  const path = dbPath();
  const store = new SqliteCallerProfileStore(path);
  const other = new Database(path);
  return {
    store,
    corrupt: async (callerId) => corruptRow(other, callerId),
    close: async () => {
      other.close();
      store.close();
    },
  };
});

describeCallerProfileStoreContract("embedded SQLite (shared connection)", async () => {
  const db = new Database(dbPath());
  const store = new SqliteCallerProfileStore(db);
  return {
    store,
    corrupt: async (callerId) => corruptRow(db, callerId),
    close: async () => {
      db.close();
    },
  };
});

describe("SqliteCallerProfileStore beside the memory store", () => {
  it("shares the memories file with SqliteMemoryStore, and both keep their data across reopening", async () => {
    const path = dbPath();
    const memories = new SqliteMemoryStore(path);
    const profiles = new SqliteCallerProfileStore(path);
    const profile = callerProfile(ALICE, { memoryCount: 1 });

    await memories.add([draft(ALICE, "Is vegetarian.")]);
    await profiles.put(profile, null);
    memories.close();
    profiles.close();
    const memoriesAgain = new SqliteMemoryStore(path);
    const profilesAgain = new SqliteCallerProfileStore(path);

    expect((await memoriesAgain.list(ALICE)).map((m) => m.memory)).toEqual(["Is vegetarian."]);
    expect((await profilesAgain.get(ALICE))?.profile).toEqual(profile);
    expect(await memoriesAgain.forget(ALICE)).toBe(1);
    expect((await profilesAgain.get(ALICE))?.profile).toEqual(profile);
    memoriesAgain.close();
    profilesAgain.close();
  });

  it("leaves a shared connection open for its owner when closed", async () => {
    const db = new Database(dbPath());
    const profiles = new SqliteCallerProfileStore(db);
    await profiles.put(callerProfile(ALICE), null);

    profiles.close();

    expect(db.open).toBe(true);
    expect(db.prepare("SELECT COUNT(*) AS n FROM caller_profiles").get()).toEqual({ n: 1 });
    db.close();
  });

  it("never hands out a revision twice, not even to a profile written after a removal in another process", async () => {
    const path = dbPath();
    const worker = new SqliteCallerProfileStore(path);
    const operator = new SqliteCallerProfileStore(path);
    await worker.put(callerProfile(ALICE), null);
    const heldByWorker = (await worker.get(ALICE))?.version ?? "";

    await operator.remove(ALICE);
    await operator.put(callerProfile(BOB), null);
    await operator.put(callerProfile(ALICE, { memorySummary: "After the removal." }), null);
    const versions = [heldByWorker, (await operator.get(BOB))?.version, (await operator.get(ALICE))?.version];

    expect(new Set(versions).size).toBe(3);
    expect(await worker.put(callerProfile(ALICE, { memorySummary: "Built before the removal." }), heldByWorker)).toBe(false);
    expect((await worker.get(ALICE))?.profile.memorySummary).toBe("After the removal.");
    worker.close();
    operator.close();
  });

  it.each([
    ["not JSON", "not json"],
    ["another format version", encodeProfile(callerProfile(ALICE)).replace('"v":1', '"v":2')],
    ["another caller's profile", encodeProfile(callerProfile(BOB))],
    ["a negative memory count", encodeProfile(callerProfile(ALICE)).replace('"memoryCount":3', '"memoryCount":-3')],
  ])("reads a row holding %s as no profile", async (_, text) => {
    const db = new Database(dbPath());
    const profiles = new SqliteCallerProfileStore(db);
    await profiles.put(callerProfile(ALICE), null);
    db.prepare("UPDATE caller_profiles SET profile = ? WHERE caller_id = ?").run(text, ALICE);

    expect(await profiles.get(ALICE)).toBeNull();
    db.close();
  });
});

describe("the stored caller profile document", () => {
  it("is a version-1 JSON object of the profile's fields", () => {
    const profile = callerProfile(ALICE, { callerName: "Zoë" });

    expect(JSON.parse(encodeProfile(profile))).toEqual({ v: 1, ...profile });
  });

  it("reads back a document with fields it does not know, without them", () => {
    const profile = callerProfile(ALICE);
    const withExtra = JSON.stringify({ ...JSON.parse(encodeProfile(profile)), mood: "cheerful" });

    expect(decodeProfile(withExtra, ALICE)).toStrictEqual(profile);
  });

  it.each([
    ["no version", JSON.stringify({ ...callerProfile(ALICE) })],
    ["a time without an offset", encodeProfile(callerProfile(ALICE)).replace("2026-01-05T09:31:00.000Z", "2026-01-05T09:31:00")],
    ["a summary past the bound", encodeProfile(callerProfile(ALICE)).replace('"memorySummary":"', `"memorySummary":"${"x".repeat(20_001)}`)],
    ["a JSON array", "[]"],
    ["nothing", ""],
  ])("reads a document with %s as no profile", (_, text) => {
    expect(decodeProfile(text)).toBeNull();
  });

  it("names the offending fields, never their values, when a profile does not fit", () => {
    const error = (() => {
      try {
        encodeProfile(callerProfile(ALICE, { callerName: "Zoë".repeat(1_000), memoryCount: 1.5 }));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(InvalidCallerProfileError);
    expect((error as Error).message).toMatch(/callerName.*memoryCount/);
    expect((error as Error).message).not.toContain("Zoë");
  });
});
