/** StartRun, GetRun, ListRuns, CancelRun, DeleteRun. */
import { definitionPlan } from "../definition/plan";
import { ApiError } from "../errors";
import { OUTPUT_LAYOUT_TAG, outputLayoutOf, parseS3Uri } from "../outputs/layout";
import { runOutputUri, type RunRecord } from "../records";
import { planFor, seededOutputs, type WorkflowRecord } from "../seed";
import { isTerminal, runStatusAt } from "../timeline";
import { checkRunParameters, checkWorkflowType } from "../validation";
import { int, str, type OpContext, type OpResult } from "./context";
import { durationScaleOf, logLinesOf } from "./tags";
import { getRunBody, runListItem, scheduleOf, startRunBody } from "./render";
import { findWorkflow, workflowStatus } from "./workflows";

/** Run ids are 7-digit strings like HealthOmics's; task ids come from their own counter. */
const FIRST_RUN_ID = 2_100_001;
const FIRST_TASK_ID = 5_000_001;

/** Storage HealthOmics gives a STATIC run when none is asked for (GiB). */
const DEFAULT_STATIC_CAPACITY = 1200;

/** The run a GetRun / CancelRun / DeleteRun / ListRunTasks names; ResourceNotFoundException when gone. */
export function findRun(ctx: OpContext, id: string): RunRecord {
  const run = ctx.store.getRun(id);
  if (!run) throw new ApiError("ResourceNotFoundException", `Run ${id} not found`);
  return run;
}

/** POST /run → 201. The same requestId returns the same run and starts nothing. */
export function startRun(ctx: OpContext, input: Record<string, unknown>): OpResult {
  const requestId = str(input, "requestId")!;
  const existing = ctx.store.getRunByRequestId(requestId);
  if (existing) return { body: startRunBody(ctx.identity, existing), runId: existing.id, requestId };

  // runId re-runs an earlier run: its workflow and parameters are the defaults.
  const rerunOf = str(input, "runId") !== undefined ? findRun(ctx, str(input, "runId")!) : undefined;
  const workflowId = str(input, "workflowId") ?? rerunOf?.workflowId;
  if (workflowId === undefined) throw new ApiError("ValidationException", "A workflowId or runId is required");
  const workflow = findWorkflow(ctx, workflowId);
  const workflowState = workflowStatus(workflow, ctx.now);
  if (workflowState !== "ACTIVE") throw new ApiError("ConflictException", `Workflow ${workflowId} is ${workflowState}: only ACTIVE workflows can run`);
  const owner = str(input, "workflowOwnerId");
  if (owner !== undefined && owner !== ctx.identity.accountId)
    throw new ApiError("ResourceNotFoundException", `Workflow ${workflowId} not found for owner ${owner}`);
  checkWorkflowType(str(input, "workflowType") ?? (rerunOf ? rerunOf.workflowType : undefined), workflow.type, workflowId);
  const parameters = input.parameters ?? rerunOf?.parameters;
  checkRunParameters(workflow.parameterTemplate, parameters, wdlWorkflowName(workflow));
  const storageType = (str(input, "storageType") as RunRecord["storageType"] | undefined) ?? workflow.storageType ?? "STATIC";

  const tags = (input.tags as Record<string, string> | undefined) ?? {};
  const durationScale = durationScaleOf(tags);
  const logLines = logLinesOf(tags);
  const outputLayout = outputLayoutOf(tags);
  const plan = workflow.definition ? definitionPlan(workflow.definition) : planFor(workflow.id);
  const seeded = seededOutputs(workflow.id);
  const outputs = workflow.definition
    ? { workflowName: workflow.definition.workflowName, specs: workflow.definition.outputs }
    : { workflowName: seeded?.workflowName ?? workflow.name, specs: seeded?.outputs ?? [] };
  const id = String(ctx.store.nextCounter("nextRunId", FIRST_RUN_ID));
  const taskIdBase = ctx.store.nextCounter("nextTaskId", FIRST_TASK_ID, Math.max(1, plan.tasks.length));
  const run: RunRecord = {
    id,
    uuid: crypto.randomUUID(),
    requestId,
    workflowId: workflow.id,
    workflowType: workflow.type,
    workflowName: workflow.name,
    workflowUuid: workflow.uuid,
    roleArn: str(input, "roleArn")!,
    outputUri: str(input, "outputUri")!,
    storageType,
    retentionMode: (str(input, "retentionMode") as RunRecord["retentionMode"] | undefined) ?? "RETAIN",
    networkingMode: str(input, "networkingMode") ?? "RESTRICTED",
    tags,
    createdAt: ctx.now,
    timeScale: ctx.timeScale,
    taskIdBase,
    taskUuids: plan.tasks.map(() => crypto.randomUUID()),
    plan,
    engine: workflow.engine,
    outputs,
  };
  const optional: Partial<RunRecord> = {
    durationScale,
    logLines,
    outputLayout: tags[OUTPUT_LAYOUT_TAG] !== undefined ? outputLayout : undefined,
    workflowDigest: workflow.digest,
    accelerators: workflow.accelerators,
    workflowVersionName: str(input, "workflowVersionName"),
    workflowOwnerId: owner,
    name: str(input, "name") ?? rerunOf?.name,
    parameters,
    priority: int(input, "priority"),
    // The model: storageCapacity is "not required if the storage type is DYNAMIC (the system ignores any value that you enter)".
    storageCapacity: storageType === "STATIC" ? (int(input, "storageCapacity") ?? workflow.storageCapacity ?? DEFAULT_STATIC_CAPACITY) : undefined,
    runGroupId: str(input, "runGroupId"),
    cacheId: str(input, "cacheId"),
    cacheBehavior: str(input, "cacheBehavior") ?? (str(input, "cacheId") !== undefined ? "CACHE_ON_FAILURE" : undefined),
    logLevel: str(input, "logLevel"),
    scratchStorageMode: str(input, "scratchStorageMode"),
    engineSettings: input.engineSettings,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(run, { [k]: v });
  ctx.store.insertRun(run, ctx.eventsEnabled ? ctx.now : null);
  const s = scheduleOf(run);
  const target = parseS3Uri(runOutputUri(run));
  if (s.finalStatus === "COMPLETED" && target) ctx.store.addPendingOutputs(run, target.bucket, s.stopTime);
  return { body: startRunBody(ctx.identity, run), runId: id, requestId };
}

/** GET /run/{id}. */
export function getRun(ctx: OpContext, input: Record<string, unknown>): OpResult {
  const run = findRun(ctx, str(input, "id")!);
  return { body: getRunBody(ctx.identity, run, ctx.now), runId: run.id };
}

/** GET /run?name&runGroupId&status&startingToken&maxResults: newest first. */
export function listRuns(ctx: OpContext, input: Record<string, unknown>): OpResult {
  const max = int(input, "maxResults") ?? 100;
  const status = str(input, "status");
  const name = str(input, "name");
  const runGroupId = str(input, "runGroupId");
  const batchId = str(input, "batchId");
  const token = str(input, "startingToken");
  let before = token === undefined ? undefined : Number(token);
  if (before !== undefined && !Number.isInteger(before)) throw new ApiError("ValidationException", "Invalid startingToken");
  const items: Record<string, unknown>[] = [];
  let lastId: string | undefined;
  let more = false;
  // Status is derived from the clock, so filtering walks the runs page by page.
  for (;;) {
    const chunk = ctx.store.listRuns(before, 200, name);
    for (const run of chunk) {
      const item = runListItem(ctx.identity, run, ctx.now);
      if (status !== undefined && item.status !== status) continue;
      if (runGroupId !== undefined && run.runGroupId !== runGroupId) continue;
      if (batchId !== undefined) continue; // the emulator has no batches
      if (items.length === max) {
        more = true;
        break;
      }
      items.push(item);
      lastId = run.id;
    }
    if (more || chunk.length < 200) break;
    before = Number(chunk[chunk.length - 1]!.id);
  }
  const body: Record<string, unknown> = { items };
  if (more && lastId !== undefined) body.nextToken = lastId;
  return { body };
}

/** POST /run/{id}/cancel → 202: STOPPING now, CANCELLED shortly after; ConflictException when finished. */
export function cancelRun(ctx: OpContext, input: Record<string, unknown>): OpResult {
  const run = findRun(ctx, str(input, "id")!);
  const status = runStatusAt(scheduleOf(run), ctx.now);
  if (isTerminal(status)) throw new ApiError("ConflictException", `Run ${run.id} is ${status} and cannot be cancelled`);
  if (run.cancelledAt === undefined) {
    run.cancelledAt = ctx.now;
    ctx.store.updateRun(run, ctx.eventsEnabled ? ctx.now : null);
    // A cancelled run never completes: it writes no outputs.
    ctx.store.removePendingOutputs(run.id);
  }
  return { runId: run.id };
}

/** DELETE /run/{id} → 202: the run is gone afterwards. Live runs must be cancelled first. */
export function deleteRun(ctx: OpContext, input: Record<string, unknown>): OpResult {
  const run = findRun(ctx, str(input, "id")!);
  const status = runStatusAt(scheduleOf(run), ctx.now);
  if (!isTerminal(status)) throw new ApiError("ConflictException", `Run ${run.id} is ${status}: only finished runs can be deleted`);
  ctx.store.deleteRun(run.id);
  return { runId: run.id };
}

/** The name a WDL workflow's inputs may be qualified with; undefined for other engines. */
function wdlWorkflowName(workflow: WorkflowRecord): string | undefined {
  if (workflow.engine !== "WDL" && workflow.engine !== "WDL_LENIENT") return undefined;
  return workflow.definition?.workflowName ?? seededOutputs(workflow.id)?.workflowName ?? workflow.name;
}
