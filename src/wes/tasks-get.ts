/** GET /runs/{run_id}/tasks/{task_id} — GetTask. */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { apiRoot } from "./context";
import { runAndTask } from "./task-lookup";
import { taskLog } from "./views";

/** Registers GET /runs/{run_id}/tasks/{task_id}. */
export function registerTasksGet(app: Hono<AppEnv>): void {
  app.get("/runs/:run_id/tasks/:task_id", requireUser, async (c) => {
    const { task } = await runAndTask(c);
    return c.json(taskLog(task, principalOf(c), apiRoot(c)));
  });
}
