// The plain HTTP exchange under the Mem0 client and the signed AWS client: what a server that closes
// a kept-alive connection, or never answers, looks like to them.
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";

/** Every server-side connection, ended with its server (the client keeps its own alive). */
const sockets = new Set<Socket>();
import { HttpExchange } from "../../adapters/outbound/http/http-exchange";

const LIMITS = { connectTimeoutMs: 2_000, socketTimeoutMs: 5_000 };

/**
 * A bare HTTP/1.1 server on a socket level: answers each request `200 <n>` (n counts requests it
 * answered) and keeps the connection; `resetNext` makes it reset the connection a request arrives on
 * instead, as a server whose idle timeout passed while the client was frozen.
 */
function startServer(): Promise<{ server: Server; url: URL; connections: () => number; resetNext: () => void }> {
  let answered = 0;
  let connections = 0;
  let reset = false;
  const server = createServer((socket: Socket) => {
    sockets.add(socket);
    connections += 1;
    socket.on("data", (chunk: Buffer) => {
      if (!chunk.toString("latin1").includes("\r\n\r\n")) return;
      if (reset) {
        reset = false;
        socket.resetAndDestroy();
        return;
      }
      answered += 1;
      const body = String(answered);
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: new URL(`http://127.0.0.1:${port}/v1/ping/`), connections: () => connections, resetNext: () => (reset = true) });
    }),
  );
}

describe("HttpExchange", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  it("keeps the connection between requests", async () => {
    const { server, url, connections } = await startServer();
    servers.push(server);
    const http = new HttpExchange(LIMITS);

    const first = await http.send({ method: "GET", url });
    const second = await http.send({ method: "GET", url });

    expect([first.status, first.body.toString(), second.body.toString()]).toEqual([200, "1", "2"]);
    expect(connections()).toBe(1);
  });

  it("sends a request again on a new connection when the kept one turns out closed, and answers it", async () => {
    const { server, url, connections, resetNext } = await startServer();
    servers.push(server);
    const http = new HttpExchange(LIMITS);
    await http.send({ method: "GET", url });

    resetNext();
    const answer = await http.send({ method: "POST", url, body: '{"query":"jazz"}' });

    expect([answer.status, answer.body.toString()]).toEqual([200, "2"]);
    expect(connections()).toBe(2);
  });

  it("does not retry a reset on a new connection: that is the caller's to handle", async () => {
    const { server, url, connections, resetNext } = await startServer();
    servers.push(server);
    const http = new HttpExchange(LIMITS);

    resetNext();
    const error = await http.send({ method: "GET", url }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: "ECONNRESET" });
    expect(connections()).toBe(1);
  });

  it("drops a request the server never answers after the socket's silence limit", async () => {
    const server = createServer((socket) => sockets.add(socket));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const http = new HttpExchange({ connectTimeoutMs: 2_000, socketTimeoutMs: 150 });

    const error = await http.send({ method: "GET", url: new URL(`http://127.0.0.1:${port}/`) }).catch((e: unknown) => e);

    expect(error).toMatchObject({ message: "no answer within 150 ms" });
  });
});
