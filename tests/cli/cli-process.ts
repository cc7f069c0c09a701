import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixtureText, signed } from "../support/fixtures";

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh empty directory, e.g. for a DATA_DIR. */
export const tempDir = (prefix = "agentic-memory-cli-"): string => mkdtempSync(join(tmpdir(), prefix));

/**
 * Run `node bin/agentic-memory.mjs …` as an operator would, with only the environment given (plus
 * PATH and HOME): nothing of the test process's own configuration leaks in.
 */
export function cli(args: readonly string[], env: Record<string, string> = {}, options: { input?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/agentic-memory.mjs", ...args], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** The JSON a command printed on stdout (fails the test with the whole output when it is not JSON). */
export function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** Every file under `dir` (relative paths, sorted); none when it does not exist. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

export { eventually } from "../support/eventually";

export interface ClientDataAnswer {
  readonly status: number;
  readonly variables: Record<string, string>;
}

/** What the agent would be told before a call from `callerId`. */
export async function clientData(baseUrl: string, workspaceKey: string, callerId: string): Promise<ClientDataAnswer> {
  const response = await fetch(`${baseUrl}/client-data`, {
    method: "POST",
    headers: { "content-type": "application/json", "X-Workspace-Key": workspaceKey },
    body: JSON.stringify({ caller_id: callerId }),
  });
  const json = (await response.json()) as { dynamic_variables?: Record<string, string> };
  return { status: response.status, variables: json.dynamic_variables ?? {} };
}

/** The memories retrieve finds for `callerId`. */
export async function retrieve(baseUrl: string, workspaceKey: string, callerId: string, query: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/retrieve`, {
    method: "POST",
    headers: { "content-type": "application/json", "X-Workspace-Key": workspaceKey },
    body: JSON.stringify({ query, user_id: callerId, limit: 10 }),
  });
  const json = (await response.json()) as { memories: { memory: string }[] };
  return json.memories.map((m) => m.memory);
}

/** The audio fixture for another conversation. */
export function audioFor(conversationId: string, eventTimestamp?: number): string {
  const event = JSON.parse(fixtureText("post-call-audio.json")) as { event_timestamp: number; data: { conversation_id: string } };
  event.data.conversation_id = conversationId;
  if (eventTimestamp !== undefined) event.event_timestamp = eventTimestamp;
  return JSON.stringify(event);
}

/** Deliver a post-call webhook, signed as ElevenLabs does; the answer's status. */
export async function deliver(baseUrl: string, hmacKey: string, body: string): Promise<number> {
  const response = await fetch(`${baseUrl}/post-call`, { method: "POST", headers: signed(body, hmacKey), body });
  await response.body?.cancel();
  return response.status;
}
