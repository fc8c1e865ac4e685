/**
 * GET /runs/{run_id}/tasks/{task_id}/logs/{stdout|stderr} — a task's log as text (owner and
 * admins; 404 for others and for tasks of other runs). A TaskLog's `stdout` and `stderr` point
 * here; both read the task's one log stream (HealthOmics does not split them).
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { findRun } from "../db/runs";
import { findTask } from "../db/tasks";
import { clipId, runNotFound, WesError } from "../errors";
import { runExecutor } from "../executors/registry";
import { scopeOf } from "./context";
import { logRequest, logResponse } from "./log-answer";

/** Registers GET /runs/{run_id}/tasks/{task_id}/logs/{stream}. */
export function registerTasksLogs(app: Hono<AppEnv>): void {
  app.get("/runs/:run_id/tasks/:task_id/logs/:stream", requireUser, async (c) => {
    const runId = c.req.param("run_id");
    const taskId = c.req.param("task_id");
    const db = database(c.env.DB);
    const run = await findRun(db, scopeOf(c), runId);
    if (!run) throw runNotFound(runId);
    const task = await findTask(db, run.id, taskId);
    if (!task) throw new WesError(404, `Task '${clipId(taskId)}' was not found in run '${run.id}'.`);
    const request = logRequest(c, c.req.param("stream"), principalOf(c).admin, task.id);
    return logResponse(c, await runExecutor(c.env).readLog(run, request));
  });
}
