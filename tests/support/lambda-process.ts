import { fork, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";

const RUNNER = resolve(import.meta.dirname, "lambda-runner.mjs");

interface LambdaInvocation<T> {
  readonly ok: boolean;
  readonly result?: T;
  readonly error?: { readonly name: string; readonly message: string };
}

/** One warm Lambda instance: a bundle imported once in its own process, invoked event by event. */
export interface LambdaProcess {
  readonly name: string;
  invoke<T = unknown>(event: unknown): Promise<LambdaInvocation<T>>;
  /** Everything the function printed (its structured logs). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `<bundleDir>/<name>/index.mjs` in a fresh `node` process whose environment is exactly `env`
 * (nothing inherited from the test process), as the Lambda service would with the function's
 * configuration. `timeoutSeconds` drives the context's remaining time.
 *
 * @example
 * const postCall = await startLambda(bundles, "post-call", env, 30);
 * const answer = await postCall.invoke(apiGatewayEvent);
 */
export async function startLambda(bundleDir: string, name: string, env: Record<string, string>, timeoutSeconds: number): Promise<LambdaProcess> {
  const child: ChildProcess = fork(RUNNER, [join(bundleDir, name, "index.mjs"), name, String(timeoutSeconds * 1000)], {
    env,
    execArgv: [],
    cwd: join(bundleDir, name),
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-200_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const pending = new Map<string, (message: LambdaInvocation<unknown>) => void>();
  let next = 0;
  await new Promise<void>((ready, fail) => {
    child.once("exit", (code) => fail(new Error(`${name} exited (${code}) before it was ready:\n${output}`)));
    child.on("message", (message: { type: string; id?: string; result?: unknown; error?: { name: string; message: string } }) => {
      if (message.type === "ready") ready();
      else if (message.type === "init-error") fail(new Error(`${name} failed to load: ${message.error?.name}: ${message.error?.message}`));
      else if (message.id !== undefined) {
        const settle = pending.get(message.id);
        pending.delete(message.id);
        settle?.(message.type === "result" ? { ok: true, result: message.result } : { ok: false, ...(message.error === undefined ? {} : { error: message.error }) });
      }
    });
  });
  child.removeAllListeners("exit");
  child.once("exit", (code) => {
    for (const settle of pending.values()) settle({ ok: false, error: { name: "ProcessExited", message: `${name} exited (${code})` } });
    pending.clear();
  });

  return {
    name,
    invoke: <T>(event: unknown) =>
      new Promise<LambdaInvocation<T>>((settle) => {
        const id = `${name}-${(next += 1)}`;
        pending.set(id, settle as (message: LambdaInvocation<unknown>) => void);
        child.send({ id, event });
      }),
    output: () => output,
    stop: async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((done) => child.once("exit", () => done()));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
