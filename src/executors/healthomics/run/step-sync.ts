/**
 * The task-sync step: ListRunTasks (all pages), then upsert only the tasks whose visible fields
 * changed since the last sync (fingerprints in the object's storage). ListRunTasks items carry no
 * failure details, so GetRunTask is called once per failed task, when a slot is free. While tasks
 * keep changing the periodic sync stays close; while they are quiet its interval grows.
 */
import type { NewTaskRow } from "../../../db/schema";
import type { GetRunTaskOutput } from "../client/client";
import type { RunState } from "./run-state";
import { jittered, nextPollInterval } from "./schedule";
import { backoff, quietCeiling, reschedulePoll, type StepContext } from "./step-context";
import { taskFingerprint, taskRow } from "./task-rows";

const FINGERPRINTS = "taskFingerprints";
const DETAILED = "taskDetailsFetched";
/** Tasks per ListRunTasks page (the API's largest page). */
const TASKS_PER_PAGE = 100;

/** Runs the task-sync step. */
export async function stepSync(ctx: StepContext, given: RunState): Promise<RunState> {
  const omicsRunId = given.omicsRunId!;
  const slot = await ctx.budget.take("ListRunTasks", given.terminal ? "urgent" : "normal", given.taskPages ?? 1, given.work.sync);
  if (!slot.call) return { ...given, work: { ...given.work, sync: slot.due } };
  const result = await ctx.client.listAllRunTasks(omicsRunId);
  const state: RunState = { ...given, work: { ...given.work } };

  if (!result.ok) {
    if (result.error.type === "ResourceNotFoundException" || !result.error.retryable) {
      // Nothing more to learn about tasks; carry on with the run itself.
      delete state.work.sync;
      reschedulePoll(state, ctx.now() + state.pollIntervalMs);
      return state;
    }
    state.work.sync = { at: backoff(ctx, state) };
    return state;
  }

  const fingerprints = (await ctx.tasks.get<Record<string, string>>(FINGERPRINTS)) ?? {};
  const detailed = new Set((await ctx.tasks.get<string[]>(DETAILED)) ?? []);
  const now = ctx.now();
  const rows: NewTaskRow[] = [];
  for (const [position, item] of result.value.entries()) {
    const taskId = item.taskId;
    if (!taskId) continue;
    const fingerprint = taskFingerprint(item, position);
    const needsDetail = item.status === "FAILED" && !detailed.has(taskId);
    if (fingerprints[taskId] === fingerprint && !needsDetail) continue;
    let detail: GetRunTaskOutput | undefined;
    // Failure details cost a GetRunTask each; only a slot free now is taken (booking a later one
    // would hold a slot nobody uses), otherwise they wait for a later sync.
    if (needsDetail && (await ctx.budget.spare("GetRunTask"))) {
      const fetched = await ctx.client.getRunTask(omicsRunId, taskId);
      if (fetched.ok) {
        detail = fetched.value;
        detailed.add(taskId);
      }
    }
    rows.push(taskRow(ctx.runId, omicsRunId, item, position, now, detail));
    fingerprints[taskId] = fingerprint;
  }
  await ctx.store.upsertTasks(rows);
  await ctx.tasks.put({ [FINGERPRINTS]: fingerprints, [DETAILED]: [...detailed] });

  const changed = rows.length > 0;
  state.taskSyncIntervalMs = nextPollInterval(state.taskSyncIntervalMs, { changed, minMs: ctx.settings.pollMinMs, maxMs: quietCeiling(ctx, state) });
  state.periodicSyncAt = now + state.taskSyncIntervalMs;
  state.attempt = 0;
  state.taskPages = Math.max(1, Math.ceil(result.value.length / TASKS_PER_PAGE));
  if (changed) state.lastChangeAt = now;
  delete state.work.sync;
  reschedulePoll(state, now + jittered(state.pollIntervalMs, ctx.random()));
  return state;
}
