/** D1 rows → WES response bodies (official schemas: RunSummary, RunLog, TaskLog). */
import type { RunRow, TaskRow } from "../db/schema";
import { exitCodeFor, type WesState } from "./states";

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
export function runSummary(row: RunRow): RunSummary {
  const summary: RunSummary = { run_id: row.id, state: row.state, tags: row.tags ?? {} };
  if (row.startTime) summary.start_time = row.startTime;
  if (row.endTime) summary.end_time = row.endTime;
  return summary;
}

/** The RunLog of a run row; `baseUrl` is the API root (…/ga4gh/wes/v1). */
export function runLog(row: RunRow, baseUrl: string): RunLog {
  const log: WesLog = { system_logs: row.systemLogs ?? [] };
  if (row.runName) log.name = row.runName;
  if (row.startTime) log.start_time = row.startTime;
  if (row.endTime) log.end_time = row.endTime;
  const exitCode = row.exitCode ?? exitCodeFor(row.state as WesState);
  if (exitCode !== undefined) log.exit_code = exitCode;
  return {
    run_id: row.id,
    request: row.request,
    state: row.state,
    run_log: log,
    task_logs_url: `${baseUrl}/runs/${encodeURIComponent(row.id)}/tasks`,
    outputs: row.outputs ?? {},
  };
}

/** The TaskLog of a task row; `exit_code` only when known (never invented). */
export function taskLog(row: TaskRow): TaskLog {
  const log: TaskLog = { id: row.id, name: row.name, system_logs: row.systemLogs ?? [] };
  if (row.startTime) log.start_time = row.startTime;
  if (row.endTime) log.end_time = row.endTime;
  if (row.exitCode !== null && row.exitCode !== undefined) log.exit_code = row.exitCode;
  if (row.stdout) log.stdout = row.stdout;
  if (row.stderr) log.stderr = row.stderr;
  return log;
}
