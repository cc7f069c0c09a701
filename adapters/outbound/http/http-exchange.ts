import type * as NodeHttp from "node:http";
import type { Agent as HttpAgent, IncomingHttpHeaders } from "node:http";
import process from "node:process";

export interface HttpExchangeLimits {
  /** The longest wait for a connection. */
  readonly connectTimeoutMs: number;
  /** The longest silence on an open connection: not the length of a transfer, so one that keeps moving is never cut off. */
  readonly socketTimeoutMs: number;
}

export interface HttpRequest {
  readonly method: string;
  /** The server (protocol `http:` or `https:`, host, port) and, unless `path` is given, the path and query. */
  readonly url: URL;
  /** The request target exactly as sent, path and query percent-encoded (a signed request's); default: `url`'s. */
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Aborting it drops the request (rejecting with node's `AbortError`). */
  readonly signal?: AbortSignal;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A kept-alive connection the server had closed: nothing was answered on it, so the request is sent again on a new one. */
class StaleConnectionError extends Error {
  override readonly name = "StaleConnectionError";
}

/**
 * node's `http` or `https` client, loaded on first use as node's own CommonJS module
 * (`process.getBuiltinModule`), not as an ES module: since Node 22 the ES module of `node:http` reads
 * every export once, the lazy `WebSocket`, `MessageEvent` and `CloseEvent` included, and so loads all
 * of undici, ~40 ms of every cold start on the Lambda runtime (nodejs/node#57649); this does not.
 */
function nodeClient(protocol: "http:" | "https:"): Pick<typeof NodeHttp, "request" | "Agent"> {
  return protocol === "https:" ? process.getBuiltinModule("node:https") : process.getBuiltinModule("node:http");
}

/**
 * One request and its whole answer over node's own `http`/`https` (by the URL's protocol, loaded on
 * first use, {@link nodeClient}), with a keep-alive agent per exchange and protocol so later requests reuse the
 * connection. Any answer resolves, whatever its status; a failed connection, a reset or a timeout
 * ({@link HttpExchangeLimits}) rejects with node's error. One retry only, the one node's documentation
 * prescribes for keep-alive: a kept connection the server had already closed (a reset before any
 * answer on a reused socket, as after a Lambda instance was frozen past the server's idle timeout) is
 * tried once more on a new connection. Any other retry is the caller's.
 *
 * @example
 * const http = new HttpExchange({ connectTimeoutMs: 2_000, socketTimeoutMs: 5_000 });
 * const answer = await http.send({ method: "GET", url: new URL("https://api.mem0.ai/v1/ping/"), headers: { authorization: "Token …" } });
 */
export class HttpExchange {
  private readonly agents = new Map<string, HttpAgent>();

  constructor(private readonly limits: HttpExchangeLimits) {}

  async send(request: HttpRequest): Promise<HttpAnswer> {
    try {
      return await this.once(request);
    } catch (error) {
      if (!(error instanceof StaleConnectionError)) throw error;
      return this.once(request);
    }
  }

  private async once(request: HttpRequest): Promise<HttpAnswer> {
    const { url } = request;
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`not an http(s) URL: ${url.protocol}`);
    const { request: open } = nodeClient(url.protocol);
    const agent = this.agentFor(url.protocol);
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
    const { connectTimeoutMs, socketTimeoutMs } = this.limits;
    return new Promise<HttpAnswer>((resolve, reject) => {
      let answered = false;
      const req = open({
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path ?? `${url.pathname}${url.search}`,
        headers,
        agent,
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
      const connectTimer = setTimeout(() => req.destroy(new Error(`no connection within ${connectTimeoutMs} ms`)), connectTimeoutMs);
      req.once("socket", (socket) => {
        if (!socket.connecting) clearTimeout(connectTimer);
        else socket.once("connect", () => clearTimeout(connectTimer));
      });
      req.setTimeout(socketTimeoutMs, () => req.destroy(new Error(`no answer within ${socketTimeoutMs} ms`)));
      req.once("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(connectTimer);
        const stale = req.reusedSocket && !answered && (error.code === "ECONNRESET" || error.code === "EPIPE");
        reject(stale ? new StaleConnectionError(error.message, { cause: error }) : error);
      });
      req.once("response", (res) => {
        answered = true;
        clearTimeout(connectTimer);
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.once("error", reject);
        res.once("end", () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      });
      req.end(request.body);
    });
  }

  private agentFor(protocol: "http:" | "https:"): HttpAgent {
    let agent = this.agents.get(protocol);
    if (agent === undefined) {
      agent = new (nodeClient(protocol).Agent)({ keepAlive: true, maxSockets: 50 });
      this.agents.set(protocol, agent);
    }
    return agent;
  }
}
