import { afterEach, describe, expect, it } from "vitest";
import { FindCallers } from "../../application/use-cases/find-callers.use-case";
import { parseRegion, type CallerId, type Region } from "../../domain/caller-id";
import { callOf, embeddedWorld, type EmbeddedWorld } from "./support/embedded-world";

const MARISOL = "+15550100123" as CallerId;
const JOSE = "+15550100145" as CallerId;
const ZOE = "+15550100167" as CallerId;
const US = parseRegion("US") as Region;

/** 2026-01-01, 2026-01-02 and 2026-01-03 at 12:00 UTC. */
const DAY_1 = 1_767_268_800;
const DAY = 86_400;

let world: EmbeddedWorld;
afterEach(() => world.close());

/** Three callers who called on three days: Marisol first, then José, then Zoë. */
async function threeCallers(defaultRegion: Region | null = null): Promise<EmbeddedWorld> {
  world = embeddedWorld({ defaultRegion });
  await world.ingestNow(callOf({ conversationId: "conv_find_marisol", callerId: MARISOL, eventTimestamp: DAY_1 }));
  await world.ingestNow(callOf({ conversationId: "conv_find_jose", callerId: JOSE, eventTimestamp: DAY_1 + DAY, fullName: "José Núñez" }));
  await world.ingestNow(callOf({ conversationId: "conv_find_zoe", callerId: ZOE, eventTimestamp: DAY_1 + 2 * DAY, fullName: "Zoë Quenby" }));
  return world;
}

const search = (w: EmbeddedWorld, query: string, limit?: number) =>
  new FindCallers(w.profiles, w.memories, w.settings).execute(query, limit === undefined ? {} : { limit });
const ids = (found: readonly { callerId: string }[]) => found.map((c) => c.callerId);

describe("FindCallers", () => {
  it("finds a caller by their number written the way an operator would, in national form read in DEFAULT_REGION", async () => {
    // Prepare
    await threeCallers(US);

    // Act
    const national = await search(world, "(555) 010-0123");
    const international = await search(world, "+1 555-0100 123");
    const withTrunkDigits = await search(world, "1 555 010 0123");
    // Dialled from the US with its international prefix: only the numbering plan of DEFAULT_REGION reads this.
    const dialledFromUs = await search(world, "011 1 555 010 0123");

    // Assess
    expect(ids(national)).toEqual([MARISOL]);
    expect(ids(international)).toEqual([MARISOL]);
    expect(ids(withTrunkDigits)).toEqual([MARISOL]);
    expect(ids(dialledFromUs)).toEqual([MARISOL]);
    expect(national[0]).toEqual({
      callerId: MARISOL,
      callerName: "Marisol",
      lastCallAt: new Date(DAY_1 * 1000).toISOString(),
      memoryCount: await world.memories.count(MARISOL),
    });
    expect(national[0]?.memoryCount).toBeGreaterThan(0);
  });

  it("finds a caller by the digits of their number even with no DEFAULT_REGION, and by its last four digits", async () => {
    await threeCallers(null);

    expect(ids(await search(world, "(555) 010-0145"))).toEqual([JOSE]);
    expect(ids(await search(world, "0167"))).toEqual([ZOE]);
    // Every caller's number has these digits: the most recent caller first.
    expect(ids(await search(world, "555-0100"))).toEqual([ZOE, JOSE, MARISOL]);
    expect(await search(world, "(555) 010-0199")).toEqual([]);
    expect(await search(world, "011 1 555 010 0123")).toEqual([]); // an international prefix needs the region's plan
  });

  it("finds callers by any part of their name, whatever the accents and case", async () => {
    await threeCallers();

    expect(ids(await search(world, "jose"))).toEqual([JOSE]);
    expect(ids(await search(world, "JOSÉ"))).toEqual([JOSE]);
    expect(ids(await search(world, "zoe"))).toEqual([ZOE]);
    expect(ids(await search(world, "Zoé"))).toEqual([ZOE]);
    expect(ids(await search(world, "  ris "))).toEqual([MARISOL]);
    expect(await search(world, "Quenby")).toEqual([]); // profiles keep first names only
    expect(await search(world, "Nobody")).toEqual([]);
  });

  it("lists every caller most recently called first when the query is empty, at most as many as asked", async () => {
    await threeCallers();

    const everyone = await search(world, "");
    const two = await search(world, "   ", 2);

    expect(ids(everyone)).toEqual([ZOE, JOSE, MARISOL]);
    expect(everyone.map((c) => c.callerName)).toEqual(["Zoë", "José", "Marisol"]);
    expect(ids(two)).toEqual([ZOE, JOSE]);
  });

  it("finds a caller whose profile is gone (retention removed it) by their exact number, from their memories", async () => {
    await threeCallers(US);
    await world.profiles.remove(JOSE);

    const found = await search(world, "555 010 0145");

    expect(found).toEqual([{ callerId: JOSE, callerName: null, lastCallAt: expect.stringMatching(/^2026-01-02T/), memoryCount: await world.memories.count(JOSE) }]);
    expect(found[0]?.memoryCount).toBeGreaterThan(0);
    expect(ids(await search(world, ""))).toEqual([ZOE, MARISOL]);
  });
});
