// The retrieve tool's optional filters as the HTTP contract reads them: each bad value is a 400 whose
// message names the field (what the agent's model reads back), and good values reach the store as
// inclusive UTC bounds.
import { describe, expect, it } from "vitest";
import { searchFiltersOf } from "../../../adapters/inbound/elevenlabs/retrieve-filters.schema";
import { retrieveRequestSchema } from "../../../adapters/inbound/elevenlabs/retrieve-request.schema";
import { parseJsonBody } from "../../../adapters/inbound/lambda/http";

const BASE = { query: "dinner booking", user_id: "+15550100123", limit: 5 };

/** What the route does with a body: the HTTP answer when it is refused, the filters for the store when it is not. */
function read(patch: Record<string, unknown>) {
  const request = { headers: { "content-type": "application/json" }, body: JSON.stringify({ ...BASE, ...patch }), isBase64Encoded: false };
  const parsed = parseJsonBody(request, retrieveRequestSchema, 65_536);
  return parsed.ok
    ? { ok: true as const, filters: searchFiltersOf(parsed.value) }
    : { ok: false as const, status: parsed.response.statusCode, body: JSON.parse(parsed.response.body) as { error: { code: string; message: string } } };
}

describe("retrieve filters: each bad value is a 400 naming its field", () => {
  it.each([
    ["type", "Factual", "must be one of factual, semantic"],
    ["type", "episodic", "must be one of factual, semantic"],
    ["type", 1, "must be one of factual, semantic"],
    ["type", null, "must be one of factual, semantic"],
    ["source", "email", "must be one of summary, data_collection, caller_name, conversation, remember, import"],
    ["source", ["summary"], "must be one of summary"],
    ["source", "evaluation", "evaluation is not a source to filter on"],
    ["since", "yesterday", "must be an ISO 8601 date (2026-03-01) or date-time (2026-03-01T09:30:00Z)"],
    ["since", "2026-02-30", "must be an ISO 8601 date"],
    ["since", "2026-03-01T25:00:00Z", "must be an ISO 8601 date"],
    ["since", "", "must be an ISO 8601 date"],
    ["since", 20260301, "must be an ISO 8601 date"],
    ["until", "01/03/2026", "must be an ISO 8601 date"],
    ["until", "2026-03-01 09:30", "must be an ISO 8601 date"],
    ["until", "9999-12-31T23:00:00-05:00", "must be a date in the years 0000 to 9999"],
    ["conversation_id", "../../etc/passwd", "must be a conversation id"],
    ["conversation_id", "", "must be a conversation id"],
    ["conversation_id", "c".repeat(201), "must be a conversation id"],
    ["conversation_id", 42, "must be a string"],
  ])("%s %j", (field, value, message) => {
    const answer = read({ [field]: value });

    expect(answer).toMatchObject({ ok: false, status: 400, body: { error: { code: "INVALID_REQUEST" } } });
    if (answer.ok) return;
    expect(answer.body.error.message.startsWith(`${field}: `), answer.body.error.message).toBe(true);
    expect(answer.body.error.message).toContain(message);
  });

  it("refuses since after until, naming since", () => {
    const sameDay = read({ since: "2026-03-01T10:00:00Z", until: "2026-03-01T09:59:59Z" });
    const dates = read({ since: "2026-03-02", until: "2026-03-01" });

    expect(sameDay).toEqual({ ok: false, status: 400, body: { error: { code: "INVALID_REQUEST", message: "since: must not be after until" } } });
    expect(dates).toEqual(sameDay);
  });

  it("names only the field at fault when another filter is fine", () => {
    const answer = read({ type: "factual", since: "soon", until: "2026-03-01" });

    expect(answer).toMatchObject({ ok: false, body: { error: { message: expect.stringMatching(/^since: /) as string } } });
  });
});

describe("retrieve filters: what reaches the store", () => {
  it("passes no filters when none are given", () => {
    expect(read({})).toEqual({ ok: true, filters: {} });
  });

  it("reads a date alone as the whole day in UTC, so since and until may name the same day", () => {
    expect(read({ since: "2026-03-01", until: "2026-03-01" })).toEqual({
      ok: true,
      filters: { since: "2026-03-01T00:00:00.000Z", until: "2026-03-01T23:59:59.999Z" },
    });
  });

  it("reads a date-time as that instant: an offset is converted to UTC, a date-time without one is read in UTC", () => {
    expect(read({ since: "2026-03-01T09:30:00+02:00", until: "2026-03-01T18:00" })).toEqual({
      ok: true,
      filters: { since: "2026-03-01T07:30:00.000Z", until: "2026-03-01T18:00:00.000Z" },
    });
  });

  it("passes type, source and conversation_id as given", () => {
    expect(read({ type: "semantic", source: "conversation", conversation_id: "conv_5201kfx7" })).toEqual({
      ok: true,
      filters: { type: "semantic", source: "conversation", conversationId: "conv_5201kfx7" },
    });
  });
});
