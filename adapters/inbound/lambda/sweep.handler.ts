import type { ScheduledEvent } from "aws-lambda";
import type { SweepReport } from "../../../application/use-cases/sweep-inbox.use-case";
import { lambdaScope, primeOnLambda, type Scope } from "../../composition-root";
import { rehearsals, rehearseIngestion, rehearseMem0Records } from "./rehearsal";
import { rehearseProfiles } from "./profile-rehearsal";

/**
 * The sweep Lambda, run on a schedule (EventBridge): re-drives inbox events whose S3 notification
 * was lost, archives audio whose transcription never came, and fetches recordings whose audio
 * webhook never came (past the wait). A failure is thrown: the next run tries again.
 */
export function createSweepHandler(resolve: () => Promise<Scope<"sweepInbox">>): (event?: Partial<ScheduledEvent>) => Promise<SweepReport> {
  return async () => {
    const app = await resolve();
    const report = await app.sweepInbox.execute();
    const outcomes: Record<string, number> = {};
    for (const { outcome } of report.audio.settlements) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    // Counts only: the report's ids and reasons stay out of the logs.
    app.logger.info("sweep finished", { pendingTooRecent: report.pending.tooRecent, redriven: report.pending.redriven.length, audioWaiting: report.audio.waiting, audio: outcomes });
    return report;
  };
}

const scope = lambdaScope("sweep");
export const handler = createSweepHandler(scope);
await primeOnLambda(scope, { rehearse: rehearsals(rehearseIngestion, rehearseMem0Records, rehearseProfiles) });
