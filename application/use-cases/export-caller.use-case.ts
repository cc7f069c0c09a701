import { isCallerId, type CallerId } from "../../domain/caller-id";
import type { CallerProfile } from "../../domain/caller-profile";
import type { Memory } from "../../domain/memory";
import type { CallerProfileStore } from "../ports/caller-profile-store.port";
import { archiveKeyTimestamp, callerArchivePrefixes, type ConversationArchive } from "../ports/conversation-archive.port";
import type { Clock } from "../ports/clock.port";
import type { ConversationReader } from "../ports/conversation-reader.port";
import type { MemoryStore } from "../ports/memory-store.port";
import { PROGRESS_EVERY, silent, type Progress } from "../progress";

/** One caller's data, as handed to them (data portability). Field names are the document's, snake_case. */
export interface CallerExport {
  readonly caller_id: CallerId;
  /** ISO-8601. */
  readonly exported_at: string;
  /** Every memory, superseded ones included (the history the store keeps). */
  readonly memories: readonly Memory[];
  /** What the next call is told about the caller (name, summary, notes), or `null` when none is stored. */
  readonly profile: CallerProfile | null;
  /** Each archived transcript (the call record): the webhook event exactly as ElevenLabs sent it, parsed. */
  readonly transcripts: readonly TranscriptExport[];
  /** Archive keys of the call recordings (MP3), which do not fit in a JSON document. */
  readonly audio: readonly string[];
}

/** One call's record: the archived event, and the call's evaluation read from it. */
interface TranscriptExport {
  readonly key: string;
  readonly conversation: unknown;
  /**
   * The evaluation criteria results of the call (`analysis.evaluation_criteria_results`, or the seed
   * shape's `analysis.evaluation`): notes about the agent's conduct, kept in the call record rather than
   * as the caller's memories. Empty when the call has none or the event cannot be read.
   */
  readonly evaluation: readonly CallEvaluation[];
}

export interface CallEvaluation {
  readonly criteria_id: string;
  /** `success` | `failure` | `unknown`; `null` in the seed shape. */
  readonly result: string | null;
  readonly rationale: string;
}

/**
 * Everything kept about one caller, in one document: memories, profile, transcripts and the list of
 * recordings; and that document for every caller, one at a time ({@link ExportCaller.everyone}).
 */
export class ExportCaller {
  constructor(
    private readonly memories: MemoryStore,
    private readonly archive: ConversationArchive,
    private readonly reader: ConversationReader,
    private readonly clock: Clock,
    private readonly profiles: CallerProfileStore,
  ) {}

  async execute(callerId: CallerId, progress: Progress = silent): Promise<CallerExport> {
    const memories = await this.memories.list(callerId, { history: true });
    progress(`memories: ${memories.length}`);
    return this.document(callerId, memories, progress);
  }

  /**
   * The document of every caller we hold anything about, one caller at a time as the loop asks for
   * the next: only one caller's data is held at once, and callers are read a page at a time from
   * where they are kept. First every caller the memory store lists who has memories; then, so that
   * nobody is left out, callers with a stored profile but no memory, and last callers with archived
   * calls (transcripts or recordings) but neither. Each of those checks is a read of one caller, so
   * nothing grows with the number of callers. A caller whose first call is ingested while this runs
   * may be left out, and one whose data changes meanwhile may come twice (the newer document last).
   */
  async *everyone(progress: Progress = silent): AsyncGenerator<CallerExport> {
    let exported = 0;
    const counted = (document: CallerExport): CallerExport => {
      exported += 1;
      if (exported % PROGRESS_EVERY === 0) progress(`callers: ${exported} exported`);
      return document;
    };
    for await (const callerId of this.memories.callers()) {
      const memories = await this.memories.list(callerId, { history: true });
      // Listed with nothing left (on Mem0 an entity outlives its memories): below, if anything else is kept.
      if (memories.length > 0) yield counted(await this.document(callerId, memories, silent));
    }
    progress(`callers: ${exported} with memories`);
    for await (const callerId of this.profiles.callers()) {
      if (!(await this.hasMemories(callerId))) yield counted(await this.execute(callerId));
    }
    for await (const folder of this.archive.callerFolders()) {
      // Anonymous and unmatched calls are nobody's: not exported.
      if (!isCallerId(folder) || (await this.hasMemories(folder)) || (await this.profiles.get(folder)) !== null) continue;
      yield counted(await this.execute(folder));
    }
    progress(`callers: ${exported} exported`);
  }

  private async hasMemories(callerId: CallerId): Promise<boolean> {
    return (await this.memories.list(callerId, { history: true, limit: 1 })).length > 0;
  }

  private async document(callerId: CallerId, memories: readonly Memory[], progress: Progress): Promise<CallerExport> {
    const exportedAt = new Date(this.clock.nowMs()).toISOString();
    const profile = (await this.profiles.get(callerId))?.profile ?? null;

    const prefixes = callerArchivePrefixes(callerId);
    const transcripts: TranscriptExport[] = [];
    const keys = await this.archive.list(prefixes.transcripts);
    for (const [index, key] of keys.entries()) {
      const bytes = await this.archive.get(key);
      // Listed a moment ago and gone now: erased meanwhile, so not exported.
      if (bytes === null) continue;
      const text = new TextDecoder().decode(bytes);
      transcripts.push({ key, conversation: parseJson(text), evaluation: await this.evaluationOf(text, key) });
      progress(`transcripts: ${index + 1}/${keys.length}`);
    }
    const audio = await this.archive.list(prefixes.audio);
    return { caller_id: callerId, exported_at: exportedAt, memories, profile, transcripts, audio };
  }

  /** The evaluation in an archived event; the key's event time stands in for a seed event without one. */
  private async evaluationOf(rawBody: string, key: string): Promise<CallEvaluation[]> {
    const timestamp = archiveKeyTimestamp(key);
    // The evaluation does not depend on who called: no region is needed to read it.
    const conversation = await this.reader.read(rawBody, { defaultRegion: null, ...(timestamp === null ? {} : { fallbackTimestamp: timestamp }) });
    if (typeof conversation === "string") return [];
    return conversation.evaluations.map((e) => ({ criteria_id: e.criteriaId, result: e.result, rationale: e.rationale }));
  }
}

/** A transcript is the raw webhook body; one that is not JSON (never written by us) is exported as text. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
