/**
 * Tasks on a time axis (pure): each HealthOmics task attempt is a bar from its start to its end
 * (or to now while it runs). HealthOmics retries a failed task under a new task id with the same
 * name, so attempts are grouped by name and numbered; a failed attempt is marked.
 */
import type { TaskLog } from "./types";

/** One bar of the chart. */
export interface TaskBar {
  id: string;
  name: string;
  /** 1 for the first attempt of this name, 2 for its first retry, … */
  attempt: number;
  attempts: number;
  status: string;
  failed: boolean;
  running: boolean;
  start?: number;
  end?: number;
  /** Position on the axis, as fractions of its length (0–1). */
  left: number;
  width: number;
  failureReason?: string;
}

/** The chart: bars in order and the axis' span. */
export interface TaskChart {
  bars: TaskBar[];
  axisStart: number;
  axisEnd: number;
}

/** The HealthOmics status a task's system_logs carry ("HealthOmics task status: FAILED"). */
export function taskStatus(task: TaskLog): string {
  for (const line of task.system_logs ?? []) {
    const match = /^HealthOmics task status: ([A-Z_]+)/.exec(line);
    if (match) return match[1]!;
  }
  if (task.end_time) return "COMPLETED";
  return task.start_time ? "RUNNING" : "PENDING";
}

function reasonOf(task: TaskLog): string | undefined {
  const lines = task.system_logs ?? [];
  const reason = lines.find((l) => l.startsWith("failure reason: "))?.slice("failure reason: ".length);
  const message = lines.find((l) => l.startsWith("status message: "))?.slice("status message: ".length);
  return [reason, message].filter(Boolean).join(": ") || undefined;
}

/** Lays the tasks out between the run's start (or the first task's) and its end (or now). */
export function taskChart(tasks: TaskLog[], runStart: number | undefined, runEnd: number | undefined, now: number): TaskChart {
  const time = (iso?: string) => {
    const ms = Date.parse(iso ?? "");
    return Number.isNaN(ms) ? undefined : ms;
  };
  const starts = tasks.map((t) => time(t.start_time)).filter((t): t is number => t !== undefined);
  const axisStart = runStart ?? (starts.length > 0 ? Math.min(...starts) : now);
  const ends = tasks.map((t) => time(t.end_time) ?? (time(t.start_time) !== undefined ? now : undefined)).filter((t): t is number => t !== undefined);
  const axisEnd = Math.max(runEnd ?? now, ...ends, axisStart + 1000);
  const span = axisEnd - axisStart;
  const counts = new Map<string, number>();
  for (const task of tasks) counts.set(task.name, (counts.get(task.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  const ordered = [...tasks].sort((a, b) => (time(a.start_time) ?? Number.MAX_SAFE_INTEGER) - (time(b.start_time) ?? Number.MAX_SAFE_INTEGER));
  const bars = ordered.map((task) => {
    const attempt = (seen.get(task.name) ?? 0) + 1;
    seen.set(task.name, attempt);
    const status = taskStatus(task);
    const start = time(task.start_time);
    const end = time(task.end_time);
    const running = start !== undefined && end === undefined && !["FAILED", "CANCELLED", "COMPLETED"].includes(status);
    const from = start ?? axisStart;
    const to = end ?? (running ? now : from);
    const bar: TaskBar = {
      id: task.id,
      name: task.name,
      attempt,
      attempts: counts.get(task.name) ?? 1,
      status,
      failed: status === "FAILED",
      running,
      left: Math.min(1, Math.max(0, (from - axisStart) / span)),
      width: Math.max(0, Math.min(1, (to - from) / span)),
    };
    if (start !== undefined) bar.start = start;
    if (end !== undefined) bar.end = end;
    const reason = reasonOf(task);
    if (reason) bar.failureReason = reason;
    return bar;
  });
  return { bars, axisStart, axisEnd };
}
