import type { CallerId } from "../../domain/caller-id";
import type { CallerProfile } from "../../domain/caller-profile";
import type { Memory } from "../../domain/memory";
import type { CallerProfileStore } from "../ports/caller-profile-store.port";
import { archiveKeyTimestamp, callerArchivePrefixes, type ConversationArchive } from "../ports/conversation-archive.port";
import type { Clock } from "../ports/clock.port";
import type { ConversationReader } from "../ports/conversation-reader.port";
import type { MemoryStore } from "../ports/memory-store.port";
import { silent, type Progress } from "../progress";

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

/** Everything kept about one caller, in one document: memories, profile, transcripts and the list of recordings. */
export class ExportCaller {
  constructor(
    private readonly memories: MemoryStore,
    private readonly archive: ConversationArchive,
    private readonly reader: ConversationReader,
    private readonly clock: Clock,
    private readonly profiles: CallerProfileStore,
  ) {}

  async execute(callerId: CallerId, progress: Progress = silent): Promise<CallerExport> {
    const exportedAt = new Date(this.clock.nowMs()).toISOString();
    const memories = await this.memories.list(callerId, { history: true });
    progress(`memories: ${memories.length}`);
    const profile = (await this.profiles.get(callerId))?.profile ?? null;

    const prefixes = callerArchivePrefixes(callerId);
    const transcripts: TranscriptExport[] = [];
    const keys = await this.archive.list(prefixes.transcripts);
    for (const [index, key] of keys.entries()) {
      const bytes = await this.archive.get(key);
      // Listed a moment ago and gone now: erased meanwhile, so not exported.
      if (bytes === null) continue;
      const text = new TextDecoder().decode(bytes);
      transcripts.push({ key, conversation: parseJson(text), evaluation: this.evaluationOf(text, key) });
      progress(`transcripts: ${index + 1}/${keys.length}`);
    }
    const audio = await this.archive.list(prefixes.audio);
    return { caller_id: callerId, exported_at: exportedAt, memories, profile, transcripts, audio };
  }

  /** The evaluation in an archived event; the key's event time stands in for a seed event without one. */
  private evaluationOf(rawBody: string, key: string): CallEvaluation[] {
    const timestamp = archiveKeyTimestamp(key);
    // The evaluation does not depend on who called: no region is needed to read it.
    const conversation = this.reader.read(rawBody, { defaultRegion: null, ...(timestamp === null ? {} : { fallbackTimestamp: timestamp }) });
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
