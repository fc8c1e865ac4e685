/** ListRunTasks and GetRunTask. */
import { ApiError } from "../errors";
import { taskStatusAt } from "../timeline";
import { int, str, type OpContext, type OpResult } from "./context";
import { scheduleOf, taskBody, taskId } from "./render";
import { findRun } from "./runs";

/** GET /run/{id}/task?status&startingToken&maxResults → {items, nextToken}: tasks that exist by now, oldest first. */
export function listRunTasks(ctx: OpContext, input: Record<string, unknown>): OpResult {
  const run = findRun(ctx, str(input, "id")!);
  const max = int(input, "maxResults") ?? 100;
  const status = str(input, "status");
  const token = str(input, "startingToken");
  const offset = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(offset) || offset < 0) throw new ApiError("ValidationException", "Invalid startingToken");
  const visible = scheduleOf(run)
    .tasks.filter((t) => {
      const s = taskStatusAt(t, ctx.now);
      return s !== undefined && (status === undefined || s === status);
    })
    .sort((a, b) => a.creationTime - b.creationTime || a.index - b.index);
  const page = visible.slice(offset, offset + max);
  const body: Record<string, unknown> = { items: page.map((t) => taskBody(ctx.identity, run, t, ctx.now, false)) };
  if (offset + max < visible.length) body.nextToken = String(offset + max);
  return { body, runId: run.id };
}

/** GET /run/{id}/task/{taskId}. */
export function getRunTask(ctx: OpContext, input: Record<string, unknown>): OpResult {
  const run = findRun(ctx, str(input, "id")!);
  const wanted = str(input, "taskId")!;
  const task = scheduleOf(run).tasks.find((t) => taskId(run, t) === wanted && taskStatusAt(t, ctx.now) !== undefined);
  if (!task) throw new ApiError("ResourceNotFoundException", `Task ${wanted} of run ${run.id} not found`);
  return { body: taskBody(ctx.identity, run, task, ctx.now, true), runId: run.id };
}
