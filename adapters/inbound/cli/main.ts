import "reflect-metadata";
import { ConfigError } from "../../config";
import { describeError } from "./arguments";
import { createContext, loadCliEnv, UsageError, type CliCommand } from "./cli-context";
import { agentConfigCommand } from "./agent-config.command";
import { exportCommand } from "./export.command";
import { forgetCommand } from "./forget.command";
import { migrateCommand } from "./migrate.command";
import { replayCommand } from "./replay.command";
import { retentionCommand } from "./retention.command";
import { serveCommand } from "./serve.command";
import { signCommand } from "./sign.command";
import { simulateCallCommand } from "./simulate-call.command";
import { smokeCommand } from "./smoke.command";

/** Every command of `npx agentic-memory`; each file holds one. */
export const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  forgetCommand,
  exportCommand,
  retentionCommand,
  migrateCommand,
  replayCommand,
  signCommand,
  simulateCallCommand,
  agentConfigCommand,
  smokeCommand,
];

/** Options that take a value (`--days 30` as well as `--days=30`). */
const VALUED = new Set(["days", "out", "caller", "file", "timestamp", "base-url", "limit", "port", "host", "timeout", "conversation-id", "queue-url"]);

const HELP = `Usage: agentic-memory <command> [options]

Operate an AgenticMemory deployment: the local backend (DATA_DIR) or AWS (ARCHIVE_BUCKET, MEMORY_BACKEND=mem0),
with the same configuration as the server (.env and the environment).

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`).join("\n")}

Options:
  --help         show help for a command
  --json         machine-readable output where a script would read it`;

/** `--flag`, `--flag=value` and `--flag value` (for flags listed in `valued`); the rest are arguments. */
export function parseArgs(argv: readonly string[], valued: ReadonlySet<string> = VALUED) {
  const args: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] ?? "";
    if (token === "--") {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith("--")) {
      args.push(token);
      continue;
    }
    const [name = "", inline] = token.slice(2).split(/=(.*)/s, 2);
    if (inline !== undefined) flags[name] = inline;
    else if (valued.has(name)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
      i += 1;
    } else flags[name] = true;
  }
  return { args, flags };
}

/** A usage mistake: what is wrong, the command's synopsis, and where the rest is. */
function usageHint(command: CliCommand, problem: string): string {
  const synopsis = command.usage.split("\n", 1)[0] ?? "";
  return `${problem}\n${synopsis}\nRun "agentic-memory ${command.name} --help" for details.\n`;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const [name, ...args] = parsed.args;
  if (name === undefined || name === "help") {
    process.stdout.write(`${HELP}\n`);
    return name === undefined && parsed.flags.help !== true ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${HELP}\n`);
    return 2;
  }
  if (parsed.flags.help === true) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  const unknown = Object.keys(parsed.flags).filter((flag) => flag !== "help" && !command.options.includes(flag));
  if (unknown.length > 0) {
    process.stderr.write(usageHint(command, `${command.name} does not take ${unknown.map((f) => `--${f}`).join(", ")}`));
    return 2;
  }
  let context: ReturnType<typeof createContext> | undefined;
  try {
    context = createContext(args, parsed.flags, await loadCliEnv());
    return await command.run(context);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(usageHint(command, error.message));
      return 2;
    }
    const message = error instanceof ConfigError ? error.message : describeError(error);
    process.stderr.write(`agentic-memory ${name} failed: ${message}\n`);
    return 1;
  } finally {
    await context?.close();
  }
}

process.exitCode = await runCli(process.argv.slice(2));
