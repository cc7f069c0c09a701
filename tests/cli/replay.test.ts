import { describe, expect, it } from "vitest";
import { inboxEventId, type InboxEvent } from "../../application/ports/event-inbox.port";
import { FsEventInbox } from "../../adapters/outbound/embedded/fs-event-inbox";
import { transcriptionFor } from "../support/fixtures";
import { cli, jsonOf, tempDir } from "./cli-process";

interface ReplayJson {
  replayed: number;
  failed: number;
  events: { id: string; previousReason: string; status: string; error?: string }[];
}

function event(eventType: string, conversationId: string, rawBody: string): InboxEvent {
  return { id: inboxEventId(eventType, conversationId), eventType, conversationId, receivedAt: 1_767_268_900, rawBody };
}

describe("agentic-memory replay", () => {
  it("ingests a parked event it can read, reports one it cannot as parked again, exits 1, and keeps that one for the operator", async () => {
    // Prepare: a transcription parked after a memory-service outage, and an event of a type we don't ingest.
    const dataDir = tempDir();
    const inbox = new FsEventInbox(dataDir);
    const readable = event("post_call_transcription", "conv_replay_ok", transcriptionFor({ conversationId: "conv_replay_ok", callerId: "+15550100151" }));
    const unknown = event("answering_machine_detection", "conv_replay_amd", JSON.stringify({ type: "answering_machine_detection", data: { conversation_id: "conv_replay_amd" } }));
    for (const e of [readable, unknown]) {
      await inbox.store(e);
      await inbox.markFailed(e.id, "worker: 3 attempts failed; last: Error: memory service 502", 1_767_269_000);
    }

    // Act
    const run = await cli(["replay", "--json"], { DATA_DIR: dataDir, MEMORY_BACKEND: "embedded" });

    // Assess
    const report = jsonOf<ReplayJson>(run);
    expect(run.code).toBe(1);
    expect(report).toMatchObject({ replayed: 2, failed: 1 });
    expect(report.events).toContainEqual(expect.objectContaining({ id: readable.id, status: "ingested" }));
    expect(report.events).toContainEqual(expect.objectContaining({ id: unknown.id, status: "parked", error: expect.stringContaining("UNSUPPORTED_EVENT") }));
    expect(await inbox.state(readable.id)).toBe("done");
    expect((await inbox.listFailed()).map((f) => f.id)).toEqual([unknown.id]);
  });
});
