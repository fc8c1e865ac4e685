/** GET /overview/runs/{run_id} — one run's overview and state timeline (run-overview.ts); 404 for runs the caller may not see. */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { findRun } from "../db/runs";
import { runNotFound } from "../errors";
import { runExecutor } from "../executors/registry";
import { scopeOf } from "./context";
import { runOverview, runTimeline } from "./run-overview";

/** Registers GET /overview/runs/{run_id}. */
export function registerOverviewRunsGet(app: Hono<AppEnv>): void {
  app.get("/overview/runs/:run_id", requireUser, async (c) => {
    const runId = c.req.param("run_id");
    const run = await findRun(database(c.env.DB), scopeOf(c), runId);
    if (!run) throw runNotFound(runId);
    return c.json({ ...runOverview(run, principalOf(c)), timeline: runTimeline(run, runExecutor(c.env).stateChanges(run.systemLogs ?? [])) });
  });
}
