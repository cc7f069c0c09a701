import type { createExceptionFromResponse, MemoryClient } from "mem0ai";
import { HttpExchange, type HttpAnswer } from "../http/http-exchange";

/** What of the loaded `mem0ai` module the client needs: it is imported lazily, after MEM0_TELEMETRY is set. */
interface Mem0Module {
  readonly MemoryClient: typeof MemoryClient;
  readonly createExceptionFromResponse: typeof createExceptionFromResponse;
}

/** What `MemoryClient` hands its transport (`_fetchRawJson(url, options)`): a subset of fetch's init. */
interface Mem0FetchOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

interface Mem0Request {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

/** Mem0 gave no answer: no connection, a reset, or a silence past the limits. The cause is node's error. */
class Mem0RequestError extends Error {
  override readonly name = "Mem0RequestError";
}

/** The longest wait for a connection to Mem0, as our AWS clients (aws-clients.ts). */
const CONNECT_TIMEOUT_MS = 2_000;
/** The shortest silence on a Mem0 connection before it is dropped; never shorter than the store's deadline. */
const MIN_SOCKET_TIMEOUT_MS = 5_000;

/**
 * The connection to Mem0 for one store: a keep-alive agent with limits, so a request nobody waits for
 * any more (the store's deadline passed, the background ping) does not hold a socket indefinitely.
 *
 * @example
 * const http = mem0Http(2500);
 */
export function mem0Http(deadlineMs: number): HttpExchange {
  return new HttpExchange({ connectTimeoutMs: CONNECT_TIMEOUT_MS, socketTimeoutMs: Math.max(MIN_SOCKET_TIMEOUT_MS, deadlineMs) });
}

/**
 * One request to Mem0. Fetch's defaults are sent (`Accept`, `User-Agent`) so Mem0 sees what it saw
 * before; a request that gets no answer throws {@link Mem0RequestError} where fetch threw "fetch failed".
 *
 * @example
 * const answer = await mem0Request(http, { method: "GET", url: `${host}/v1/event/${id}/`, headers: { Authorization: `Token ${apiKey}` } });
 */
export async function mem0Request(http: HttpExchange, request: Mem0Request): Promise<HttpAnswer> {
  const url = new URL(request.url);
  try {
    return await http.send({ ...request, url, headers: { Accept: "*/*", "User-Agent": "node", ...request.headers } });
  } catch (error) {
    throw new Mem0RequestError(`${request.method} to Mem0 at ${url.host} got no answer`, { cause: error });
  }
}

/** A `mem0ai` client over {@link HttpExchange}, and when the ping its constructor sent was answered. */
export type Mem0Client = MemoryClient & {
  /**
   * Settles (never rejects) once Mem0 has answered, or failed to answer, the ping the constructor
   * sent in the background: its connection then stays open for the next request. Already settled
   * when this process pinged Mem0 with the same key before (mem0ai pings once per key and host).
   */
  readonly pinged: Promise<void>;
};

/**
 * A `mem0ai` `MemoryClient` whose every API call (the constructor's ping included) goes over `http`
 * instead of the global fetch. The client routes them all through its public `_fetchRawJson`; this
 * overrides it with the same contract: the caller's headers plus `Authorization: Token <key>` and
 * `Mem0-User-ID`, a non-2xx answer thrown as mem0ai's own error for the status
 * (`createExceptionFromResponse`: 401 `AuthenticationError`, 429 `RateLimitError`, …), else the parsed JSON.
 *
 * @example
 * const mem0 = await import("mem0ai");
 * const client = createMem0Client(mem0, { apiKey, host: "https://api.mem0.ai" }, mem0Http(2500));
 * await client.pinged; // a Lambda's Init: the first event's request finds the connection open
 */
export function createMem0Client(mem0: Mem0Module, options: { apiKey: string; host: string }, http: HttpExchange): Mem0Client {
  // Hand-written transport: undici's first fetch costs ~70 ms of a cold start; node:http is already loaded for AWS calls.
  // `http` and `ping` are closures, not fields: the base constructor already sends its ping, before a subclass field is set.
  let ping: Promise<unknown> | undefined;
  class Mem0HttpClient extends mem0.MemoryClient {
    get pinged(): Promise<void> {
      return (ping ?? Promise.resolve()).then(
        () => undefined,
        () => undefined,
      );
    }

    override async _fetchRawJson(url: string, init: Mem0FetchOptions = {}): Promise<unknown> {
      const request = this.exchange(url, init);
      if (ping === undefined && new URL(url).pathname.endsWith("/v1/ping/")) ping = request;
      return request;
    }

    private async exchange(url: string, init: Mem0FetchOptions): Promise<unknown> {
      const answer = await mem0Request(http, {
        method: init.method ?? "GET",
        url,
        headers: { ...init.headers, Authorization: `Token ${this.apiKey}`, "Mem0-User-ID": this.telemetryId },
        ...(init.body === undefined ? {} : { body: init.body }),
      });
      const text = answer.body.toString("utf8");
      if (answer.status < 200 || answer.status > 299) throw mem0.createExceptionFromResponse(answer.status, text);
      return JSON.parse(text);
    }
  }
  return new Mem0HttpClient(options);
}
