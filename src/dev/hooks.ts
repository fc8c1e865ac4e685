/**
 * Development-only hooks, for the chaos campaign (`npm run chaos`, docs/reliability.md). They
 * exist only when `WES_ENVIRONMENT` is exactly `development` (what `.dev.vars.example` and the
 * benchmark stacks set); in every other environment — `production` in wrangler.toml — the paths
 * answer the same 404 as any unknown path, before authentication is even looked at, so a
 * deployment reveals nothing. docs/security.md lists them.
 *
 * - `POST /__dev/runs/{run_id}/evict` (admins): the run's Durable Object drops its in-memory
 *   instance, as the platform may do at any moment; the next call or alarm starts a fresh
 *   instance from storage. An alarm step in progress is cut off and retried by the platform.
 */
import type { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { identify, principalOf, requireScopes, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { findRun } from "../db/runs";
import { runNotFound, WesError } from "../errors";
import { runExecutor } from "../executors/registry";
import { log } from "../log";
import { isDevelopment } from "./environment";

/** Where the development hooks live. */
export const DEV_BASE = "/__dev";

/** Outside development the hooks do not exist: the app's 404, before any authentication. */
const developmentOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!isDevelopment(c.env)) return c.notFound();
  await next();
});

/** Registers the development hooks (inert outside development). */
export function registerDevHooks(app: Hono<AppEnv>): void {
  app.use(
    `${DEV_BASE}/*`,
    developmentOnly,
    identify,
    requireScopes(() => "wes:admin"),
    requireUser,
  );
  app.post(`${DEV_BASE}/runs/:run_id/evict`, async (c) => {
    if (!principalOf(c).admin) throw new WesError(403, "Only admins (WES_ADMINS) may use the development hooks.");
    const runId = c.req.param("run_id");
    const run = await findRun(database(c.env.DB), { all: true }, runId);
    if (!run) throw runNotFound(runId);
    const executor = runExecutor(c.env);
    if (!executor.evict) throw new WesError(501, "This deployment's executor has nothing to evict.");
    await executor.evict(run.id);
    log("info", "dev.run_evicted", { requestId: c.get("requestId"), runId: run.id });
    return c.json({ run_id: run.id, evicted: true });
  });
}
