/**
 * HealthOmics tasks → `tasks` rows (WES TaskLog). HealthOmics reports no exit codes, so
 * `exit_code` stays empty (never invented); status, resources, cache use, failure details and the
 * CloudWatch log stream go to `system_logs`.
 */
import type { NewTaskRow } from "../../../db/schema";
import type { GetRunTaskOutput, TaskListItemOutput } from "../client/client";

/** CloudWatch Logs group HealthOmics writes run and task logs to. */
export const OMICS_LOG_GROUP = "/aws/omics/WorkflowLog";

/** A short, stable fingerprint of what we show of a task (FNV-1a over its fields). */
export function taskFingerprint(item: TaskListItemOutput, position: number): string {
  const text = JSON.stringify([
    position,
    item.status,
    item.name,
    item.startTime,
    item.stopTime,
    item.cpus,
    item.memory,
    item.gpus,
    item.instanceType,
    item.cacheHit,
  ]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/** The row for one task; `detail` (GetRunTask) is fetched only for failed tasks. */
export function taskRow(runId: string, omicsRunId: string, item: TaskListItemOutput, position: number, now: number, detail?: GetRunTaskOutput): NewTaskRow {
  const logs = [`HealthOmics task status: ${item.status ?? "UNKNOWN"}`];
  const resources = [
    item.cpus !== undefined ? `${item.cpus} vCPU` : undefined,
    item.memory !== undefined ? `${item.memory} GiB memory` : undefined,
    item.gpus ? `${item.gpus} GPU` : undefined,
    item.instanceType ? `instance ${item.instanceType}` : undefined,
  ].filter((part): part is string => part !== undefined);
  if (resources.length > 0) logs.push(`resources: ${resources.join(", ")}`);
  if (item.cacheHit) logs.push(`cache hit${item.cacheS3Uri ? `: ${item.cacheS3Uri}` : ""}`);
  if (detail?.failureReason) logs.push(`failure reason: ${detail.failureReason}`);
  if (detail?.statusMessage) logs.push(`status message: ${detail.statusMessage}`);
  const taskId = item.taskId ?? "";
  const stream = detail?.logStream ?? `run/${omicsRunId}/task/${taskId}`;
  logs.push(`logs: CloudWatch Logs ${OMICS_LOG_GROUP} stream ${stream}`);
  return {
    runId,
    id: taskId,
    position,
    name: item.name ?? taskId,
    status: item.status ?? null,
    startTime: item.startTime ?? null,
    endTime: item.stopTime ?? null,
    exitCode: null,
    systemLogs: logs,
    stdout: null,
    stderr: null,
    updatedAt: now,
  };
}
