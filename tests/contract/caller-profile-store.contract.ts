import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CallerProfileStore } from "../../application/ports/caller-profile-store.port";
import type { CallerId } from "../../domain/caller-id";
import type { CallerProfile } from "../../domain/caller-profile";

export interface CallerProfileStoreHarness {
  readonly store: CallerProfileStore;
  /** Replace what is stored for the caller with something that is not a profile (behind the store's back). */
  corrupt(callerId: CallerId): Promise<void>;
  close?(): Promise<void>;
}

export const ALICE = "+15550100123" as CallerId;
export const BOB = "+15550100124" as CallerId;

/** A profile of `callerId` as the worker builds it, with `overrides` on top. Fictional data only. */
export function callerProfile(callerId: CallerId, overrides: Partial<Omit<CallerProfile, "callerId">> = {}): CallerProfile {
  return {
    callerId,
    callerName: "Alice",
    language: "en",
    lastCallLanguage: "en",
    lastCallAt: "2026-01-05T09:30:00.000Z",
    memoryCount: 3,
    memorySummary: "Prefers text messages. Booked a table for five on Saturday.",
    callerContext: "<caller_notes>\n- Prefers text messages.\n</caller_notes>",
    updatedAt: "2026-01-05T09:31:00.000Z",
    ...overrides,
  };
}

/**
 * The behaviour every {@link CallerProfileStore} adapter must show: run against the in-memory fake,
 * the embedded SQLite store and the S3 store alike.
 */
export function describeCallerProfileStoreContract(name: string, createHarness: () => Promise<CallerProfileStoreHarness>): void {
  describe(`CallerProfileStore contract: ${name}`, () => {
    let harness: CallerProfileStoreHarness;
    let store: CallerProfileStore;

    beforeEach(async () => {
      harness = await createHarness();
      store = harness.store;
    });
    afterEach(async () => {
      await harness.close?.();
    });

    it("has no profile for a caller nobody wrote one for", async () => {
      expect(await store.get(ALICE)).toBeNull();
    });

    it("creates a profile only where none exists, and reads it back with a version", async () => {
      const first = callerProfile(ALICE);

      const created = await store.put(first, null);
      const again = await store.put(callerProfile(ALICE, { memoryCount: 99 }), null);
      const stored = await store.get(ALICE);

      expect(created).toBe(true);
      expect(again).toBe(false);
      expect(stored?.profile).toEqual(first);
      expect(typeof stored?.version).toBe("string");
      expect(stored?.version).not.toBe("");
    });

    it("replaces a profile at the version it was read at, and hands out a new version", async () => {
      await store.put(callerProfile(ALICE), null);
      const read = await store.get(ALICE);
      const next = callerProfile(ALICE, { memoryCount: 4, updatedAt: "2026-01-06T10:00:00.000Z" });

      const replaced = await store.put(next, read?.version ?? "");
      const after = await store.get(ALICE);

      expect(replaced).toBe(true);
      expect(after?.profile).toEqual(next);
      expect(after?.version).not.toBe(read?.version);
    });

    it("refuses a write at a stale version and keeps the newer profile", async () => {
      await store.put(callerProfile(ALICE), null);
      const stale = (await store.get(ALICE))?.version ?? "";
      const newer = callerProfile(ALICE, { memoryCount: 4, updatedAt: "2026-01-06T10:00:00.000Z" });
      await store.put(newer, stale);

      const written = await store.put(callerProfile(ALICE, { memoryCount: 7, memorySummary: "Overwritten." }), stale);

      expect(written).toBe(false);
      expect((await store.get(ALICE))?.profile).toEqual(newer);
    });

    it("refuses a write that expects a profile where there is none, and writes nothing", async () => {
      await store.put(callerProfile(BOB), null);
      const bobsVersion = (await store.get(BOB))?.version ?? "";

      expect(await store.put(callerProfile(ALICE), bobsVersion)).toBe(false);
      expect(await store.put(callerProfile(ALICE), "1")).toBe(false);
      expect(await store.get(ALICE)).toBeNull();
    });

    it("lets exactly one of two writers that read the same version win", async () => {
      await store.put(callerProfile(ALICE), null);
      const version = (await store.get(ALICE))?.version ?? "";
      const fromCallA = callerProfile(ALICE, { memoryCount: 4, memorySummary: "Call A was ingested." });
      const fromCallB = callerProfile(ALICE, { memoryCount: 5, memorySummary: "Call B was ingested." });

      const results = await Promise.all([store.put(fromCallA, version), store.put(fromCallB, version)]);
      const stored = await store.get(ALICE);

      expect([...results].sort()).toEqual([false, true]);
      expect(stored?.profile).toEqual(results[0] ? fromCallA : fromCallB);
    });

    it("lets exactly one of two first writers create the profile", async () => {
      const fromCallA = callerProfile(ALICE, { memorySummary: "Call A was ingested." });
      const fromCallB = callerProfile(ALICE, { memorySummary: "Call B was ingested." });

      const results = await Promise.all([store.put(fromCallA, null), store.put(fromCallB, null)]);

      expect([...results].sort()).toEqual([false, true]);
      expect((await store.get(ALICE))?.profile).toEqual(results[0] ? fromCallA : fromCallB);
    });

    it("removes a profile once; a version read before the removal is refused afterwards", async () => {
      await store.put(callerProfile(ALICE), null);
      const beforeRemoval = (await store.get(ALICE))?.version ?? "";

      const removed = await store.remove(ALICE);
      const afterRemoval = await store.get(ALICE);
      const removedAgain = await store.remove(ALICE);
      const recreated = callerProfile(ALICE, { callerName: null, memoryCount: 1, memorySummary: "Called after being forgotten." });
      const createdAgain = await store.put(recreated, null);
      const staleWrite = await store.put(callerProfile(ALICE, { memorySummary: "Written from before the removal." }), beforeRemoval);

      expect(removed).toBe(true);
      expect(afterRemoval).toBeNull();
      expect(removedAgain).toBe(false);
      expect(createdAgain).toBe(true);
      expect(staleWrite).toBe(false);
      expect((await store.get(ALICE))?.profile).toEqual(recreated);
    });

    it("keeps the profiles of two callers apart", async () => {
      const alice = callerProfile(ALICE);
      const bob = callerProfile(BOB, { callerName: "Bob", memorySummary: "Is allergic to peanuts." });
      await store.put(alice, null);
      await store.put(bob, null);
      const bobsVersion = (await store.get(BOB))?.version ?? "";

      const crossWrite = await store.put(callerProfile(ALICE, { memorySummary: "Written at Bob's version." }), bobsVersion);
      await store.remove(ALICE);

      expect(crossWrite).toBe(false);
      expect(await store.get(ALICE)).toBeNull();
      expect(await store.get(BOB)).toEqual({ profile: bob, version: bobsVersion });
    });

    it.each([
      [
        "unicode and a multi-line fenced context",
        callerProfile(ALICE, {
          callerName: "Zoë",
          language: "es",
          lastCallAt: "2026-01-05T10:30:00+02:00",
          memoryCount: 12,
          memorySummary: "Prefiere mensajes — señal débil 📞. Sister's name is \"Ana\"; venue must be step-free.",
          callerContext: "```caller_notes\n- Name: Zoë\n- Prefers José at the café\n\n  indented line\\with backslash\n```\n",
        }),
      ],
      [
        "nulls and empty text",
        callerProfile(ALICE, { callerName: null, language: null, lastCallAt: null, memoryCount: 0, memorySummary: "", callerContext: "" }),
      ],
    ])("returns every field exactly as written (%s)", async (_, profile) => {
      await store.put(profile, null);

      expect((await store.get(ALICE))?.profile).toStrictEqual(profile);
    });

    it("refuses a profile that would not read back, and keeps the stored one", async () => {
      const stored = callerProfile(ALICE);
      await store.put(stored, null);
      const version = (await store.get(ALICE))?.version ?? "";

      await expect(store.put(callerProfile(ALICE, { memoryCount: -1 }), version)).rejects.toThrow(/memoryCount/);
      await expect(store.put(callerProfile(ALICE, { updatedAt: "last Tuesday" }), version)).rejects.toThrow(/updatedAt/);
      await expect(store.put(callerProfile("+1555" as CallerId), null)).rejects.toThrow(/callerId/);
      expect(await store.get(ALICE)).toEqual({ profile: stored, version });
    });

    it("reads what cannot be read as no profile, and lets a first write replace it", async () => {
      await store.put(callerProfile(BOB), null);
      await harness.corrupt(ALICE);
      const fresh = callerProfile(ALICE, { memorySummary: "Written over an unreadable profile." });

      const unreadable = await store.get(ALICE);
      const written = await store.put(fresh, null);

      expect(unreadable).toBeNull();
      expect(written).toBe(true);
      expect((await store.get(ALICE))?.profile).toEqual(fresh);
      expect((await store.get(BOB))?.profile).toEqual(callerProfile(BOB));
    });

    it("removes an unreadable profile", async () => {
      await harness.corrupt(ALICE);

      expect(await store.remove(ALICE)).toBe(true);
      expect(await store.remove(ALICE)).toBe(false);
    });

    it("lists every caller with a stored profile once, and nobody whose profile was removed", async () => {
      const neighbour = "+155501001234" as CallerId;
      await store.put(callerProfile(ALICE), null);
      await store.put(callerProfile(BOB), null);
      await store.put(callerProfile(neighbour), null);
      await store.remove(BOB);

      const listed: CallerId[] = [];
      for await (const callerId of store.callers()) listed.push(callerId);

      expect(listed.sort()).toEqual([ALICE, neighbour].sort());
    });
  });
}
