import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { App } from "../../composition-root";
import { createClientDataHandler } from "../lambda/client-data.handler";
import { createHealthHandler } from "../lambda/health.handler";
import { errorResponse, type HttpEvent, type HttpHandler, type HttpResult } from "../lambda/http";
import { createPostCallHandler } from "../lambda/post-call.handler";
import { createRememberHandler } from "../lambda/remember.handler";
import { createRetrieveHandler } from "../lambda/retrieve.handler";

const ROUTES = {
  "/client-data": "POST",
  "/retrieve": "POST",
  "/remember": "POST",
  "/post-call": "POST",
  "/health": "GET",
} as const;

/**
 * The local HTTP server: it does not re-implement any route. Each request becomes an API Gateway v2
 * event and goes to the very Lambda handler that runs in production. `dashboard`, when given, answers
 * everything under `/dashboard` (the operator's pages; no Lambda serves them).
 */
export function createLocalServer(app: App, dashboard?: RequestListener): Server {
  const resolveApp = async () => app;
  const handlers: Record<keyof typeof ROUTES, HttpHandler> = {
    "/client-data": createClientDataHandler(resolveApp),
    "/retrieve": createRetrieveHandler(resolveApp),
    "/remember": createRememberHandler(resolveApp),
    "/post-call": createPostCallHandler(resolveApp),
    "/health": createHealthHandler(resolveApp),
  };
  // Anything beyond the largest body a route accepts is refused while it is still streaming in.
  const maxBytes = Math.max(app.env.MAX_JSON_BODY_BYTES, app.env.MAX_POST_CALL_BODY_BYTES);

  return createServer((req, res) => {
    if (dashboard !== undefined && isDashboardPath(req.url)) {
      dashboard(req, res);
      return;
    }
    void serve(req, res, handlers, maxBytes).catch(() => {
      if (!res.headersSent) send(res, errorResponse(500, "INTERNAL_ERROR", "internal error"));
    });
  });
}

const isDashboardPath = (url: string | undefined): boolean => url === "/dashboard" || (url?.startsWith("/dashboard/") ?? false) || (url?.startsWith("/dashboard?") ?? false);

async function serve(req: IncomingMessage, res: ServerResponse, handlers: Record<string, HttpHandler>, maxBytes: number): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = (req.method ?? "GET").toUpperCase();
  const expected = (ROUTES as Record<string, string>)[path];
  const handler = handlers[path];
  if (expected === undefined || handler === undefined) {
    req.resume();
    return send(res, errorResponse(404, "NOT_FOUND", `no route ${method} ${path}; routes: ${Object.keys(ROUTES).join(", ")}`));
  }
  if (method !== expected) {
    req.resume();
    res.setHeader("allow", expected);
    return send(res, errorResponse(405, "METHOD_NOT_ALLOWED", `${path} accepts ${expected} only`));
  }

  const body = await readBody(req, maxBytes);
  if (body === null) {
    res.setHeader("connection", "close");
    send(res, errorResponse(413, "PAYLOAD_TOO_LARGE", `body exceeds the limit of ${maxBytes} bytes`));
    req.destroy();
    return;
  }
  send(res, await handler(toApiGatewayEvent(req, method, url, body)));
}

/** The body, or null once it grows past `maxBytes` (reading stops there). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!tooLarge) resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

function toApiGatewayEvent(req: IncomingMessage, method: string, url: URL, body: Buffer): HttpEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  const now = new Date();
  return {
    version: "2.0",
    routeKey: `${method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    headers,
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: "local",
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: `${method} ${url.pathname}`,
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: body.length > 0 ? body.toString("base64") : undefined,
    isBase64Encoded: body.length > 0,
  };
}

function send(res: ServerResponse, result: HttpResult): void {
  res.statusCode = result.statusCode;
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  res.end(result.body);
}
