/**
 * GET /runs/{run_id}/logs/{stdout|stderr} — the run's log as text (owner and admins; 404 for
 * others, as for the run): `run_log.stdout` and `run_log.stderr` point here. `?tail=N` gives the
 * last N lines, `?limit=N` the first N. A log that does not exist yet is empty; a live run's log
 * shows its lines so far.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { findRun } from "../db/runs";
import { runNotFound } from "../errors";
import { runExecutor } from "../executors/registry";
import { scopeOf } from "./context";
import { logRequest, logResponse } from "./log-answer";

/** Registers GET /runs/{run_id}/logs/{stream}. */
export function registerRunsLogs(app: Hono<AppEnv>): void {
  app.get("/runs/:run_id/logs/:stream", requireUser, async (c) => {
    const runId = c.req.param("run_id");
    const run = await findRun(database(c.env.DB), scopeOf(c), runId);
    if (!run) throw runNotFound(runId);
    const request = logRequest(c, c.req.param("stream"), principalOf(c).admin);
    return logResponse(c, await runExecutor(c.env).readLog(run, request));
  });
}
