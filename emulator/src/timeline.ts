/**
 * A run's life, computed from the clock instead of driven by timers: a plan (durations at time
 * scale 1), the creation time, the time scale frozen at StartRun and an optional cancel time give
 * every status transition of the run and its tasks. Pure functions, unit-tested in
 * test/emulator/timeline.test.ts.
 */

/** Run statuses a live emulated run passes through (DELETED is never observable: deleted runs are gone). */
export type RunStatus = "PENDING" | "STARTING" | "RUNNING" | "STOPPING" | "COMPLETED" | "FAILED" | "CANCELLED";
/** Task statuses. */
export type TaskStatus = "PENDING" | "STARTING" | "RUNNING" | "STOPPING" | "COMPLETED" | "FAILED" | "CANCELLED";

/** One task attempt of a plan; a retry is a second attempt with the same name. */
export interface TaskSpec {
  name: string;
  cpus: number;
  memory: number;
  gpus: number;
  instanceType: string;
  /** Offset from the run's RUNNING phase, ms at scale 1. */
  startMs: number;
  /** From creation to stop, ms at scale 1 (includes the task's PENDING and STARTING seconds). */
  durationMs: number;
  /** Set when the attempt fails: its status message. */
  failure?: string;
}

/** How a run behaves, at time scale 1. */
export interface RunPlan {
  pendingMs: number;
  startingMs: number;
  stoppingMs: number;
  tasks: TaskSpec[];
  /** When false the run fails before RUNNING (an import failure). */
  reachesRunning: boolean;
  outcome: { status: "COMPLETED" } | { status: "FAILED"; failureReason: string; statusMessage: string };
}

/** Seconds a cancelled run spends in STOPPING, and a task's PENDING / STARTING time (scale 1). */
export const CANCEL_STOPPING_MS = 3000;
export const TASK_PENDING_MS = 1000;
export const TASK_STARTING_MS = 1000;

/** A task attempt with absolute times. */
export interface ScheduledTask {
  index: number;
  spec: TaskSpec;
  creationTime: number;
  startingAt: number;
  startTime: number;
  stopTime: number;
  finalStatus: "COMPLETED" | "FAILED" | "CANCELLED";
  statusMessage?: string;
}

/** Everything that will happen to a run, in absolute epoch ms. */
export interface Schedule {
  phases: { status: RunStatus; at: number }[];
  tasks: ScheduledTask[];
  /** When the run reached RUNNING (GetRun `startTime`), if it does. */
  startTime?: number;
  /** When the run reaches its final status (GetRun `stopTime`). */
  stopTime: number;
  finalStatus: "COMPLETED" | "FAILED" | "CANCELLED";
  failureReason?: string;
  statusMessage?: string;
}

/** The inputs of a schedule: what a run record stores. */
export interface TimelineInput {
  plan: RunPlan;
  createdAt: number;
  timeScale: number;
  /**
   * Stretches the run's own plan (phases, tasks, their PENDING/STARTING seconds) by this factor,
   * on top of the time scale; a cancel's STOPPING time is not stretched. Default 1. Set per run by
   * the StartRun tag `emulator:duration-scale` (benchmarks use it to make runs realistically long).
   */
  durationScale?: number;
  cancelledAt?: number;
}

/** Computes the whole schedule of a run. */
export function schedule({ plan, createdAt, timeScale, durationScale = 1, cancelledAt }: TimelineInput): Schedule {
  const scaled = (ms: number) => Math.round(ms * timeScale * durationScale);
  const startingAt = createdAt + scaled(plan.pendingMs);
  const runningAt = startingAt + scaled(plan.startingMs);
  let tasks: ScheduledTask[] = [];
  let stoppingAt = runningAt;
  if (plan.reachesRunning) {
    tasks = plan.tasks.map((spec, index) => {
      const creationTime = runningAt + scaled(spec.startMs);
      const stopTime = creationTime + scaled(spec.durationMs);
      const task: ScheduledTask = {
        index,
        spec,
        creationTime,
        startingAt: Math.min(creationTime + scaled(TASK_PENDING_MS), stopTime),
        startTime: Math.min(creationTime + scaled(TASK_PENDING_MS + TASK_STARTING_MS), stopTime),
        stopTime,
        finalStatus: spec.failure ? "FAILED" : "COMPLETED",
      };
      if (spec.failure) task.statusMessage = spec.failure;
      return task;
    });
    stoppingAt = Math.max(runningAt + scaled(1000), ...tasks.map((t) => t.stopTime));
  }
  const endAt = stoppingAt + scaled(plan.stoppingMs);
  const phases: { status: RunStatus; at: number }[] = [
    { status: "PENDING", at: createdAt },
    { status: "STARTING", at: startingAt },
  ];
  if (plan.reachesRunning) phases.push({ status: "RUNNING", at: runningAt });
  phases.push({ status: "STOPPING", at: stoppingAt }, { status: plan.outcome.status, at: endAt });
  const result: Schedule = {
    phases,
    tasks,
    stopTime: endAt,
    finalStatus: plan.outcome.status,
  };
  if (plan.reachesRunning) result.startTime = runningAt;
  if (plan.outcome.status === "FAILED") {
    result.failureReason = plan.outcome.failureReason;
    result.statusMessage = plan.outcome.statusMessage;
  }
  if (cancelledAt !== undefined && cancelledAt < endAt) return applyCancel(result, cancelledAt, Math.round(CANCEL_STOPPING_MS * timeScale));
  return result;
}

/** A cancel moves a live run to STOPPING now and CANCELLED shortly after; unfinished tasks are cancelled too. */
function applyCancel(s: Schedule, cancelledAt: number, stoppingMs: number): Schedule {
  const endAt = cancelledAt + stoppingMs;
  const phases = s.phases.filter((p) => p.at <= cancelledAt && p.status !== "STOPPING");
  phases.push({ status: "STOPPING", at: cancelledAt }, { status: "CANCELLED", at: endAt });
  const tasks = s.tasks
    .filter((t) => t.creationTime <= cancelledAt)
    .map((t): ScheduledTask => {
      if (t.stopTime <= cancelledAt) return t;
      return {
        index: t.index,
        spec: t.spec,
        creationTime: t.creationTime,
        startingAt: Math.min(t.startingAt, endAt),
        startTime: Math.min(t.startTime, endAt),
        stopTime: endAt,
        finalStatus: "CANCELLED",
      };
    });
  const result: Schedule = { phases, tasks, stopTime: endAt, finalStatus: "CANCELLED" };
  if (s.startTime !== undefined && s.startTime <= cancelledAt) result.startTime = s.startTime;
  return result;
}

/** The run's status at `now`. */
export function runStatusAt(s: Schedule, now: number): RunStatus {
  let status: RunStatus = "PENDING";
  for (const phase of s.phases) if (phase.at <= now) status = phase.status;
  return status;
}

/** Whether a status is final. */
export function isTerminal(status: RunStatus | TaskStatus): boolean {
  return status === "COMPLETED" || status === "FAILED" || status === "CANCELLED";
}

/** A task's status at `now` (undefined before the task exists). */
export function taskStatusAt(t: ScheduledTask, now: number): TaskStatus | undefined {
  if (now < t.creationTime) return undefined;
  if (now >= t.stopTime) return t.finalStatus;
  if (now >= t.startTime) return "RUNNING";
  if (now >= t.startingAt) return "STARTING";
  return "PENDING";
}

/** A status change of the run (task undefined) or of one task. */
export interface Transition {
  at: number;
  status: RunStatus | TaskStatus;
  task?: ScheduledTask;
}

/** Every transition in (from, to], oldest first: what EventBridge would have announced. */
export function transitionsBetween(s: Schedule, from: number, to: number): Transition[] {
  const out: Transition[] = [];
  for (const p of s.phases) if (p.at > from && p.at <= to) out.push({ at: p.at, status: p.status });
  for (const t of s.tasks) {
    const steps: [number, TaskStatus][] = [
      [t.creationTime, "PENDING"],
      [t.startingAt, "STARTING"],
      [t.startTime, "RUNNING"],
      [t.stopTime, t.finalStatus],
    ];
    let previous: TaskStatus | undefined;
    for (const [at, status] of steps) {
      // Zero-length phases (scaled to nothing, or cut by a cancel) are not separate transitions.
      const next = taskStatusAt(t, at);
      if (next !== status || status === previous) continue;
      previous = status;
      if (at > from && at <= to) out.push({ at, status, task: t });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The first transition strictly after `now`, or undefined when the run and its tasks are final. */
export function nextTransitionAfter(s: Schedule, now: number): number | undefined {
  let next: number | undefined;
  const consider = (at: number) => {
    if (at > now && (next === undefined || at < next)) next = at;
  };
  for (const p of s.phases) consider(p.at);
  for (const t of s.tasks) [t.creationTime, t.startingAt, t.startTime, t.stopTime].forEach(consider);
  return next;
}
