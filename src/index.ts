/**
 * Worker entry: the WES API (fetch) and the periodic sweep (scheduled) that re-arms any live run
 * whose Durable Object lost its alarm and retires unused workflow packages (the executor's sweep),
 * deletes runs past their retention (src/wes/retention.ts), and moves attachment blobs left in D1
 * to R2 (src/wes/attachments-move.ts). Re-exports the Durable Object classes wrangler.toml binds.
 */
import { createApp } from "./app";
import { BENCH_PREFIX, benchApp } from "./bench-route";
import { runExecutor } from "./executors/registry";
import { moveAttachmentBlobs } from "./wes/attachments-move";
import { retentionTick } from "./wes/retention";

export { AuthGuardObject } from "./auth/guard-object";
export { BudgetObject } from "./budget/budget-object";
export { RunObject } from "./executors/healthomics/run/run-object";

const app = createApp();
const bench = benchApp();

export default {
  fetch(request, env, ctx) {
    // Local development only: the benchmarks' bare comparison routes (src/bench-route.ts).
    if (env.WES_ENVIRONMENT === "development" && new URL(request.url).pathname.startsWith(BENCH_PREFIX)) return bench.fetch(request, env, ctx);
    return app.fetch(request, env, ctx);
  },
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runExecutor(env).sweep(controller.scheduledTime));
    ctx.waitUntil(retentionTick(env, controller.scheduledTime));
    ctx.waitUntil(moveAttachmentBlobs(env));
  },
} satisfies ExportedHandler<Env>;
