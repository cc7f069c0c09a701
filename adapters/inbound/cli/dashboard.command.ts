import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { createDashboard } from "../dashboard/dashboard-app";
import { generateDashboardToken } from "../dashboard/dashboard-auth";
import { integerFlag, positional } from "./arguments";
import type { CliCommand } from "./cli-context";

/** The loopback address only: the dashboard shows every caller's data and is never served to a network. */
const LOOPBACK = "127.0.0.1";

/** `dashboard`: the operator dashboard on this machine, over whichever deployment is configured. */
export const dashboardCommand: CliCommand = {
  name: "dashboard",
  summary: "open the operator dashboard on 127.0.0.1 (local DATA_DIR or AWS)",
  options: { port: { type: "string" } },
  usage: `Usage: agentic-memory dashboard [--port N]

Serves the operator dashboard on http://127.0.0.1:N/dashboard (never on another address) over the
configured deployment, with the same configuration as the other commands:
  - locally: DATA_DIR (the memories, profiles, archive, inbox and metrics the server keeps there);
  - AWS: ARCHIVE_BUCKET and MEMORY_BACKEND=mem0 (with MEM0_API_KEY or MEM0_API_KEY_PARAM), your own
    AWS credentials and region, and METRICS_NAMESPACE for the overview's CloudWatch metrics.
Sign in with DASHBOARD_TOKEN; without it a token is generated for this run and printed once.
Forget and replay act on the deployment at once. Stops on Ctrl-C.

Options:
  --port N    listen on this port (default 4100; 0 picks a free one)`,
  async run(context) {
    positional(context);
    const port = integerFlag(context, "port", { min: 0, max: 65_535 }) ?? 4100;
    const env = context.env();
    const app = await context.app();
    const token = env.DASHBOARD_TOKEN ?? generateDashboardToken();
    const dashboard = createDashboard({ app, token, usage: app.usage, usageSource: app.usageSource });
    const server = createServer(getRequestListener(dashboard.fetch));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, LOOPBACK, resolve);
    });
    const address = server.address();
    const bound = typeof address === "object" && address !== null ? address.port : port;
    context.out(`AgenticMemory dashboard on http://${LOOPBACK}:${bound}/dashboard (memories: ${app.backends.memory}, archive: ${app.backends.archive})`);
    context.out(env.DASHBOARD_TOKEN === undefined ? `Sign in with this token (generated for this run, shown only once):\n  ${token}` : "Sign in with DASHBOARD_TOKEN.");
    await new Promise<void>((resolve) => {
      const stop = () => {
        server.close(() => resolve());
        server.closeAllConnections();
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return 0;
  },
};
