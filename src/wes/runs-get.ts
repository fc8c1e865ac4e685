/** GET /runs/{run_id} — GetRunLog (AWS account ids masked for ordinary users, audit lines for admins: views.ts). */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { findRun } from "../db/runs";
import { runNotFound } from "../errors";
import { apiRoot, scopeOf } from "./context";
import { runLog } from "./views";

/** Registers GET /runs/{run_id}. */
export function registerRunsGet(app: Hono<AppEnv>): void {
  app.get("/runs/:run_id", requireUser, async (c) => {
    const runId = c.req.param("run_id");
    const run = await findRun(database(c.env.DB), scopeOf(c), runId);
    if (!run) throw runNotFound(runId);
    return c.json(runLog(run, apiRoot(c), principalOf(c)));
  });
}
