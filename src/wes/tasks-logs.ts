/**
 * GET /runs/{run_id}/tasks/{task_id}/logs/{stdout|stderr} — a task's log as text (owner and
 * admins; 404 for others and for tasks of other runs). A TaskLog's `stdout` and `stderr` point
 * here; both read the task's one log stream (HealthOmics does not split them).
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { runExecutor } from "../executors/registry";
import { logRequest, logResponse } from "./log-answer";
import { runAndTask } from "./task-lookup";

/** Registers GET /runs/{run_id}/tasks/{task_id}/logs/{stream}. */
export function registerTasksLogs(app: Hono<AppEnv>): void {
  app.get("/runs/:run_id/tasks/:task_id/logs/:stream", requireUser, async (c) => {
    const { run, task } = await runAndTask(c);
    const request = logRequest(c, c.req.param("stream"), principalOf(c).admin, task.id);
    return logResponse(c, await runExecutor(c.env).readLog(run, request));
  });
}
