/** Picks the executor for this deployment (WORKFLOW_EXECUTOR; only `healthomics` today). */
import type { CancelOutcome, RunExecutor } from "./executor";

/** The executor that runs this deployment's runs: one RunObject Durable Object per run. */
export function runExecutor(env: Env): RunExecutor {
  const stub = (runId: string) => env.RUN_OBJECT.get(env.RUN_OBJECT.idFromName(runId));
  return {
    async submit(runId: string): Promise<void> {
      await stub(runId).start(runId);
    },
    async cancel(runId: string, by: string): Promise<CancelOutcome> {
      return await stub(runId).cancel(runId, by);
    },
    async forget(runId: string): Promise<void> {
      await stub(runId).forget(runId);
    },
  };
}
