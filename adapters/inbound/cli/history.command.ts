import type { Memory } from "../../../domain/memory";
import { booleanFlag, callerArgument, positional, stringFlag } from "./arguments";
import type { CliCommand } from "./cli-context";

/** `history <caller> [--key K]`: every version of a caller's facts, with its time and call. */
export const historyCommand: CliCommand = {
  name: "history",
  summary: "every version of a caller's facts, current and superseded, with time and conversation",
  options: { key: { type: "string" }, json: { type: "boolean" } },
  usage: `Usage: agentic-memory history <caller> [--key K] [--json]

Prints every version of the caller's facts, grouped by what each is about (its key: a data-collection
field id, the category of a fact remembered during a call, caller_name), newest first, each with the
time of its call and its conversation id; "current" marks the version the agent is told, the others
were superseded by a newer fact with the same key. Facts without a key (call summaries) are listed
last, under "(no key)". Conversation passages (semantic memories) are not facts and are not listed.

<caller> is a phone number in international form (+15550100123), or in national form when
DEFAULT_REGION is set; anything else is refused (exit 2).

Options:
  --key K   only the versions of one fact (e.g. --key contact_preference)
  --json    one JSON object: {"caller_id", "facts": [{"key", "versions": [{"id", "memory", "timestamp",
            "conversation_id", "source", "current", "superseded_by"}]}]}`,
  async run(context) {
    const [raw = ""] = positional(context, "caller");
    const callerId = callerArgument(raw, "caller", context.env().DEFAULT_REGION ?? null);
    const key = stringFlag(context, "key");
    const app = await context.app();
    const memories = await app.memories.list(callerId, { history: true, ...(key === undefined ? {} : { factKey: key }) });
    const facts = groupByKey(memories.filter((m) => m.metadata.type === "factual"));
    if (booleanFlag(context, "json")) {
      context.out(JSON.stringify({ caller_id: callerId, facts }, null, 2));
      return 0;
    }
    if (facts.length === 0) {
      context.out(key === undefined ? `No facts are kept about ${callerId}.` : `No fact with the key ${key} is kept about ${callerId}.`);
      return 0;
    }
    const lines = [`Facts about ${callerId}, newest first:`];
    for (const fact of facts) {
      lines.push("", fact.key ?? "(no key)");
      for (const v of fact.versions) {
        lines.push(`  ${v.current ? "current   " : "superseded"}  ${v.timestamp}  ${v.conversation_id}  ${v.memory}`);
      }
    }
    context.out(lines.join("\n"));
    return 0;
  },
};

interface FactVersions {
  readonly key: string | null;
  readonly versions: readonly {
    readonly id: string;
    readonly memory: string;
    readonly timestamp: string;
    readonly conversation_id: string;
    readonly source: string;
    readonly current: boolean;
    readonly superseded_by: string | null;
  }[];
}

/** Keyed facts by key (alphabetical), then the unkeyed ones; each group newest first as the store lists them. */
function groupByKey(memories: readonly Memory[]): FactVersions[] {
  const groups = new Map<string | null, Memory[]>();
  for (const m of memories) {
    const key = m.metadata.fact_key ?? null;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return keys.map((key) => ({
    key,
    versions: (groups.get(key) ?? []).map((m) => ({
      id: m.id,
      memory: m.memory,
      timestamp: m.metadata.timestamp,
      conversation_id: m.metadata.conversation_id,
      source: m.metadata.source,
      current: m.metadata.superseded_by === undefined,
      superseded_by: m.metadata.superseded_by ?? null,
    })),
  }));
}
