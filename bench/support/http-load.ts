import autocannon, { type AutocannonRequest, type AutocannonResult } from "autocannon";
import { signed } from "../../tests/support/fixtures";
import { PhaseProcess } from "./child";
import { clientDataBody, retrieveBody, transcriptionBody, workspaceHeaders } from "./events";
import type { HttpServerConfig } from "../phases/http-server.phase";
import type { Profile } from "./profile";
import type { BenchResult } from "./result";
import { CALLER_UNDER_TEST, freshCallerId, RETRIEVE_QUERIES } from "./seed-data";
import { round } from "./stats";

export interface HttpLoadOutcome {
  readonly results: BenchResult[];
  readonly warnings: readonly string[];
}

/**
 * Load `npm start`'s server (its own process, on 127.0.0.1) with autocannon, one route at a time:
 * a short warm-up, then `connections` connections for a fixed time. Every post-call request is a
 * distinct conversation with a fresh signature, so each one is a real durable write.
 */
export async function measureHttp(options: { config: HttpServerConfig; profile: Profile; env: NodeJS.ProcessEnv }): Promise<HttpLoadOutcome> {
  const { keys } = options.config;
  const { connections, warmupSeconds, seconds } = options.profile.http;
  const server = new PhaseProcess("http-server.phase.ts", options.config, options.env);
  try {
    const { port } = await server.next("ready", 60_000);
    const url = `http://127.0.0.1:${port}`;
    let conversation = 0;
    const routes: [string, AutocannonRequest[]][] = [
      ["http-client-data", [{ method: "POST", path: "/client-data", headers: workspaceHeaders(keys.workspaceKey), body: clientDataBody(CALLER_UNDER_TEST) }]],
      [
        "http-retrieve",
        RETRIEVE_QUERIES.map((_, i) => ({
          method: "POST",
          path: "/retrieve",
          headers: workspaceHeaders(keys.workspaceKey),
          body: retrieveBody(CALLER_UNDER_TEST, i),
        })),
      ],
      [
        "http-post-call",
        [
          {
            method: "POST",
            path: "/post-call",
            setupRequest: (request) => {
              conversation += 1;
              const body = transcriptionBody(`conv_bench_http_${conversation}`, freshCallerId(20_000 + (conversation % 10_000)));
              return { ...request, headers: signed(body, keys.hmacKey), body };
            },
          },
        ],
      ],
    ];

    const results: BenchResult[] = [];
    for (const [name, requests] of routes) {
      await autocannon({ url, connections, duration: warmupSeconds, requests });
      const run: AutocannonResult = await autocannon({ url, connections, duration: seconds, timeout: 10, requests });
      results.push({
        name,
        unit: "ms",
        p50: run.latency.p50,
        p99: run.latency.p99,
        n: run.requests.total,
        rps: round(run.requests.total / run.duration, 1),
        errors: run.errors + run.non2xx,
      });
    }
    return { results, warnings: server.warnings };
  } finally {
    await server.stop();
  }
}
