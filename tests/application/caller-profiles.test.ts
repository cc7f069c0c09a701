import { describe, expect, it, vi } from "vitest";
import type { CallerProfileStore } from "../../application/ports/caller-profile-store.port";
import type { InboxEventId } from "../../application/ports/event-inbox.port";
import type { MemoryStore } from "../../application/ports/memory-store.port";
import { ApplyRetention } from "../../application/use-cases/apply-retention.use-case";
import { ExportCaller } from "../../application/use-cases/export-caller.use-case";
import { ForgetCaller } from "../../application/use-cases/forget-caller.use-case";
import { IngestEvent } from "../../application/use-cases/ingest-event.use-case";
import { CALLER_NOTES_OPEN } from "../../domain/caller-context";
import { transcriptionFor } from "../support/fixtures";
import {
  MARISOL,
  TRANSCRIPTION,
  callSettings,
  callerId,
  callerProfiles,
  overriding,
  postCallWorld,
  prepareCallContextOver,
  conversationReader,
} from "./support/harness";

const CALLER = callerId(MARISOL);

/** A memory store that counts every call made to it. */
function counting(real: MemoryStore): { store: MemoryStore; calls: () => number } {
  let calls = 0;
  const count =
    <K extends Exclude<keyof MemoryStore, "prepare">>(name: K) =>
    (...args: Parameters<MemoryStore[K]>) => {
      calls += 1;
      return (real[name] as (...a: Parameters<MemoryStore[K]>) => ReturnType<MemoryStore[K]>)(...args);
    };
  const store: MemoryStore = {
    add: count("add"),
    search: count("search"),
    list: count("list"),
    count: count("count"),
    forget: count("forget"),
    remove: count("remove"),
    listOlderThan: count("listOlderThan"),
    callers: count("callers"),
  };
  return { store, calls: () => calls };
}

describe("caller profiles: every call starts from one read", () => {
  it("is written when a call is ingested, and client-data answers from it without reading a single memory", async () => {
    // Prepare
    const world = postCallWorld();
    await world.deliverAndIngest(TRANSCRIPTION);
    const fromMemories = await prepareCallContextOver(world.store, callSettings()).execute({ callerId: MARISOL });
    const memories = counting(world.store);

    // Act
    const fromProfile = await prepareCallContextOver(memories.store, callSettings(), world.profiles).execute({ callerId: MARISOL });

    // Assess: the same answer as from the memories, and the memory store never asked.
    if (!fromProfile.ok || !fromMemories.ok) throw new Error("client-data failed");
    expect(fromProfile.value.origin).toBe("profile");
    expect(fromMemories.value.origin).toBe("memories");
    // The same answer, except that only the profile knows the language the call was in (the memories do not say).
    expect({ ...fromProfile.value, origin: null, language: null }).toEqual({ ...fromMemories.value, origin: null });
    expect(fromProfile.value.language).toBe("en");
    expect(fromProfile.value).toMatchObject({ returning: true, callerName: "Marisol" });
    expect(fromProfile.value.prompt).toContain(CALLER_NOTES_OPEN);
    expect(memories.calls()).toBe(0);
  });

  it("follows each new call: the second call's facts are in the profile the third call starts from", async () => {
    // Prepare
    const world = postCallWorld();
    await world.deliverAndIngest(TRANSCRIPTION);
    const first = (await world.profiles.get(CALLER))?.profile;

    // Act
    await world.deliverAndIngest(transcriptionFor({ conversationId: "conv_profile_second", callerId: MARISOL, eventTimestamp: 1_767_300_000 }));
    const second = (await world.profiles.get(CALLER))?.profile;

    // Assess
    expect(first?.memoryCount).toBeGreaterThan(0);
    expect(second?.memoryCount).toBe(await world.store.count(CALLER));
    expect(second?.memoryCount).toBeGreaterThan(first?.memoryCount ?? Infinity);
    expect(second?.lastCallAt).toBe(new Date(1_767_300_000 * 1000).toISOString());
  });

  it("loses no update when two calls of one caller are ingested at once by two workers", async () => {
    // Prepare: two workers (two Lambda invocations). The first reads the profile, then stalls before
    // writing while the second one runs to the end.
    const world = postCallWorld();
    let releaseFirst: () => void = () => undefined;
    const firstMayWrite = new Promise<void>((resolve) => (releaseFirst = resolve));
    let puts = 0;
    const stalling = overriding<CallerProfileStore>(world.profiles, {
      put: async (profile, expected) => {
        puts += 1;
        if (puts === 1) await firstMayWrite;
        return world.profiles.put(profile, expected);
      },
    });
    const workerA = new IngestEvent(world.inbox, conversationReader, world.archive, world.store, world.clock, callerProfiles(world.store, stalling, world.clock));
    const workerB = new IngestEvent(world.inbox, conversationReader, world.archive, world.store, world.clock, callerProfiles(world.store, stalling, world.clock));
    const a = await world.deliver(transcriptionFor({ conversationId: "conv_profile_a", callerId: MARISOL, eventTimestamp: 1_767_300_000 }));
    const b = await world.deliver(transcriptionFor({ conversationId: "conv_profile_b", callerId: MARISOL, eventTimestamp: 1_767_300_600 }));

    // Act
    const first = workerA.execute(a.id);
    await vi.waitFor(() => expect(puts).toBe(1));
    await workerB.execute(b.id);
    releaseFirst();
    await first;

    // Assess: the stale write of the first ingestion was refused and rebuilt, so both calls are in the profile.
    const profile = (await world.profiles.get(CALLER))?.profile;
    expect(puts).toBe(3);
    expect(profile?.memoryCount).toBe(await world.store.count(CALLER));
    expect(profile?.lastCallAt).toBe(new Date(1_767_300_600 * 1000).toISOString());
  });

  it("rebuilds a caller's profile one at a time within a worker: a burst of four calls costs two rebuilds, and each sees its call", async () => {
    // Prepare: four calls of one caller, ingested at once by one worker (the local worker runs four at a time).
    const world = postCallWorld();
    let builds = 0;
    const counted = overriding<MemoryStore>(world.store, {
      count: async (caller) => {
        builds += 1;
        return world.store.count(caller);
      },
    });
    const ingest = new IngestEvent(world.inbox, conversationReader, world.archive, world.store, world.clock, callerProfiles(counted, world.profiles, world.clock));
    const ids: InboxEventId[] = [];
    for (let i = 0; i < 4; i += 1) {
      ids.push((await world.deliver(transcriptionFor({ conversationId: `conv_profile_burst_${i}`, callerId: MARISOL, eventTimestamp: 1_767_300_000 + i * 60 }))).id);
    }

    // Act
    await Promise.all(ids.map((id) => ingest.execute(id)));

    // Assess
    expect(builds).toBeLessThanOrEqual(2);
    expect((await world.profiles.get(CALLER))?.profile.memoryCount).toBe(await world.store.count(CALLER));
  });

  it("keeps the event pending when the profile cannot be written, and a retry writes it", async () => {
    // Prepare
    const world = postCallWorld();
    const broken = overriding<CallerProfileStore>(world.profiles, {
      put: async () => {
        throw new Error("S3 503 SlowDown");
      },
    });
    const failing = new IngestEvent(world.inbox, conversationReader, world.archive, world.store, world.clock, callerProfiles(world.store, broken, world.clock));
    const { id } = await world.deliver(TRANSCRIPTION);

    // Act
    await expect(failing.execute(id)).rejects.toThrow("SlowDown");
    const stateAfterFailure = await world.inbox.state(id);
    await world.ingest.execute(id);

    // Assess
    expect(stateAfterFailure).toBe("pending");
    expect((await world.profiles.get(CALLER))?.profile.callerName).toBe("Marisol");
  });

  it("is erased by forget, listed by export, and dropped by retention with the memories it was built from", async () => {
    // Prepare
    const world = postCallWorld();
    await world.deliverAndIngest(TRANSCRIPTION);
    const stored = (await world.profiles.get(CALLER))?.profile;
    world.clock.advance(2 * 24 * 60 * 60 * 1000);

    // Act
    const exported = await new ExportCaller(world.store, world.archive, conversationReader, world.clock, world.profiles).execute(CALLER);
    const dryRun = await new ApplyRetention(world.store, world.archive, world.inbox, conversationReader, world.clock, world.profiles).execute({ days: 1, apply: false });
    const afterDryRun = await world.profiles.get(CALLER);
    await new ApplyRetention(world.store, world.archive, world.inbox, conversationReader, world.clock, world.profiles).execute({ days: 1, apply: true });
    const afterRetention = await world.profiles.get(CALLER);
    await callerProfiles(world.store, world.profiles, world.clock).refresh(CALLER, null);
    const forgotten = await new ForgetCaller(world.store, world.archive, world.inbox, conversationReader, world.profiles).execute(CALLER);

    // Assess
    expect(exported.profile).toEqual(stored);
    expect(dryRun.memories.length).toBeGreaterThan(0);
    expect(afterDryRun).not.toBeNull();
    expect(afterRetention).toBeNull();
    expect(forgotten.profile).toBe(true);
    expect(await world.profiles.get(CALLER)).toBeNull();
  });
});
