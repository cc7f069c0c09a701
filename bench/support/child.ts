import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { track } from "./processes";
import type { PhaseMessage } from "./result";

export const REPO_ROOT = join(import.meta.dirname, "..", "..");

/**
 * A bench phase in its own process (TypeScript through tsx). Its stdout, where the app's structured
 * logs go, is discarded: the logs are written as in production, but they stay out of the report.
 * Its stderr (warnings and errors) is kept and shown if the phase fails.
 */
export class PhaseProcess {
  private readonly child: ChildProcess;
  private readonly stderr: string[] = [];
  private readonly inbox: PhaseMessage[] = [];
  private waiter: ((message: PhaseMessage) => void) | undefined;
  private readonly exited: Promise<number | null>;

  constructor(script: string, config: unknown, env: NodeJS.ProcessEnv) {
    this.child = fork(join(REPO_ROOT, "bench", "phases", script), [JSON.stringify(config)], {
      cwd: REPO_ROOT,
      env,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    track(this.child);
    this.child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr.push(...chunk.split("\n").filter((line) => line.trim() !== ""));
      if (this.stderr.length > 200) this.stderr.splice(0, this.stderr.length - 200);
    });
    this.child.on("message", (message: PhaseMessage) => {
      if (this.waiter) this.waiter(message);
      else this.inbox.push(message);
    });
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  /** The next message, or a failure naming the phase's last stderr lines when it errs, exits or overruns. */
  async next<T extends PhaseMessage["type"]>(type: T, timeoutMs: number): Promise<Extract<PhaseMessage, { type: T }>> {
    const queued = this.inbox.shift();
    const message =
      queued ??
      (await new Promise<PhaseMessage>((resolve, reject) => {
        const timer = setTimeout(() => reject(this.failure(`no "${type}" message within ${timeoutMs} ms`)), timeoutMs);
        this.waiter = (m) => {
          clearTimeout(timer);
          resolve(m);
        };
        void this.exited.then((code) => {
          clearTimeout(timer);
          reject(this.failure(`exited with code ${code} before sending "${type}"`));
        });
      }).finally(() => {
        this.waiter = undefined;
      }));
    if (message.type === "error") throw this.failure(message.message);
    if (message.type !== type) throw this.failure(`sent "${message.type}" where "${type}" was expected`);
    return message as Extract<PhaseMessage, { type: T }>;
  }

  send(message: string): void {
    if (this.child.connected) this.child.send(message);
  }

  /** Warnings and errors the phase logged (stderr lines). */
  get warnings(): readonly string[] {
    return this.stderr;
  }

  /** Ask the phase to exit; kill it if it has not within `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.send("stop");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private failure(reason: string): Error {
    const tail = this.stderr.slice(-15).join("\n");
    return new Error(`bench phase failed: ${reason}${tail === "" ? "" : `\n--- its stderr ---\n${tail}`}`);
  }
}

/** In a phase process: the JSON config its parent passed. */
export function phaseConfig<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error("a bench phase needs its JSON config as the first argument");
  return JSON.parse(raw) as T;
}

/** In a phase process: send a message to the parent; resolves once it has been handed over. */
export function tell(message: PhaseMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

/** In a phase process: run `main`, report a failure to the parent, and exit. */
export function runPhase(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) =>
      void tell({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }).finally(() => process.exit(1)),
  );
}
