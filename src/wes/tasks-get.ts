/** GET /runs/{run_id}/tasks/{task_id} — GetTask. */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { findRun } from "../db/runs";
import { findTask } from "../db/tasks";
import { clipId, runNotFound, WesError } from "../errors";
import { apiRoot, scopeOf } from "./context";
import { taskLog } from "./views";

/** Registers GET /runs/{run_id}/tasks/{task_id}. */
export function registerTasksGet(app: Hono<AppEnv>): void {
  app.get("/runs/:run_id/tasks/:task_id", requireUser, async (c) => {
    const runId = c.req.param("run_id");
    const taskId = c.req.param("task_id");
    const db = database(c.env.DB);
    const run = await findRun(db, scopeOf(c), runId);
    if (!run) throw runNotFound(runId);
    const task = await findTask(db, run.id, taskId);
    if (!task) throw new WesError(404, `Task '${clipId(taskId)}' was not found in run '${run.id}'.`);
    return c.json(taskLog(task, principalOf(c), apiRoot(c)));
  });
}
