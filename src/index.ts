/**
 * Worker entry: the WES API (fetch) and the periodic sweep (scheduled) that re-arms any live run
 * whose Durable Object lost its alarm. Re-exports the Durable Object classes wrangler.toml binds.
 */
import { createApp } from "./app";
import { runExecutor } from "./executors/registry";

export { AuthGuardObject } from "./auth/guard-object";
export { BudgetObject } from "./budget/budget-object";
export { RunObject } from "./executors/healthomics/run/run-object";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runExecutor(env).sweep(controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
