/** The run and task a task route names, as the caller may see them: a 404 ErrorResponse for either one missing or not theirs. */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { database } from "../db/client";
import { findRun } from "../db/runs";
import type { RunRow, TaskRow } from "../db/schema";
import { findTask } from "../db/tasks";
import { clipId, runNotFound, WesError } from "../errors";
import { scopeOf } from "./context";

/** Looks up `run_id` (in the caller's scope) and `task_id` of the request's path. */
export async function runAndTask(c: Context<AppEnv>): Promise<{ run: RunRow; task: TaskRow }> {
  const runId = c.req.param("run_id") ?? "";
  const taskId = c.req.param("task_id") ?? "";
  const db = database(c.env.DB);
  const run = await findRun(db, scopeOf(c), runId);
  if (!run) throw runNotFound(runId);
  const task = await findTask(db, run.id, taskId);
  if (!task) throw new WesError(404, `Task '${clipId(taskId)}' was not found in run '${run.id}'.`);
  return { run, task };
}
