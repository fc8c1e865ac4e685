/** GET /runs/{run_id}/status — GetRunStatus. */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { findRunState } from "../db/runs";
import { runNotFound } from "../errors";
import { scopeOf } from "./context";

/** Registers GET /runs/{run_id}/status. */
export function registerRunsStatus(app: Hono<AppEnv>): void {
  app.get("/runs/:run_id/status", requireUser, async (c) => {
    const runId = c.req.param("run_id");
    const run = await findRunState(database(c.env.DB), scopeOf(c), runId);
    if (!run) throw runNotFound(runId);
    return c.json({ run_id: run.id, state: run.state });
  });
}
