import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { CreateBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { PutParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { withDeadline } from "../../application/deadline";

type AwsEndpointKind = "env" | "localstack" | "moto";

export interface AwsEndpoint {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly kind: AwsEndpointKind;
  /** Config for `new S3Client(...)` / `new SSMClient(...)` against this endpoint. */
  readonly clientConfig: {
    readonly endpoint: string;
    readonly region: string;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
    readonly forcePathStyle: true;
  };
  stop(): Promise<void>;
}

/** Pinned so a new LocalStack release (or its licensing) cannot change what the tests run against. */
const DEFAULT_LOCALSTACK_IMAGE = "localstack/localstack:4.4";
const RUNTIME_PROBE_MS = 3_000;
const MOTO_READY_MS = 15_000;
const DUMMY_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" } as const;

/**
 * An S3 + SSM endpoint for integration tests, in this order of preference:
 * 1. `AWS_ENDPOINT_URL` when set (LocalStack or moto you started yourself, in CI or locally);
 * 2. LocalStack through `@testcontainers/localstack` when a container runtime answers;
 * 3. `moto_server` (Python `moto`) on a free 127.0.0.1 port.
 * `AWS_TEST_EMULATOR=moto|localstack` skips the others. When none works this throws, with or without
 * `CI=true`: these tests never skip silently.
 *
 * @example
 * const aws = await startAwsEndpoint();
 * const s3 = new S3Client(aws.clientConfig);
 * afterAll(() => aws.stop());
 */
export async function startAwsEndpoint(): Promise<AwsEndpoint> {
  const fromEnv = process.env.AWS_ENDPOINT_URL?.trim();
  if (fromEnv) return describeEndpoint("env", fromEnv, envRegion(), envCredentials(), async () => undefined);

  const wanted = process.env.AWS_TEST_EMULATOR?.trim();
  if (wanted !== undefined && wanted !== "" && wanted !== "moto" && wanted !== "localstack") {
    throw new Error(`AWS_TEST_EMULATOR must be moto or localstack, not ${JSON.stringify(wanted)}`);
  }
  const failures: string[] = [];

  if (wanted !== "moto") {
    const localstack = await startLocalstack().catch((error: unknown) => {
      failures.push(`LocalStack: ${message(error)}`);
      return null;
    });
    if (localstack !== null) return localstack;
  }
  if (wanted !== "localstack") {
    const moto = await startMoto().catch((error: unknown) => {
      failures.push(`moto_server: ${message(error)}`);
      return null;
    });
    if (moto) return moto;
  }

  const hint = "Set AWS_ENDPOINT_URL to a running LocalStack/moto, start a container runtime, or `pip install 'moto[server]'`.";
  const where = process.env.CI === "true" ? "CI=true: the AWS integration tests must run here" : "the AWS integration tests do not skip";
  throw new Error(`no AWS endpoint for integration tests (${where}).\n${failures.join("\n")}\n${hint}`);
}

/** A bucket name nobody else in this run uses (3–63 chars, lowercase). */
export function uniqueBucketName(prefix = "test"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`.toLowerCase().slice(0, 63);
}

/** Create a fresh bucket (a unique name unless `name` is given) and return its name. */
export async function createBucket(s3: S3Client, name: string = uniqueBucketName()): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

/** Create or overwrite SSM SecureString parameters: `{ "/test/hmac": "value" }`. */
export async function putSecureStrings(ssm: SSMClient, parameters: Record<string, string>): Promise<void> {
  for (const [Name, Value] of Object.entries(parameters)) {
    await ssm.send(new PutParameterCommand({ Name, Value, Type: "SecureString", Overwrite: true }));
  }
}

function describeEndpoint(
  kind: AwsEndpointKind,
  endpoint: string,
  region: string,
  credentials: AwsEndpoint["credentials"],
  stop: () => Promise<void>,
): AwsEndpoint {
  return { endpoint, region, credentials, kind, clientConfig: { endpoint, region, credentials, forcePathStyle: true }, stop };
}

const envRegion = () => process.env.AWS_REGION?.trim() || process.env.AWS_DEFAULT_REGION?.trim() || "us-east-1";

function envCredentials(): AwsEndpoint["credentials"] {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY?.trim();
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : DUMMY_CREDENTIALS;
}

async function startLocalstack(): Promise<AwsEndpoint> {
  // Imported only here: testcontainers is heavy, and without a runtime it must not be touched further.
  const testcontainers = await import("testcontainers");
  try {
    await withDeadline(testcontainers.getContainerRuntimeClient(), RUNTIME_PROBE_MS);
  } catch (error) {
    throw new Error(`no container runtime answered (${message(error)})`);
  }
  const { LocalstackContainer } = await import("@testcontainers/localstack");
  const image = process.env.LOCALSTACK_IMAGE?.trim() || DEFAULT_LOCALSTACK_IMAGE;
  const container = await new LocalstackContainer(image).start();
  return describeEndpoint("localstack", container.getConnectionUri(), "us-east-1", DUMMY_CREDENTIALS, async () => {
    await container.stop();
  });
}

/**
 * moto's server with S3's conditional writes made atomic (moto-server.py: moto checks a condition and
 * then writes, so two racing writers could both win), else `moto_server` as pip installs it, else
 * the module (when its script is not on PATH).
 */
const MOTO_COMMANDS: readonly (readonly [string, ...string[]])[] = [
  ["python3", resolve(import.meta.dirname, "moto-server.py")],
  ["moto_server"],
  ["python3", "-m", "moto.server"],
];

async function startMoto(): Promise<AwsEndpoint> {
  const errors: string[] = [];
  for (const command of MOTO_COMMANDS) {
    // A free port can be taken between probing and binding: try a few.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const port = await freePort();
      try {
        const child = await spawnMoto(command, port);
        return describeEndpoint("moto", `http://127.0.0.1:${port}`, "us-east-1", DUMMY_CREDENTIALS, () => stopChild(child));
      } catch (error) {
        errors.push(`${command.join(" ")}: ${message(error)}`);
        if ((error as NodeJS.ErrnoException).code === "ENOENT" || /No module named/.test(message(error))) break;
      }
    }
  }
  throw new Error(errors.join("\n"));
}

async function spawnMoto([program, ...args]: readonly [string, ...string[]], port: number): Promise<ChildProcess> {
  const child = spawn(program, [...args, "-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
  });
  // moto logs every request: keep only the tail (for error messages) so the pipes never fill up.
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-4_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  // Also when the test process ends without calling stop() (a crashed suite, a forgotten afterAll).
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const forget = () => process.removeListener("exit", killOnExit);
  child.once("exit", forget);
  child.once("error", forget);

  const exited = new Promise<never>((_, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => reject(new Error(`exited (${code ?? signal}) before answering:\n${output}`)));
  });
  exited.catch(() => undefined);
  try {
    await Promise.race([waitUntilAnswering(`http://127.0.0.1:${port}/`, MOTO_READY_MS), exited]);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  // The emulator must not keep the test process alive; the exit hook above ends it with us.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as (typeof stream & { unref?: () => void }) | null)?.unref?.();
  return child;
}

async function waitUntilAnswering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  // Never started (spawn failed) or already gone.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
