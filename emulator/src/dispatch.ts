/** Operation name → handler, for the operations the EmulatorState Durable Object performs (HealthOmics and CloudWatch Logs). */
import { getLogEvents } from "./logs/get-log-events";
import { runIdOfStream } from "./logs/names";
import type { OperationName } from "./model";
import type { OpContext, OpResult } from "./ops/context";
import { cancelRun, deleteRun, getRun, listRuns, startRun } from "./ops/runs";
import { getRunTask, listRunTasks } from "./ops/tasks";
import { createWorkflow, deleteWorkflow, getWorkflow, listWorkflows } from "./ops/workflows";
import type { LogsOperation } from "./services";

/** Operations the Durable Object performs. */
export type StateOperation = OperationName | LogsOperation;

/** The handlers of every implemented operation. */
export const HANDLERS: Record<StateOperation, (ctx: OpContext, input: Record<string, unknown>) => OpResult | Promise<OpResult>> = {
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
  DeleteWorkflow: deleteWorkflow,
  GetLogEvents: getLogEvents,
};

/** What the request log records about a call before (or without) running it. */
export function logHints(input: Record<string, unknown>, operation: StateOperation): { requestId?: string; runId?: string } {
  const hints: { requestId?: string; runId?: string } = {};
  if ((operation === "StartRun" || operation === "CreateWorkflow") && typeof input.requestId === "string") hints.requestId = input.requestId;
  if (operation === "GetLogEvents") {
    const runId = typeof input.logStreamName === "string" ? runIdOfStream(input.logStreamName) : undefined;
    if (runId) hints.runId = runId;
    return hints;
  }
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
