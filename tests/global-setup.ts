// Once per `vitest run`, before any test file: the operator CLI's build, which `bin/agentic-memory.mjs`
// runs while it is newer than the sources (as an operator's `npm run build` leaves it). Without it every
// CLI test would start the sources through tsx, about 0.6 s more per command on this machine.
import { buildCli } from "../scripts/build";

export default async function setup(): Promise<void> {
  await buildCli();
}
