import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteCallerProfileStore } from "../../adapters/outbound/embedded/sqlite-caller-profile-store";
import { SqliteMemoryStore } from "../../adapters/outbound/embedded/sqlite-memory-store";
import type { CallerId } from "../../domain/caller-id";
import { callerProfile } from "../contract/caller-profile-store.contract";
import { draft } from "../contract/memory-store.contract";

/** More callers than one page of the listing holds, so it has to go on from where the last page ended. */
const CALLERS = Array.from({ length: 1_203 }, (_, i) => `+1555030${String(i).padStart(4, "0")}` as CallerId);
const LATE_CALLER = "+15550399999" as CallerId;

describe("the embedded stores list callers a page at a time", () => {
  it("lists every caller with memories once, while the loop writes to the same database between callers", async () => {
    const store = new SqliteMemoryStore(join(mkdtempSync(join(tmpdir(), "agentic-memory-callers-")), "memories.db"));
    await store.add(CALLERS.flatMap((callerId) => [draft(callerId, "First call."), draft(callerId, "Second call.")]));

    const listed: CallerId[] = [];
    for await (const callerId of store.callers()) {
      listed.push(callerId);
      // An open cursor would make this throw ("connection is busy").
      if (listed.length === 1) await store.add([draft(LATE_CALLER, "Called while the listing ran.")]);
    }
    store.close();

    expect(listed).toEqual([...CALLERS, LATE_CALLER].sort());
  });

  it("lists every caller with a profile once, while the loop writes profiles between callers", async () => {
    const profiles = new SqliteCallerProfileStore(":memory:");
    for (const callerId of CALLERS) await profiles.put(callerProfile(callerId), null);

    const listed: CallerId[] = [];
    for await (const callerId of profiles.callers()) {
      listed.push(callerId);
      if (listed.length === 1) await profiles.put(callerProfile(LATE_CALLER), null);
    }
    profiles.close();

    expect(listed).toEqual([...CALLERS, LATE_CALLER].sort());
  });
});
