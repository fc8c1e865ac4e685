/**
 * The timeline runs of a created workflow follow: one task per call/step/process of its
 * definition (3 s apart, 6 s each, at time scale 1), succeeding — unless the definition contains
 * `emulator:fail`: then its last task fails, is retried once under a new task id (as HealthOmics
 * retries), fails again, and the run fails with RUN_TASK_FAILED, as seeded workflow 1000003 does.
 */
import type { RunPlan, TaskSpec } from "../timeline";
import type { DefinitionSummary } from "./types";

const TASK_GAP_MS = 3000;
const TASK_MS = 6000;
/** The failure text of a task that fails (the exit code the WES API reports comes from it). */
export const TASK_FAILED = "Task failed: the container exited with a non-zero exit code (1)";

function task(name: string, index: number, failure?: string): TaskSpec {
  const spec: TaskSpec = { name, cpus: 2, memory: 4, gpus: 0, instanceType: "omics.c.large", startMs: index * TASK_GAP_MS, durationMs: TASK_MS };
  if (failure) spec.failure = failure;
  return spec;
}

/** The plan of a created workflow's runs. */
export function definitionPlan(summary: Pick<DefinitionSummary, "tasks" | "fails">): RunPlan {
  const names = summary.tasks.length > 0 ? summary.tasks : ["main"];
  const common = { pendingMs: 2000, startingMs: 6000, stoppingMs: 3000, reachesRunning: true } as const;
  if (!summary.fails) return { ...common, tasks: names.map((name, i) => task(name, i)), outcome: { status: "COMPLETED" } };
  const last = names.length - 1;
  const tasks = [...names.slice(0, last).map((name, i) => task(name, i)), task(names[last]!, last, TASK_FAILED), task(names[last]!, last + 2, TASK_FAILED)];
  return {
    ...common,
    tasks,
    outcome: {
      status: "FAILED",
      failureReason: "RUN_TASK_FAILED",
      statusMessage: `Task ${names[last]} failed after 2 attempts: the container exited with a non-zero exit code (1)`,
    },
  };
}
