/** GetRun / ListRuns / task responses built from a run record and its clock-derived schedule. */
import { logStreamArn, streamNames } from "../logs/names";
import { iso, runArn, runOutputUri, type Identity, type RunRecord } from "../records";
import { runStatusAt, schedule, taskStatusAt, type Schedule, type ScheduledTask } from "../timeline";

/** The schedule of a stored run. */
export function scheduleOf(run: RunRecord): Schedule {
  return schedule({ plan: run.plan, createdAt: run.createdAt, timeScale: run.timeScale, durationScale: run.durationScale, cancelledAt: run.cancelledAt });
}

/** Drops undefined members so responses carry only what applies. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** StartRun's 201 body (replayed unchanged for an idempotent retry). */
export function startRunBody(identity: Identity, run: RunRecord): Record<string, unknown> {
  return {
    arn: runArn(identity, run.id),
    id: run.id,
    status: "PENDING",
    tags: run.tags,
    uuid: run.uuid,
    runOutputUri: runOutputUri(run),
  };
}

/** GetRun's body at `now`. */
export function getRunBody(identity: Identity, run: RunRecord, now: number): Record<string, unknown> {
  const s = scheduleOf(run);
  const status = runStatusAt(s, now);
  const finished = now >= s.stopTime;
  return compact({
    arn: runArn(identity, run.id),
    id: run.id,
    uuid: run.uuid,
    status,
    workflowId: run.workflowId,
    workflowType: run.workflowType,
    workflowUuid: run.workflowUuid,
    workflowVersionName: run.workflowVersionName,
    workflowOwnerId: run.workflowOwnerId,
    digest: run.workflowDigest,
    accelerators: run.accelerators,
    name: run.name,
    roleArn: run.roleArn,
    runGroupId: run.runGroupId,
    priority: run.priority,
    parameters: run.parameters,
    storageType: run.storageType,
    storageCapacity: run.storageCapacity,
    outputUri: run.outputUri,
    runOutputUri: runOutputUri(run),
    logLevel: run.logLevel,
    cacheId: run.cacheId,
    cacheBehavior: run.cacheBehavior,
    retentionMode: run.retentionMode,
    networkingMode: run.networkingMode,
    scratchStorageMode: run.scratchStorageMode,
    engineSettings: run.engineSettings,
    creationTime: iso(run.createdAt),
    startTime: s.startTime !== undefined && s.startTime <= now ? iso(s.startTime) : undefined,
    stopTime: finished ? iso(s.stopTime) : undefined,
    statusMessage: finished && s.finalStatus === "FAILED" ? s.statusMessage : undefined,
    failureReason: finished && s.finalStatus === "FAILED" ? s.failureReason : undefined,
    logLocation: {
      engineLogStream: logStreamArn(identity.region, identity.accountId, streamNames(run.id).engine),
      runLogStream: logStreamArn(identity.region, identity.accountId, streamNames(run.id).run),
    },
    tags: run.tags,
  });
}

/** A ListRuns item at `now`. */
export function runListItem(identity: Identity, run: RunRecord, now: number): Record<string, unknown> {
  const s = scheduleOf(run);
  return compact({
    arn: runArn(identity, run.id),
    id: run.id,
    status: runStatusAt(s, now),
    workflowId: run.workflowId,
    workflowName: run.workflowName,
    workflowVersionName: run.workflowVersionName,
    name: run.name,
    priority: run.priority,
    storageCapacity: run.storageCapacity,
    storageType: run.storageType,
    creationTime: iso(run.createdAt),
    startTime: s.startTime !== undefined && s.startTime <= now ? iso(s.startTime) : undefined,
    stopTime: now >= s.stopTime ? iso(s.stopTime) : undefined,
  });
}

/** The id of a task attempt. */
export function taskId(run: RunRecord, t: ScheduledTask): string {
  return String(run.taskIdBase + t.index);
}

/** A task as ListRunTasks (full = false) or GetRunTask (full = true) shows it at `now`. */
export function taskBody(identity: Identity, run: RunRecord, t: ScheduledTask, now: number, full: boolean): Record<string, unknown> {
  const status = taskStatusAt(t, now);
  const stopped = now >= t.stopTime;
  const id = taskId(run, t);
  const item: Record<string, unknown> = compact({
    taskId: id,
    uuid: run.taskUuids[t.index],
    status,
    name: t.spec.name,
    cpus: t.spec.cpus,
    memory: t.spec.memory,
    gpus: t.spec.gpus,
    instanceType: t.spec.instanceType,
    cacheHit: false,
    creationTime: iso(t.creationTime),
    startTime: now >= t.startTime && t.startTime < t.stopTime ? iso(t.startTime) : undefined,
    stopTime: stopped ? iso(t.stopTime) : undefined,
  });
  if (full) {
    item.logStream = logStreamArn(identity.region, identity.accountId, streamNames(run.id).task(id));
    if (stopped && t.finalStatus === "FAILED" && t.statusMessage) item.statusMessage = t.statusMessage;
  }
  return item;
}
