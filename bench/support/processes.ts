import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";

const started = new Set<ChildProcess>();

/** Remember a child this bench started, until it exits, so an interrupted run can end it. */
export function track(child: ChildProcess): void {
  started.add(child);
  child.once("exit", () => started.delete(child));
}

/** End the children this bench started that still run (after Ctrl-C or a failure), each by its handle. */
export function killStartedProcesses(): void {
  for (const child of started) child.kill("SIGKILL");
}

export interface ProcessOutcome {
  /** `null` when the process was killed by a signal. */
  readonly code: number | null;
  /** From spawn to exit. */
  readonly ms: number;
  /** From spawn to the first IPC message (undefined without `ipc` or without a message). */
  readonly firstMessageMs: number | undefined;
  readonly stderr: string;
  /** The first IPC message, when the process was started with `ipc`. */
  readonly message: unknown;
}

/**
 * Spawn a process and time it from spawn to exit (and, with `ipc`, to its first message); stdout is discarded, stderr kept. It is killed
 * past `timeoutMs`, so no run can hang the bench.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    timeoutMs: number;
    ipc?: boolean;
    /** With `ipc`: run once the first message arrived, then send the child `{ next: true }` (a failure kills the child). */
    afterFirstMessage?: () => Promise<void>;
  },
): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: options.ipc ? ["ignore", "ignore", "pipe", "ipc"] : ["ignore", "ignore", "pipe"],
    });
    track(child);
    let ms = 0;
    let stderr = "";
    let message: unknown;
    let firstMessageMs: number | undefined;
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    let afterFailure: unknown;
    child.on("message", (m) => {
      if (firstMessageMs !== undefined) return;
      firstMessageMs = performance.now() - start;
      message = m;
      const after = options.afterFirstMessage;
      if (after === undefined) return;
      after().then(
        () => {
          if (child.connected) child.send({ next: true });
        },
        (error: unknown) => {
          afterFailure = error;
          child.kill("SIGKILL");
        },
      );
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", () => {
      ms = performance.now() - start;
      clearTimeout(timer);
    });
    child.once("close", (code, signal) => {
      if (afterFailure !== undefined) {
        reject(afterFailure instanceof Error ? afterFailure : new Error(String(afterFailure)));
        return;
      }
      resolve({ code: signal === null ? code : null, ms, firstMessageMs, stderr: signal === null ? stderr : `${stderr}\nkilled by ${signal}`, message });
    });
  });
}
