/**
 * The start step: StartRun with `requestId` = the WES run id, so a retried or duplicated step can
 * never start a second HealthOmics run. Starts wait for a grant from the budget's fair start
 * queue (a booked StartRun slot). Phase "starting" is saved before StartRun leaves the object,
 * and what the step does around the call is decided on the state as stored at that moment, so a
 * cancel that arrives meanwhile is always seen: before the call it stops the start; during it, a
 * refusal ends the run CANCELED and an acceptance is followed by CancelRun at once.
 */
import { isFinal } from "../../../wes/states";
import type { RunState } from "./run-state";
import { quotaRetryDelay } from "./schedule";
import { startRunInput } from "./start-input";
import { backoff, describeOmicsError, iso, logLine, type StepContext } from "./step-context";

/** How long a queued run waits for its start grant before queueing itself again (idempotent). */
export const START_QUEUE_SAFETY_MS = 10 * 60_000;

/** Ends a run that never reached HealthOmics (cancelled before start, or start refused). */
async function endWithoutRun(ctx: StepContext, state: RunState, wesState: "CANCELED" | "SYSTEM_ERROR", line: string): Promise<RunState> {
  await ctx.store.applyRunChange(ctx.runId, { state: wesState, endTime: iso(ctx.now()), exitCode: 1, logLines: [logLine(ctx, line)] });
  await ctx.budget.forget();
  return { ...state, phase: "finished", reportedState: wesState, work: {} };
}

/** Runs the start step. */
export async function stepStart(ctx: StepContext, given: RunState): Promise<RunState> {
  const grant = given.work.start;
  if (grant?.booked && !given.cancelRequested) {
    // The granted slot (checked before any other I/O, which would only make the run later for
    // it): woken too late for it, the run books a fresh one rather than bunch up with other starts.
    const slot = await ctx.budget.take("StartRun", "urgent", 1, grant);
    if (!slot.call) return { ...given, work: { ...given.work, start: slot.due } };
  }
  const run = await ctx.store.loadRun(ctx.runId);
  // From here until StartRun leaves, nothing waits on the outside: the state read now is the truth.
  const state = (await ctx.load()) ?? given;
  if (state.phase === "finished" || state.phase === "started" || state.phase === "removing") return state;
  if (!run || isFinal(run.state)) return { ...state, phase: "finished", work: {} };
  if (state.phase === "queued" && state.cancelRequested) {
    return await endWithoutRun(ctx, state, "CANCELED", `Canceled by ${state.cancelRequestedBy ?? "a user"} before it was submitted to HealthOmics.`);
  }
  if (run.packageHash && !state.prepared) {
    // Submitted workflow files (a run queued before its prepare step existed, or one whose prepare was lost).
    const { start: _start, ...rest } = state.work;
    return { ...state, work: { ...rest, prepare: { at: ctx.now() } } };
  }
  let input: ReturnType<typeof startRunInput>;
  try {
    input = startRunInput(run, ctx.settings, state.prepared);
  } catch (error) {
    return await endWithoutRun(ctx, state, "SYSTEM_ERROR", `The stored request cannot be submitted: ${error instanceof Error ? error.message : String(error)}`);
  }

  if (!state.work.start?.booked) {
    // Starts are paced and shared fairly between users by the budget's start queue, which grants
    // this run its slot; the safety due time queues it again if that grant is ever lost.
    await ctx.budget.enqueueStart(run.owner, run.createdAt, input.priority ?? 0);
    return { ...state, work: { ...state.work, start: { at: ctx.now() + START_QUEUE_SAFETY_MS } } };
  }

  // A HealthOmics run may exist from now on. The grant is used up; should the object die during
  // the call, the start is due again at once (same requestId, after a new grant).
  const starting: RunState = { ...state, phase: "starting", work: { ...state.work, start: { at: ctx.now() } } };
  await ctx.save(starting);
  const result = await ctx.client.startRun(input);
  const after = (await ctx.load()) ?? starting; // a cancel may have come in during the call
  const now = ctx.now();

  if (result.ok) {
    const omics = result.value;
    const { start: _started, ...work } = after.work;
    await ctx.store.applyRunChange(ctx.runId, {
      omicsRunId: omics.id,
      omicsRunUuid: omics.uuid,
      omicsRunArn: omics.arn,
      omicsStatus: omics.status,
      logLines: [logLine(ctx, `Submitted to AWS HealthOmics as run ${omics.id} (uuid ${omics.uuid ?? "unknown"}, status ${omics.status ?? "unknown"}).`)],
    });
    const started: RunState = {
      ...after,
      phase: "started",
      attempt: 0,
      quotaNoted: false,
      lastChangeAt: now,
      work: { ...work, poll: { at: now + ctx.settings.pollMinMs } },
    };
    if (omics.status) started.omicsStatus = omics.status;
    if (omics.id) started.omicsRunId = omics.id;
    if (omics.uuid) started.omicsRunUuid = omics.uuid;
    if (omics.arn) started.omicsRunArn = omics.arn;
    return started;
  }

  const error = result.error;
  const failed: RunState = { ...after, work: { ...after.work } };
  if (error.retryable) {
    if (failed.lastLoggedError !== error.type) {
      failed.lastLoggedError = error.type;
      await ctx.store.appendRunLogs(ctx.runId, [logLine(ctx, `StartRun failed, will retry: ${describeOmicsError(error)}`)]);
    }
    // Ask for a new start slot after a short backoff (the queue keeps the run's place by submission time).
    failed.work.start = { at: backoff(ctx, failed) };
    return failed;
  }
  // A definite refusal: no HealthOmics run exists for this requestId.
  failed.phase = "queued";
  if (failed.cancelRequested) {
    return await endWithoutRun(ctx, failed, "CANCELED", `Canceled by ${failed.cancelRequestedBy ?? "a user"} before HealthOmics accepted it.`);
  }
  if (error.quota) {
    // Too many runs in the account: not the run's fault. It stays QUEUED and is retried later.
    if (!failed.quotaNoted) {
      failed.quotaNoted = true;
      await ctx.store.appendRunLogs(ctx.runId, [
        logLine(
          ctx,
          `Waiting to start: HealthOmics refused StartRun for a service quota (${describeOmicsError(error)}). The run stays QUEUED and is retried automatically.`,
        ),
      ]);
    }
    failed.attempt += 1;
    failed.work.start = { at: now + quotaRetryDelay(failed.attempt, ctx.random()) };
    return failed;
  }
  return await endWithoutRun(ctx, failed, "SYSTEM_ERROR", `HealthOmics rejected StartRun: ${describeOmicsError(error)}`);
}
