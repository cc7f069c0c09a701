import "reflect-metadata";
import { parseArgs } from "node:util";
import { ConfigError } from "../../config";

import { describeError } from "../../../domain/error-description";
import { createContext, loadCliEnv, UsageError, type CliCommand, type CliOptions } from "./cli-context";
import { agentConfigCommand } from "./agent-config.command";
import { dashboardCommand } from "./dashboard.command";
import { exportCommand } from "./export.command";
import { forgetCommand } from "./forget.command";
import { historyCommand } from "./history.command";
import { importCommand } from "./import.command";
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
  historyCommand,
  importCommand,
  retentionCommand,
  migrateCommand,
  replayCommand,
  signCommand,
  simulateCallCommand,
  agentConfigCommand,
  smokeCommand,
  dashboardCommand,
];

const HELP = `Usage: agentic-memory <command> [options]

Operate an AgenticMemory deployment: the local backend (DATA_DIR) or AWS (ARCHIVE_BUCKET, MEMORY_BACKEND=mem0),
with the same configuration as the server (.env and the environment).

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`).join("\n")}

Options:
  --help         show help for a command
  --json         machine-readable output where a script would read it`;

/** Every option of every command, so the command's name is found wherever the options stand. */
const ALL_OPTIONS: CliOptions = Object.fromEntries([["help", { type: "boolean" }], ...COMMANDS.flatMap((c) => Object.entries(c.options))]);

/**
 * The command named in `argv` and the rest of the line, read leniently: what the command does not
 * take is refused once the command is known (its own options, strictly).
 */
function findCommand(argv: readonly string[]): { name: string | undefined; rest: string[]; help: boolean } {
  const { values, tokens } = parseArgs({ args: [...argv], options: ALL_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const named = tokens.find((token) => token.kind === "positional");
  return {
    name: named?.kind === "positional" ? named.value : undefined,
    rest: argv.filter((_, index) => index !== named?.index),
    help: values.help === true,
  };
}

/** The command's arguments and flags, strictly: an unknown option, a missing value or a value for a switch is a usage error. */
function commandLine(command: CliCommand, argv: string[]): { args: string[]; flags: Record<string, string | boolean> } {
  const options: CliOptions = { help: { type: "boolean" }, ...command.options };
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    const flags: Record<string, string | boolean> = {};
    for (const [name, value] of Object.entries(values)) if (typeof value === "string" || typeof value === "boolean") flags[name] = value;
    return { args: positionals, flags };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS_")) throw error;
    if (code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError((error as Error).message);
    // Every option it does not take at once, in our words rather than parseArgs' first one.
    const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
    const unknown = tokens.flatMap((token) => (token.kind === "option" && !Object.hasOwn(options, token.name) ? [token.rawName] : []));
    throw new UsageError(`${command.name} does not take ${[...new Set(unknown)].join(", ")}`);
  }
}

/** A usage mistake: what is wrong, the command's synopsis, and where the rest is. */
function usageHint(command: CliCommand, problem: string): string {
  const synopsis = command.usage.split("\n", 1)[0] ?? "";
  return `${problem}\n${synopsis}\nRun "agentic-memory ${command.name} --help" for details.\n`;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const { name, rest, help } = findCommand(argv);
  if (name === undefined || name === "help") {
    process.stdout.write(`${HELP}\n`);
    return name === undefined && !help ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${HELP}\n`);
    return 2;
  }
  if (help) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  let context: ReturnType<typeof createContext> | undefined;
  try {
    const { args, flags } = commandLine(command, rest);
    context = createContext(args, flags, await loadCliEnv());
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
