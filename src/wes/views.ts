/**
 * D1 rows → WES response bodies (official schemas: RunSummary, RunLog, TaskLog), as the caller may
 * see them: ordinary users get AWS account ids masked (redact.ts); admins get the texts whole plus
 * the run's audit lines in `run_log.system_logs` (the RunLog schema has no other place for them).
 */
import type { RunSummaryRow } from "../db/runs";
import type { RunRow, TaskRow } from "../db/schema";
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

/** The RunLog of a run row as `viewer` may see it; `baseUrl` is the API root (…/ga4gh/wes/v1). */
export function runLog(row: RunRow, baseUrl: string, viewer: Viewer): RunLog {
  const systemLogs = row.systemLogs ?? [];
  const log: WesLog = { system_logs: viewer.admin ? [...systemLogs, ...auditLines(row)] : systemLogs.map(redactText) };
  if (row.runName) log.name = row.runName;
  if (row.startTime) log.start_time = row.startTime;
  if (row.endTime) log.end_time = row.endTime;
  const exitCode = row.exitCode ?? exitCodeFor(row.state);
  if (exitCode !== undefined) log.exit_code = exitCode;
  return {
    run_id: row.id,
    request: row.request,
    state: row.state,
    run_log: log,
    task_logs_url: `${baseUrl}/runs/${encodeURIComponent(row.id)}/tasks`,
    outputs: viewer.admin ? (row.outputs ?? {}) : (redactValue(row.outputs ?? {}) as Record<string, unknown>),
  };
}

/** The TaskLog of a task row as `viewer` may see it; `exit_code` only when known (never invented). */
export function taskLog(row: TaskRow, viewer: Viewer): TaskLog {
  const text = viewer.admin ? (value: string) => value : redactText;
  const log: TaskLog = { id: row.id, name: row.name, system_logs: (row.systemLogs ?? []).map(text) };
  if (row.startTime) log.start_time = row.startTime;
  if (row.endTime) log.end_time = row.endTime;
  if (row.exitCode !== null && row.exitCode !== undefined) log.exit_code = row.exitCode;
  if (row.stdout) log.stdout = text(row.stdout);
  if (row.stderr) log.stderr = text(row.stderr);
  return log;
}
