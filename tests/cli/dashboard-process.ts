import { spawn, type ChildProcess } from "node:child_process";

/** `agentic-memory dashboard --port 0` while it runs: its address and everything it printed. */
export interface DashboardProcess {
  readonly child: ChildProcess;
  /** `http://HOST:PORT` as the command printed it. */
  readonly url: string;
  readonly output: () => string;
}

/**
 * Start `node bin/agentic-memory.mjs dashboard --port 0` with only `env` (plus PATH and HOME), and
 * wait until it says where it listens and how to sign in.
 */
export function startDashboard(env: Record<string, string>): Promise<DashboardProcess> {
  const child = spawn(process.execPath, ["bin/agentic-memory.mjs", "dashboard", "--port", "0"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dashboard did not start:\n${output}`)), 20_000);
    child.stdout?.on("data", () => {
      const match = /dashboard on (http:\/\/[\d.]+:\d+)\/dashboard/.exec(output);
      if (match?.[1] !== undefined && output.includes("Sign in")) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`dashboard exited with ${code}:\n${output}`));
    });
  });
}

/** Sign in as the form does (same-origin POST of the token): the status and the session cookie. */
export async function signIn(url: string, token: string): Promise<{ status: number; cookie: string | null }> {
  const response = await fetch(`${url}/dashboard/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: url },
    body: new URLSearchParams({ token }).toString(),
  });
  await response.body?.cancel();
  return { status: response.status, cookie: response.headers.get("set-cookie")?.split(";")[0] ?? null };
}
