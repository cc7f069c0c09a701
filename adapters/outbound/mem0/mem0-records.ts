import * as z from "zod/mini";
import { MEMORY_SOURCES, type Memory, type MemoryMetadata } from "../../../domain/memory";

/**
 * One memory as Mem0's v3 list and search answer it (`POST /v3/memories/`, `POST /v3/memories/search/`
 * in Mem0's OpenAPI document), as the `mem0ai` client hands it over: keys camel-cased (`user_id` →
 * `userId`, `replaced_by` → `replacedBy`), `metadata` left verbatim. Only `id`, `memory` and
 * `created_at` are required there; `user_id` is nullable and may be left out. Unknown fields are ignored.
 */
const mem0RecordSchema = z.object({
  id: z.string().check(z.minLength(1)),
  memory: z.string(),
  userId: z.nullish(z.string()),
  metadata: z.nullish(z.record(z.string(), z.unknown())),
  score: z.nullish(z.number()),
  createdAt: z.nullish(z.string()),
  /** Set by Dream when a newer memory contradicted this one (dream.mdx, "Supersede"). */
  replacedBy: z.nullish(z.string()),
  expirationDate: z.catch(z.nullish(z.string()), null),
});

/** `search` answers `{ results: [...] }`. */
export const mem0SearchResponseSchema = z.object({ results: z.array(z.unknown()) });

/** v3 `getAll` always answers the paged envelope (platform-v2-to-v3.mdx, "List response"). */
export const mem0PageSchema = z.object({
  count: z.number().check(z.int(), z.nonnegative()),
  next: z.nullish(z.string()),
  results: z.array(z.unknown()),
});

/** `GET /v1/entities/` answers the same envelope of entities. */
const mem0EntitySchema = z.object({ name: z.string(), type: z.nullish(z.string()) });
export const mem0UsersPageSchema = z.object({ results: z.array(mem0EntitySchema), next: z.nullish(z.string()) });

/** A Mem0 memory of one caller, with our metadata recovered and the draft key (if we wrote it). */
export interface Mem0Record {
  readonly memory: Memory;
  readonly draftKey: string | undefined;
  /** Milliseconds; Mem0's `created_at`, for ordering memories that share a call timestamp. */
  readonly createdAt: number;
  /** Dream marked it superseded by a newer memory. */
  readonly superseded: boolean;
  /** The metadata as stored (ours, with `draft_key`), for an update that must keep it. */
  readonly storedMetadata: Readonly<Record<string, unknown>>;
  /** Mem0's `expiration_date` (YYYY-MM-DD), set when a newer version of the fact superseded this one. */
  readonly expirationDate: string | null;
}

/**
 * Our metadata as stored beside each memory, field by field. A memory Mem0 made on its own (or
 * edited in its dashboard) may lack some fields: a missing type means Mem0 inferred it from a
 * conversation, so it is `semantic` from the `conversation`; other gaps become neutral values.
 */
const storedMetadataSchema = z.object({
  type: z.catch(z.enum(["factual", "semantic"]), "semantic"),
  source: z.catch(z.enum(MEMORY_SOURCES), "conversation"),
  agent_id: z.catch(z.string(), ""),
  timestamp: z.catch(z.optional(z.iso.datetime({ offset: true })), undefined),
  call_duration: z.catch(z.nullable(z.number()), null),
  conversation_id: z.catch(z.string(), ""),
  draft_key: z.catch(z.optional(z.string().check(z.minLength(1))), undefined),
  fact_key: z.catch(z.optional(z.string().check(z.minLength(1))), undefined),
  superseded_by: z.catch(z.optional(z.string().check(z.minLength(1))), undefined),
  language: z.catch(z.optional(z.string().check(z.regex(/^[a-z]{2,3}$/))), undefined),
});

/**
 * One item of an answer to a read that filtered on `callerId` → a memory of that caller, or `null`
 * when the item is malformed or explicitly names another user.
 *
 * The item is the caller's because the read was scoped to the caller: Mem0 may answer `user_id: null`
 * or leave it out (its OpenAPI document makes the field nullable and optional). An item that does
 * name a different user is a filter mistake (ours or Mem0's) and is dropped, so one caller's
 * memories can never reach another.
 */
export function toMem0Record(item: unknown, callerId: string): Mem0Record | null {
  const parsed = mem0RecordSchema.safeParse(item);
  if (!parsed.success) return null;
  const record = parsed.data;
  if (typeof record.userId === "string" && record.userId !== callerId) return null;
  const stored = storedMetadataSchema.parse(record.metadata ?? {});
  const createdAt = record.createdAt ? Date.parse(record.createdAt) : Number.NaN;
  const metadata: MemoryMetadata = {
    type: stored.type,
    source: stored.source,
    agent_id: stored.agent_id,
    timestamp: stored.timestamp ?? (Number.isFinite(createdAt) ? new Date(createdAt).toISOString() : new Date(0).toISOString()),
    call_duration: stored.call_duration,
    conversation_id: stored.conversation_id,
    ...(stored.fact_key === undefined ? {} : { fact_key: stored.fact_key }),
    ...(stored.superseded_by === undefined ? {} : { superseded_by: stored.superseded_by }),
    ...(stored.language === undefined ? {} : { language: stored.language }),
  };
  const score = record.score === null || record.score === undefined ? undefined : clampScore(record.score);
  return {
    memory: { id: record.id, memory: record.memory, user_id: callerId, metadata, ...(score === undefined ? {} : { score }) },
    draftKey: stored.draft_key,
    createdAt: Number.isFinite(createdAt) ? createdAt : 0,
    superseded: typeof record.replacedBy === "string" && record.replacedBy !== "",
    storedMetadata: record.metadata ?? {},
    expirationDate: record.expirationDate ?? null,
  };
}

/** Newest call first; memories of the same call by Mem0's creation time, newest first. */
export function newestFirst(a: Mem0Record, b: Mem0Record): number {
  return timeOf(b.memory.metadata.timestamp) - timeOf(a.memory.metadata.timestamp) || b.createdAt - a.createdAt;
}

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
}

function clampScore(score: number): number {
  if (!Number.isFinite(score)) return 0;
  return Math.min(1, Math.max(0, score));
}
