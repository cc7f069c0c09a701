import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cli, tempDir } from "./cli-process";

const COMMANDS = ["serve", "forget", "export", "import", "retention", "migrate", "replay", "sign", "simulate-call", "agent-config", "smoke", "dashboard"];

describe("agentic-memory help and usage errors", () => {
  // One process per command, all at once: on a busy two-core machine that takes longer than the default.
  it("lists every command, and explains each with --help", { timeout: 60_000 }, async () => {
    const [overview, ...helps] = await Promise.all([cli(["--help"]), ...COMMANDS.map((name) => cli([name, "--help"]))]);

    expect(overview.code).toBe(0);
    for (const name of COMMANDS) expect(overview.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    helps.forEach((help, index) => {
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: agentic-memory ${COMMANDS[index]}`));
    });
  });

  it("refuses an unknown command, an unknown option and a missing argument with exit code 2", async () => {
    const [command, option, argument] = await Promise.all([cli(["forgot", "+15550100123"]), cli(["export", "+15550100123", "--output", "x"]), cli(["export"])]);

    expect(command.code).toBe(2);
    expect(command.stderr).toContain('Unknown command "forgot"');
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("export does not take --output");
    expect(argument.code).toBe(2);
    expect(argument.stderr).toContain("missing <caller>");
    expect(argument.stderr).toContain('Run "agentic-memory export --help"');
  });

  it("names every option a command does not take, an option missing its value and a switch given one, with exit code 2", async () => {
    const [unknown, missing, switched, helped] = await Promise.all([
      cli(["--json", "export", "--output", "x", "+15550100123", "--verbose"]),
      cli(["retention", "--apply", "--days"]),
      cli(["retention", "--days", "30", "--apply=yes"]),
      cli(["export", "--output", "x", "--help"]),
    ]);

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("export does not take --json, --output, --verbose");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("'--days <value>' argument missing");
    expect(switched.code).toBe(2);
    expect(switched.stderr).toContain("'--apply' does not take an argument");
    expect(helped.code).toBe(0);
    expect(helped.stdout).toMatch(/^Usage: agentic-memory export/);
  });
});

describe("agentic-memory serve", () => {
  it("runs the local server like npm start, on the port it is given, until SIGTERM", async () => {
    const child = spawn(process.execPath, ["bin/agentic-memory.mjs", "serve", "--port", "0"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_DIR: tempDir() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));

    const baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 15_000);
      child.stdout.on("data", () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        // The whole banner, down to the curl example.
        if (match?.[1] && output.includes("curl -s")) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const health = await fetch(`${baseUrl}/health`);
    child.kill("SIGTERM");

    expect(health.status).toBe(200);
    expect(output).toContain("Generated development keys");
    expect(output).toContain(`post-call webhook:               ${baseUrl}/post-call`);
    expect(await exited).toBe(0);
  });
});
