import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { CallerId } from "../../../domain/caller-id";
import { SIGNATURE_HEADER, signatureHeader } from "../../../domain/webhook-signature";
import { routeUrl } from "./arguments";
import { describeError } from "../../../domain/error-description";
import { UsageError } from "./cli-context";

/** The transcription fixture shipped with the project: a real-shaped call with invented data. */
export const DEFAULT_POST_CALL_FIXTURE = join(packageRoot(), "tests", "fixtures", "post-call-transcription.json");

/** The folder of our package.json, from the sources (tsx) or from the built CLI in `dist/cli/` alike. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** A file's bytes, `-` for stdin; a missing file is a usage error that names it. */
export async function readInput(path: string): Promise<Buffer> {
  if (path === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${describeError(error)}`);
  }
}

/**
 * A post-call event with its caller and/or conversation id replaced: the ElevenLabs envelope
 * (`data.metadata.phone_call.external_number` and `dynamic_variables.system__caller_id`) or the seed shape.
 */
export function rewritePostCall(raw: Buffer, changes: { callerId?: CallerId; conversationId?: string }): string {
  let event: unknown;
  try {
    event = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new UsageError("the post-call file is not JSON");
  }
  if (!isJson(event)) throw new UsageError("the post-call file is not a JSON object");
  const root = isJson(event.data) ? event.data : event;
  if (changes.conversationId !== undefined) root.conversation_id = changes.conversationId;
  if (changes.callerId !== undefined) {
    const phoneCall = isJson(root.metadata) && isJson(root.metadata.phone_call) ? root.metadata.phone_call : undefined;
    const init = root.conversation_initiation_client_data;
    const variables = isJson(init) && isJson(init.dynamic_variables) ? init.dynamic_variables : undefined;
    if (phoneCall === undefined && variables === undefined) throw new UsageError("the post-call file names no caller to replace (no metadata.phone_call)");
    if (phoneCall !== undefined) phoneCall.external_number = changes.callerId;
    if (variables !== undefined) variables.system__caller_id = changes.callerId;
  }
  return JSON.stringify(event);
}

/** `https://host` or `https://host/post-call` → the post-call URL. */
export function postCallUrl(base: URL): URL {
  return base.pathname.endsWith("/post-call") ? base : routeUrl(base, "/post-call");
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** POST a body and read the whole answer; network errors and timeouts throw. */
export async function post(url: URL, body: string, headers: Record<string, string>, timeoutMs = 30_000): Promise<HttpAnswer> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, body: await response.text() };
}

/** POST a post-call webhook, signed with `secret` now (or unsigned when `secret` is null). */
export async function sendPostCall(url: URL, body: string, secret: string | null): Promise<HttpAnswer> {
  return post(url, body, secret === null ? {} : { [SIGNATURE_HEADER]: signatureHeader(secret, body, Math.floor(Date.now() / 1000)) });
}

/** The answer as JSON, or its text when it is not JSON. */
export function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
