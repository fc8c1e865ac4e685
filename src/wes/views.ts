/**
 * D1 rows → WES response bodies (official schemas: RunSummary, RunLog, TaskLog), as the caller may
 * see them: ordinary users get AWS account ids masked (redact.ts); admins get the texts whole plus
 * the run's audit lines in `run_log.system_logs` (the RunLog schema has no other place for them).
 */
import type { RunSummaryRow } from "../db/runs";
import type { RunRow, TaskRow } from "../db/schema";
import { RUN_OUTPUTS_KEY } from "../executors/executor";
import { redactText, redactValue } from "./redact";
import { exitCodeFor } from "./states";

/** Who is looking: admins see AWS identifiers whole and the audit trail. */
export interface Viewer {
  admin: boolean;
}

/** WES `Log` (run_log and the base of TaskLog). */
export interface WesLog {
  name?: string;
  cmd?: string[];
  start_time?: string;
  end_time?: string;
  stdout?: string;
  stderr?: string;
  exit_code?: number;
  system_logs?: string[];
}

/** WES `RunSummary`. */
export interface RunSummary {
  run_id: string;
  state: string;
  start_time?: string;
  end_time?: string;
  tags: Record<string, string>;
}

/** WES `RunLog` (without the deprecated `task_logs`: clients follow `task_logs_url`). */
export interface RunLog {
  run_id: string;
  request: Record<string, unknown>;
  state: string;
  run_log: WesLog;
  task_logs_url: string;
  outputs: Record<string, unknown>;
}

/** WES `TaskLog`. */
export interface TaskLog extends WesLog {
  id: string;
  name: string;
}

/** The RunSummary of a run row. */
export function runSummary(row: Pick<RunSummaryRow, "id" | "state" | "startTime" | "endTime" | "tags">): RunSummary {
  const summary: RunSummary = { run_id: row.id, state: row.state, tags: row.tags ?? {} };
  if (row.startTime) summary.start_time = row.startTime;
  if (row.endTime) summary.end_time = row.endTime;
  return summary;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The audit lines of a run: who submitted it (and how they authenticated, when recorded) and who
 * asked to cancel it. Rows from before `submitted_via` existed simply omit the scheme.
 */
export function auditLines(row: RunRow): string[] {
  const lines = [`audit: submitted by ${row.owner} at ${iso(row.createdAt)}${row.submittedVia ? ` via ${row.submittedVia}` : ""}`];
  if (row.canceledBy && row.cancelRequestedAt !== null && row.cancelRequestedAt !== undefined) {
    lines.push(`audit: cancel requested by ${row.canceledBy} at ${iso(row.cancelRequestedAt)}`);
  }
  return lines;
}

/** URL of a run's log route (`stream` stdout or stderr). */
export function runLogUrl(baseUrl: string, runId: string, stream: "stdout" | "stderr"): string {
  return `${baseUrl}/runs/${encodeURIComponent(runId)}/logs/${stream}`;
}

/** URL of a task's log route. */
export function taskLogUrl(baseUrl: string, runId: string, taskId: string, stream: "stdout" | "stderr"): string {
  return `${baseUrl}/runs/${encodeURIComponent(runId)}/tasks/${encodeURIComponent(taskId)}/logs/${stream}`;
}

/** URL of an output file's download route (`path` relative to the run's output location). */
export function outputUrl(baseUrl: string, runId: string, path: string): string {
  return `${baseUrl}/runs/${encodeURIComponent(runId)}/outputs/${path.split("/").map(encodeURIComponent).join("/")}`;
}

/**
 * WES `outputs` of a run: the engine's outputs at the top level, the service's own facts under
 * RUN_OUTPUTS_KEY with a `download_url` for each output file. Rows written before that key
 * existed held only the service's facts, at the top level: they are shown in the new shape.
 */
export function outputsView(stored: Record<string, unknown> | null | undefined, baseUrl: string, runId: string): Record<string, unknown> {
  const outputs = stored ?? {};
  if (Object.keys(outputs).length === 0) return {};
  if (!(RUN_OUTPUTS_KEY in outputs)) return { [RUN_OUTPUTS_KEY]: outputs };
  const own = outputs[RUN_OUTPUTS_KEY];
  if (!own || typeof own !== "object" || !Array.isArray((own as { files?: unknown }).files)) return outputs;
  const files = ((own as { files: unknown[] }).files as Array<Record<string, unknown>>).map((file) =>
    typeof file?.path === "string" ? { ...file, download_url: outputUrl(baseUrl, runId, file.path) } : file,
  );
  return { ...outputs, [RUN_OUTPUTS_KEY]: { ...own, files } };
}

/** The RunLog of a run row as `viewer` may see it; `baseUrl` is the API root (…/ga4gh/wes/v1). */
export function runLog(row: RunRow, baseUrl: string, viewer: Viewer): RunLog {
  const systemLogs = row.systemLogs ?? [];
  const log: WesLog = { system_logs: viewer.admin ? [...systemLogs, ...auditLines(row)] : systemLogs.map(redactText) };
  if (row.runName) log.name = row.runName;
  if (row.startTime) log.start_time = row.startTime;
  if (row.endTime) log.end_time = row.endTime;
  const exitCode = row.exitCode ?? exitCodeFor(row.state);
  if (exitCode !== undefined) log.exit_code = exitCode;
  log.stdout = runLogUrl(baseUrl, row.id, "stdout");
  log.stderr = runLogUrl(baseUrl, row.id, "stderr");
  const outputs = outputsView(row.outputs, baseUrl, row.id);
  return {
    run_id: row.id,
    request: row.request,
    state: row.state,
    run_log: log,
    task_logs_url: `${baseUrl}/runs/${encodeURIComponent(row.id)}/tasks`,
    outputs: viewer.admin ? outputs : (redactValue(outputs) as Record<string, unknown>),
  };
}

/**
 * The TaskLog of a task row as `viewer` may see it; `exit_code` only when known (never invented);
 * `stdout` and `stderr` are the task's log route (`baseUrl` is the API root).
 */
export function taskLog(row: TaskRow, viewer: Viewer, baseUrl: string): TaskLog {
  const text = viewer.admin ? (value: string) => value : redactText;
  const log: TaskLog = { id: row.id, name: row.name, system_logs: (row.systemLogs ?? []).map(text) };
  if (row.startTime) log.start_time = row.startTime;
  if (row.endTime) log.end_time = row.endTime;
  if (row.exitCode !== null && row.exitCode !== undefined) log.exit_code = row.exitCode;
  log.stdout = taskLogUrl(baseUrl, row.runId, row.id, "stdout");
  log.stderr = taskLogUrl(baseUrl, row.runId, row.id, "stderr");
  return log;
}
