/**
 * The task-sync step: ListRunTasks (all pages), then upsert only the tasks whose visible fields
 * changed since the last sync (fingerprints in the object's storage). ListRunTasks items carry no
 * failure details, so GetRunTask is called once per failed task. While tasks keep changing the
 * next sync comes with the next poll; while they are quiet the sync interval grows.
 */
import { upsertTasks } from "../../../db/run-updates";
import type { NewTaskRow } from "../../../db/schema";
import type { GetRunTaskOutput } from "../client/client";
import type { RunState } from "./run-state";
import { jittered, nextPollInterval } from "./schedule";
import { backoff, quietCeiling, type NextStep, type StepContext } from "./step-context";
import { taskFingerprint, taskRow } from "./task-rows";

const FINGERPRINTS = "taskFingerprints";
const DETAILED = "taskDetailsFetched";

/** Runs the task-sync step. */
export async function stepSync(ctx: StepContext, initial: RunState): Promise<NextStep> {
  const omicsRunId = initial.omicsRunId!;
  const wait = await ctx.budget.reserve("ListRunTasks", initial.terminal ? "urgent" : "normal", initial.taskPages ?? 1);
  if (wait !== null) return wait;
  const sentAt = ctx.now();
  const result = await ctx.client.listAllRunTasks(omicsRunId);
  let state = (await ctx.load()) ?? initial;
  if (state.phase !== "started") return state.phase === "finished" ? null : ctx.now();

  if (!result.ok) {
    if (result.error.type === "ResourceNotFoundException" || !result.error.retryable) {
      // Nothing more to learn about tasks; carry on with the run itself.
      state.syncDue = false;
      await ctx.save(state);
      return ctx.now() + (state.terminal || state.pollDue ? 0 : state.pollIntervalMs);
    }
    const next = backoff(ctx, state);
    await ctx.save(state);
    return next;
  }

  const fingerprints = (await ctx.storage.get<Record<string, string>>(FINGERPRINTS)) ?? {};
  const detailed = new Set((await ctx.storage.get<string[]>(DETAILED)) ?? []);
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
    if (needsDetail && (await ctx.budget.reserve("GetRunTask", "spare")) === null) {
      const fetched = await ctx.client.getRunTask(omicsRunId, taskId);
      if (fetched.ok) {
        detail = fetched.value;
        detailed.add(taskId);
      }
    }
    rows.push(taskRow(ctx.runId, omicsRunId, item, position, now, detail));
    fingerprints[taskId] = fingerprint;
  }
  await upsertTasks(ctx.db, rows);
  await ctx.storage.put({ [FINGERPRINTS]: fingerprints, [DETAILED]: [...detailed] });

  state = (await ctx.load()) ?? state;
  const changed = rows.length > 0;
  state.taskSyncIntervalMs = nextPollInterval(state.taskSyncIntervalMs, changed, ctx.settings.pollMinMs, quietCeiling(ctx, state));
  state.taskSyncDueAt = now + state.taskSyncIntervalMs;
  // A task event that came in while ListRunTasks was on its way may announce a change the listing predates.
  state.syncDue = state.lastTaskEventAt !== undefined && state.lastTaskEventAt >= sentAt && !state.terminal;
  state.attempt = 0;
  state.taskPages = Math.max(1, Math.ceil(result.value.length / 100));
  if (changed) state.lastChangeAt = now;
  await ctx.save(state);
  // A run event waiting for its poll (or the finish step) comes next at once.
  return state.terminal || state.pollDue ? now : now + jittered(state.pollIntervalMs, ctx.random());
}
