/**
 * DELETE /runs/{run_id} — deletes a final run and what the service stored for it (GA4GH WES
 * proposal #218; not part of WES 1.1). The owner or an admin may; another user's run is a 404
 * as for reads; a run that has not finished is a 409 (cancel it first). Answers `{run_id}` once
 * the deletion is committed (run-deletion.ts); the executor may still be removing the run's S3
 * files in the background. Outputs are kept unless WES_DELETE_OUTPUTS. docs/usage.md#deleting-a-run.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { findRun } from "../db/runs";
import { conflict, runNotFound } from "../errors";
import { log } from "../log";
import { scopeOf } from "./context";
import { deleteRun } from "./run-deletion";
import { isFinal } from "./states";

/** Registers DELETE /runs/{run_id}. */
export function registerRunsDelete(app: Hono<AppEnv>): void {
  app.delete("/runs/:run_id", requireUser, async (c) => {
    const runId = c.req.param("run_id");
    const run = await findRun(database(c.env.DB), scopeOf(c), runId);
    if (!run) throw runNotFound(runId);
    if (!isFinal(run.state)) {
      throw conflict(
        `Run '${run.id}' is ${run.state}; only finished runs can be deleted. Cancel it first (POST /runs/${run.id}/cancel) and delete it once it has ended.`,
      );
    }
    const user = principalOf(c).user;
    const deleted = await deleteRun(c.env, run, { reason: "request", by: user, now: Date.now() });
    // A concurrent deletion (another request, retention) may have won: the run is gone either way.
    log("info", "run.deleted", { requestId: c.get("requestId"), runId: run.id, user, owner: run.owner, state: run.state, alreadyGone: !deleted });
    return c.json({ run_id: run.id });
  });
}
