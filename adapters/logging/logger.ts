import { Logger } from "@aws-lambda-powertools/logger";

/**
 * The one logger: Powertools structured JSON, one line per event. Callers pass only masked caller
 * ids (`maskCallerId`), ids and counts — never transcript or memory text, never keys.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "agentic-memory" });

export type AppLogger = Pick<Logger, "info" | "warn" | "error" | "debug">;
