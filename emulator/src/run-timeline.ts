/**
 * A run's status history as the emulator's clock made it, up to now: what
 * GET /__emulator/runs/{id}/timeline and POST /__emulator/timelines answer. Benchmarks compare it
 * with what a client saw and when (staleness); nothing in the future is revealed.
 */
import { scheduleOf, taskId } from "./ops/render";
import { iso, type RunRecord } from "./records";
import { isTerminal, runStatusAt, transitionsBetween, type RunStatus, type TaskStatus } from "./timeline";

/** One status change, `at` in RFC 3339 with milliseconds. */
export interface TimelineStep {
  status: RunStatus | TaskStatus;
  at: string;
}

/** What the timeline endpoints answer for one run. */
export interface RunTimeline {
  runId: string;
  uuid: string;
  requestId: string;
  workflowId: string;
  timeScale: number;
  durationScale: number;
  /** The run's status now. */
  status: RunStatus;
  final: boolean;
  /** The run's status transitions so far, oldest first (PENDING at creation included). */
  transitions: TimelineStep[];
  /** Tasks created so far, in plan order, each with its transitions so far. */
  tasks: { taskId: string; name: string; transitions: TimelineStep[] }[];
}

/** The run's timeline at `now`. */
export function runTimeline(run: RunRecord, now: number): RunTimeline {
  const s = scheduleOf(run);
  const status = runStatusAt(s, now);
  const transitions: TimelineStep[] = [];
  // A phase of zero length (same instant as the next one) is never observable: leave it out.
  s.phases.forEach((phase, i) => {
    const next = s.phases[i + 1];
    if (phase.at <= now && !(next && next.at === phase.at)) transitions.push({ status: phase.status, at: iso(phase.at) });
  });
  const byTask = new Map<number, TimelineStep[]>();
  for (const t of transitionsBetween(s, run.createdAt - 1, now)) {
    if (!t.task) continue;
    const steps = byTask.get(t.task.index) ?? [];
    steps.push({ status: t.status, at: iso(t.at) });
    byTask.set(t.task.index, steps);
  }
  const tasks = s.tasks.filter((t) => byTask.has(t.index)).map((t) => ({ taskId: taskId(run, t), name: t.spec.name, transitions: byTask.get(t.index)! }));
  return {
    runId: run.id,
    uuid: run.uuid,
    requestId: run.requestId,
    workflowId: run.workflowId,
    timeScale: run.timeScale,
    durationScale: run.durationScale ?? 1,
    status,
    final: isTerminal(status),
    transitions,
    tasks,
  };
}
