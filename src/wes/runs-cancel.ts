/**
 * POST /runs/{run_id}/cancel — CancelRun. A live run goes to CANCELING (or straight to CANCELED
 * when nothing has started); repeating it while CANCELING is a harmless 200; a run in a final
 * state (CANCELED included) is a 409 and nothing changes.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { findRun } from "../db/runs";
import { conflict, runNotFound } from "../errors";
import { runExecutor } from "../executors/registry";
import { log } from "../log";
import { scopeOf } from "./context";
import { isFinal } from "./states";

function alreadyFinal(runId: string, state: string) {
  return conflict(`Run '${runId}' is already ${state} and cannot be canceled; only runs that have not finished can be.`);
}

/** Registers POST /runs/{run_id}/cancel. */
export function registerRunsCancel(app: Hono<AppEnv>): void {
  app.post("/runs/:run_id/cancel", requireUser, async (c) => {
    const runId = c.req.param("run_id");
    const run = await findRun(database(c.env.DB), scopeOf(c), runId);
    if (!run) throw runNotFound(runId);
    if (isFinal(run.state)) throw alreadyFinal(run.id, run.state);
    if (run.state !== "CANCELING") {
      const user = principalOf(c).user;
      const outcome = await runExecutor(c.env).cancel(run.id, user);
      if (outcome.kind === "final") throw alreadyFinal(run.id, outcome.state);
      log("info", "run.cancel_requested", { requestId: c.get("requestId"), runId: run.id, user, outcome: outcome.kind });
    }
    return c.json({ run_id: run.id });
  });
}
