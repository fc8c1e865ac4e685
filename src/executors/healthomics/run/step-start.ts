/**
 * The start step: StartRun with `requestId` = the WES run id, so a retried or duplicated step can
 * never start a second HealthOmics run. A cancel that arrives while StartRun is in flight is seen
 * when it answers (the state is re-read after every external call).
 */
import { appendRunLogs, applyRunChange, loadRun } from "../../../db/run-updates";
import { isFinal } from "../../../wes/states";
import type { RunState } from "./run-state";
import { holdSlot } from "./budget-gate";
import { quotaRetryDelay } from "./schedule";
import { startRunInput } from "./start-input";
import { backoff, describeOmicsError, logLine, type NextStep, type StepContext } from "./step-context";

/** How long a queued run waits for its start grant before queueing itself again (idempotent). */
export const START_QUEUE_SAFETY_MS = 10 * 60_000;

/** Ends a run that never reached HealthOmics (cancelled before start, or start refused). */
async function endWithoutRun(ctx: StepContext, state: RunState, wesState: "CANCELED" | "SYSTEM_ERROR", line: string): Promise<NextStep> {
  const now = ctx.now();
  await applyRunChange(ctx.db, ctx.runId, { state: wesState, endTime: new Date(now).toISOString(), exitCode: 1, logLines: [logLine(ctx, line)] });
  state.phase = "finished";
  state.reportedState = wesState;
  await ctx.save(state);
  await ctx.budget.forget();
  return null;
}

/** Runs the start step. */
export async function stepStart(ctx: StepContext, initial: RunState): Promise<NextStep> {
  let state = await ctx.load();
  if (state?.startGranted && state.reservations?.StartRun && !state.cancelRequested) {
    // The granted slot (checked before any other I/O, which would only make the run later for it):
    // woken too late for it, the run books a fresh one rather than bunch up with other starts.
    const wait = await ctx.budget.reserve("StartRun", "urgent");
    if (wait !== null) return wait;
  }
  const run = await loadRun(ctx.db, ctx.runId);
  state = await ctx.load(); // after every await: a cancel may have come in
  if (!state || state.phase === "finished" || state.phase === "started") return state?.phase === "started" ? ctx.now() : null;
  if (!run || isFinal(run.state)) {
    state.phase = "finished";
    await ctx.save(state);
    return null;
  }
  if (state.phase === "queued" && state.cancelRequested) {
    return await endWithoutRun(ctx, state, "CANCELED", `Canceled by ${state.cancelRequestedBy ?? "a user"} before it was submitted to HealthOmics.`);
  }
  let input: ReturnType<typeof startRunInput>;
  try {
    input = startRunInput(run, ctx.settings);
  } catch (error) {
    return await endWithoutRun(ctx, state, "SYSTEM_ERROR", `The stored request cannot be submitted: ${error instanceof Error ? error.message : String(error)}`);
  }

  if (!state.startGranted) {
    // Starts are paced and shared fairly between users by the budget's start queue, which wakes
    // this run when its slot comes; the safety alarm re-queues it if that wake-up is ever lost.
    await ctx.budget.enqueueStart(run.owner, run.createdAt, input.priority ?? 0);
    return ctx.now() + START_QUEUE_SAFETY_MS;
  }

  // A grant's slot not consumed above (a cancel came in while StartRun was in doubt) goes with this call.
  holdSlot(state, "StartRun", undefined);
  // From here on a HealthOmics run may exist: persist that before the call leaves the object.
  state.phase = "starting";
  state.startGranted = false;
  await ctx.save(state);
  const result = await ctx.client.startRun(input);
  state = (await ctx.load()) ?? initial;
  if (state.phase === "finished") return null;

  if (result.ok) {
    const run = result.value;
    state.phase = "started";
    state.attempt = 0;
    state.quotaNoted = false;
    state.omicsStatus = run.status;
    if (run.id) state.omicsRunId = run.id;
    if (run.uuid) state.omicsRunUuid = run.uuid;
    if (run.arn) state.omicsRunArn = run.arn;
    state.lastChangeAt = ctx.now();
    await ctx.save(state);
    await applyRunChange(ctx.db, ctx.runId, {
      omicsRunId: run.id,
      omicsRunUuid: run.uuid,
      omicsRunArn: run.arn,
      omicsStatus: run.status,
      logLines: [logLine(ctx, `Submitted to AWS HealthOmics as run ${run.id} (uuid ${run.uuid ?? "unknown"}, status ${run.status ?? "unknown"}).`)],
    });
    // A cancel that came in while StartRun was in flight is carried out at once.
    return state.cancelRequested ? ctx.now() : ctx.now() + ctx.settings.pollMinMs;
  }

  const error = result.error;
  if (error.retryable) {
    if (state.lastLoggedError !== error.type) {
      state.lastLoggedError = error.type;
      await appendRunLogs(ctx.db, ctx.runId, [logLine(ctx, `StartRun failed, will retry: ${describeOmicsError(error)}`)]);
    }
    // Ask for a new start slot after a short backoff (the queue keeps the run's place by submission time).
    const next = backoff(ctx, state);
    await ctx.save(state);
    return next;
  }
  // A definite refusal: no HealthOmics run exists for this requestId.
  state.phase = "queued";
  if (state.cancelRequested) {
    return await endWithoutRun(ctx, state, "CANCELED", `Canceled by ${state.cancelRequestedBy ?? "a user"} before HealthOmics accepted it.`);
  }
  if (error.quota) {
    // Too many runs in the account: not the run's fault. It stays QUEUED and is retried later.
    if (!state.quotaNoted) {
      state.quotaNoted = true;
      await appendRunLogs(ctx.db, ctx.runId, [
        logLine(
          ctx,
          `Waiting to start: HealthOmics refused StartRun for a service quota (${describeOmicsError(error)}). The run stays QUEUED and is retried automatically.`,
        ),
      ]);
    }
    state.attempt += 1;
    await ctx.save(state);
    return ctx.now() + quotaRetryDelay(state.attempt, ctx.random());
  }
  return await endWithoutRun(ctx, state, "SYSTEM_ERROR", `HealthOmics rejected StartRun: ${describeOmicsError(error)}`);
}
