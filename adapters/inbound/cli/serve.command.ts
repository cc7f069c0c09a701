import { serve } from "../local/serve";
import { integerFlag, positional, stringFlag } from "./arguments";
import type { CliCommand } from "./cli-context";

/** `serve`: the local server, as `npm start` runs it. */
export const serveCommand: CliCommand = {
  name: "serve",
  summary: "run the local server (what npm start runs)",
  options: { port: { type: "string" }, host: { type: "string" } },
  usage: `Usage: agentic-memory serve [--port N] [--host ADDRESS]

Runs the whole backend on this machine, exactly as \`npm start\` does: the three ElevenLabs routes
(/client-data, /retrieve, /post-call) and /health on one HTTP server, the embedded memory store and
the in-process worker, all under DATA_DIR. Without ELEVENLABS_WORKSPACE_KEY / ELEVENLABS_HMAC_KEY it
generates development keys into DATA_DIR and prints them once. Stops on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port N          listen on this port (default PORT, 3000; 0 picks a free one)
  --host ADDRESS    listen on this address (default HOST, 127.0.0.1)`,
  async run(context) {
    positional(context);
    const port = integerFlag(context, "port", { min: 0, max: 65_535 });
    const host = stringFlag(context, "host");
    // The server reads its configuration itself, as under npm start; the flags win over the environment.
    if (port !== undefined) process.env.PORT = String(port);
    if (host !== undefined) process.env.HOST = host;
    await serve();
    return 0;
  },
};
