/** Operation name → handler. */
import type { OperationName } from "./model";
import type { OpContext, OpResult } from "./ops/context";
import { cancelRun, deleteRun, getRun, listRuns, startRun } from "./ops/runs";
import { getRunTask, listRunTasks } from "./ops/tasks";
import { createWorkflow, getWorkflow, listWorkflows } from "./ops/workflows";

/** The handlers of every implemented operation. */
export const HANDLERS: Record<OperationName, (ctx: OpContext, input: Record<string, unknown>) => OpResult> = {
  StartRun: startRun,
  GetRun: getRun,
  ListRuns: listRuns,
  CancelRun: cancelRun,
  DeleteRun: deleteRun,
  ListRunTasks: listRunTasks,
  GetRunTask: getRunTask,
  CreateWorkflow: createWorkflow,
  GetWorkflow: getWorkflow,
  ListWorkflows: listWorkflows,
};

/** What the request log records about a call before (or without) running it. */
export function logHints(input: Record<string, unknown>, operation: OperationName): { requestId?: string; runId?: string } {
  const hints: { requestId?: string; runId?: string } = {};
  if ((operation === "StartRun" || operation === "CreateWorkflow") && typeof input.requestId === "string") hints.requestId = input.requestId;
  if (
    operation !== "StartRun" &&
    operation !== "CreateWorkflow" &&
    !operation.includes("Workflow") &&
    operation !== "ListRuns" &&
    typeof input.id === "string"
  ) {
    hints.runId = input.id;
  }
  return hints;
}
