import { isCallerId, type CallerId } from "../../domain/caller-id";
import type { CallerProfile } from "../../domain/caller-profile";
import { isStorableId, type Conversation } from "../../domain/conversation";
import { MEMORY_SOURCES, MEMORY_TYPES, type Memory, type MemorySource, type MemoryType } from "../../domain/memory";
import type { CallerProfileStore } from "../ports/caller-profile-store.port";
import {
  archiveKeyConversationId,
  archiveKeyTimestamp,
  callerArchivePrefixes,
  type ConversationArchive,
} from "../ports/conversation-archive.port";
import type { ConversationReader } from "../ports/conversation-reader.port";
import type { MemoryStore } from "../ports/memory-store.port";

/** Everything the operator sees about one caller: profile, memories with their history, and recent calls. */
export interface CallerDossier {
  readonly callerId: CallerId;
  /** What the next call is told about the caller, or `null` when no profile is stored. */
  readonly profile: CallerProfile | null;
  readonly memories: DossierMemories;
  readonly calls: DossierCalls;
}

/** The caller's memories, every version of every fact, grouped by type then source. */
interface DossierMemories {
  /** How many are current (what the agent may be told). */
  readonly current: number;
  /** How many are older versions, kept as history. */
  readonly superseded: number;
  /** Factual before semantic, sources in the order `MEMORY_SOURCES` lists them; empty groups left out. */
  readonly groups: readonly MemoryGroup[];
}

/** The facts whose newest version is of this type and source. */
interface MemoryGroup {
  readonly type: MemoryType;
  readonly source: MemorySource;
  /** Most recent first (by the newest version of each). */
  readonly facts: readonly FactHistory[];
}

/** One fact and its versions, which may come from different sources (a remembered fact correcting a collected one). */
interface FactHistory {
  /** `metadata.fact_key`; `null` for a memory that names no fact (it is then its own, only version). */
  readonly factKey: string | null;
  /**
   * The current version first, then the older ones newest first, each with `metadata.superseded_by`
   * (the id of the version that replaced it). Where the store marked every version superseded (Mem0's
   * Dream), all are newest first.
   */
  readonly versions: readonly Memory[];
}

/** The caller's archived calls: the newest ones in full, and how many older ones were left out. */
export interface DossierCalls {
  /** How many calls are archived for the caller. */
  readonly total: number;
  /** Newest first, at most the limit asked for. */
  readonly recent: readonly DossierCall[];
  /** Older calls not shown (`total - recent.length`). */
  readonly more: number;
}

/** One archived call, as its transcript (the webhook event kept verbatim) tells it. */
export interface DossierCall {
  readonly conversationId: string;
  /** ISO-8601 time of the call event; `null` only for an unreadable transcript under a key that names none. */
  readonly at: string | null;
  readonly durationSecs: number | null;
  readonly summary: string | null;
  /** ISO 639-1, when known. */
  readonly language: string | null;
  readonly turns: readonly DossierTurn[];
  readonly transcriptKey: string;
  /** The archived recording, when there is one ({@link ReadCallerDossier.audio} reads it). */
  readonly audioKey: string | null;
  /** Why the archived transcript could not be read (its turns are then empty); `null` when it was read. */
  readonly unreadable: string | null;
}

interface DossierTurn {
  readonly role: "caller" | "agent";
  readonly text: string;
  readonly timeInCallSecs: number | null;
}

export interface DossierOptions {
  /** How many of the newest calls are read in full (default {@link DOSSIER_CALLS}). */
  readonly calls?: number;
}

/** Calls read in full by default: each is one archive read. */
const DOSSIER_CALLS = 20;

/**
 * One caller's dossier for the operator: the stored profile, every memory with its versions, and the
 * newest calls with their transcripts; and the recording of one of the caller's calls, read only from
 * that caller's own audio folder.
 *
 * @example
 * const dossier = await readCallerDossier.execute(callerId);
 * dossier.calls.recent[0]?.turns; // [{ role: "agent", text: "Hi Marisol, …" }, …]
 * await readCallerDossier.audio(callerId, dossier.calls.recent[0].conversationId); // MP3 bytes, or null
 */
export class ReadCallerDossier {
  constructor(
    private readonly memories: MemoryStore,
    private readonly profiles: CallerProfileStore,
    private readonly archive: ConversationArchive,
    private readonly reader: ConversationReader,
  ) {}

  async execute(callerId: CallerId, options: DossierOptions = {}): Promise<CallerDossier> {
    // Typed as an id but handed over from a URL: nothing is read for anything else (no `../` in a prefix).
    if (!isCallerId(callerId)) return { callerId, profile: null, memories: groupMemories([]), calls: { total: 0, recent: [], more: 0 } };
    const limit = Math.max(0, Math.trunc(options.calls ?? DOSSIER_CALLS));
    const [profile, memories, calls] = await Promise.all([
      this.profiles.get(callerId),
      this.memories.list(callerId, { history: true }),
      this.calls(callerId, limit),
    ]);
    return { callerId, profile: profile?.profile ?? null, memories: groupMemories(memories), calls };
  }

  /**
   * The recording of conversation `conversationId` of this caller, or `null` when the caller has none
   * for it. Only keys listed under the caller's own audio folder are read: an id that is not the
   * caller's (or not an id at all, `../…`) reads nothing.
   */
  async audio(callerId: CallerId, conversationId: string): Promise<Uint8Array | null> {
    if (!isCallerId(callerId) || !isStorableId(conversationId)) return null;
    const key = (await this.audioKeys(callerId)).get(conversationId);
    return key === undefined ? null : this.archive.get(key);
  }

  private async calls(callerId: CallerId, limit: number): Promise<DossierCalls> {
    const prefix = callerArchivePrefixes(callerId).transcripts;
    const keys = newestFirst((await this.archive.list(prefix)).filter((key) => key.startsWith(prefix)));
    const shown = keys.slice(0, limit);
    const audio = shown.length === 0 ? new Map<string, string>() : await this.audioKeys(callerId);
    const read = await Promise.all(shown.map((key) => this.call(key, audio)));
    const recent = read.filter((call): call is DossierCall => call !== null);
    return { total: keys.length, recent, more: keys.length - shown.length };
  }

  /** One transcript as a call; `null` when it was erased since it was listed. */
  private async call(key: string, audio: ReadonlyMap<string, string>): Promise<DossierCall | null> {
    const bytes = await this.archive.get(key);
    if (bytes === null) return null;
    const timestamp = archiveKeyTimestamp(key);
    // The caller is known from the folder: no region is needed to read the call.
    const conversation = await this.reader.read(new TextDecoder().decode(bytes), { defaultRegion: null, ...(timestamp === null ? {} : { fallbackTimestamp: timestamp }) });
    const conversationId = typeof conversation === "string" ? (archiveKeyConversationId(key) ?? key) : conversation.conversationId;
    const base = { conversationId, transcriptKey: key, audioKey: audio.get(conversationId) ?? null };
    if (typeof conversation === "string") {
      const at = timestamp === null ? null : new Date(timestamp * 1000).toISOString();
      return { ...base, at, durationSecs: null, summary: null, language: null, turns: [], unreadable: conversation };
    }
    return { ...base, ...callOf(conversation), unreadable: null };
  }

  /** The caller's recordings by conversation id (the newest, should one have two). */
  private async audioKeys(callerId: CallerId): Promise<Map<string, string>> {
    const prefix = callerArchivePrefixes(callerId).audio;
    const byConversation = new Map<string, string>();
    for (const key of newestFirst((await this.archive.list(prefix)).filter((k) => k.startsWith(prefix)))) {
      const conversationId = archiveKeyConversationId(key);
      if (conversationId !== null && !byConversation.has(conversationId)) byConversation.set(conversationId, key);
    }
    return byConversation;
  }
}

function callOf(conversation: Conversation): Omit<DossierCall, "conversationId" | "transcriptKey" | "audioKey" | "unreadable"> {
  return {
    at: new Date(conversation.eventTimestamp * 1000).toISOString(),
    durationSecs: conversation.durationSecs,
    summary: conversation.summary,
    language: conversation.language ?? null,
    turns: conversation.turns.map((turn) => ({ role: turn.role === "user" ? "caller" : "agent", text: turn.text, timeInCallSecs: turn.timeInCallSecs })),
  };
}

/** Archive keys newest call first (by the event time in the key; keys without one last). */
function newestFirst(keys: readonly string[]): string[] {
  const time = (key: string) => archiveKeyTimestamp(key) ?? -1;
  return [...keys].sort((a, b) => time(b) - time(a) || (a < b ? 1 : a > b ? -1 : 0));
}

/**
 * Memories as the operator reads them: each fact's versions together (current first, then older ones
 * newest first), each fact in the group of its current version's type and source.
 */
function groupMemories(memories: readonly Memory[]): DossierMemories {
  const byFact = new Map<string, Memory[]>();
  for (const memory of memories) {
    const factKey = memory.metadata.fact_key;
    // A memory naming no fact is its own fact (keyed by its id, which no fact key can equal).
    const key = factKey === undefined ? `\u0000${memory.id}` : `k:${factKey}`;
    byFact.set(key, [...(byFact.get(key) ?? []), memory]);
  }

  const groups = new Map<string, { type: MemoryType; source: MemorySource; facts: FactHistory[] }>();
  for (const versions of byFact.values()) {
    const ordered = versionOrder(versions);
    const lead = ordered[0];
    if (lead === undefined) continue;
    const groupKey = `${lead.metadata.type}/${lead.metadata.source}`;
    const group = groups.get(groupKey) ?? { type: lead.metadata.type, source: lead.metadata.source, facts: [] };
    group.facts.push({ factKey: lead.metadata.fact_key ?? null, versions: ordered });
    groups.set(groupKey, group);
  }

  const rank = (g: MemoryGroup) => MEMORY_TYPES.indexOf(g.type) * MEMORY_SOURCES.length + MEMORY_SOURCES.indexOf(g.source);
  const sorted = [...groups.values()]
    .map((g) => ({ ...g, facts: [...g.facts].sort((a, b) => newer(a.versions[0], b.versions[0])) }))
    .sort((a, b) => rank(a) - rank(b));
  const superseded = memories.filter((m) => m.metadata.superseded_by !== undefined).length;
  return { current: memories.length - superseded, superseded, groups: sorted };
}

/** The versions of one fact: the current one first, then the older ones newest first. */
function versionOrder(versions: readonly Memory[]): Memory[] {
  const byTime = [...versions].sort(newer);
  const current = byTime.find((m) => m.metadata.superseded_by === undefined);
  return current === undefined ? byTime : [current, ...byTime.filter((m) => m !== current)];
}

/** Newest first by the call's time; at the same time, by id so the order is stable. */
function newer(a: Memory | undefined, b: Memory | undefined): number {
  const time = (m: Memory | undefined) => (m === undefined ? 0 : Date.parse(m.metadata.timestamp) || 0);
  return time(b) - time(a) || ((a?.id ?? "") < (b?.id ?? "") ? -1 : 1);
}
