/**
 * The cancel step: CancelRun on the HealthOmics run. The run then stays CANCELING until a poll
 * sees CANCELLED; if HealthOmics refuses because the run already finished (ConflictException),
 * the next poll records the run's real final state.
 */
import type { RunState } from "./run-state";
import { backoff, describeOmicsError, logLine, reschedulePoll, type StepContext } from "./step-context";
import { wantBy } from "./work";

/** Runs the cancel step. */
export async function stepCancel(ctx: StepContext, given: RunState): Promise<RunState> {
  const omicsRunId = given.omicsRunId!;
  const slot = await ctx.budget.take("CancelRun", "urgent", 1, given.work.cancel);
  if (!slot.call) return { ...given, work: { ...given.work, cancel: slot.due } };
  const result = await ctx.client.cancelRun(omicsRunId);
  const state: RunState = { ...given, work: { ...given.work } };
  const now = ctx.now();

  if (result.ok) {
    state.cancelSent = true;
    state.attempt = 0;
    state.pollIntervalMs = ctx.settings.pollMinMs;
    delete state.work.cancel;
    reschedulePoll(state, now + ctx.settings.pollMinMs);
    await ctx.store.appendRunLogs(ctx.runId, [logLine(ctx, `CancelRun sent to HealthOmics for run ${omicsRunId}.`)]);
    return state;
  }
  const error = result.error;
  if (error.type === "ConflictException") {
    // Already finished (or already stopping): poll to record what really happened.
    state.cancelSent = true;
    delete state.work.cancel;
    state.work.poll = wantBy(state.work.poll, now);
    await ctx.store.appendRunLogs(ctx.runId, [logLine(ctx, `HealthOmics did not cancel run ${omicsRunId}: ${describeOmicsError(error)}`)]);
    return state;
  }
  if (error.type === "ResourceNotFoundException") {
    state.terminal = { status: "DELETED", note: `HealthOmics no longer knows run ${omicsRunId}; nothing left to cancel.` };
    const { cancel: _cancel, poll: _poll, ...rest } = state.work;
    state.work = { ...rest, finish: { at: now } };
    return state;
  }
  if (state.lastLoggedError !== error.type) {
    state.lastLoggedError = error.type;
    await ctx.store.appendRunLogs(ctx.runId, [logLine(ctx, `CancelRun failed, will retry: ${describeOmicsError(error)}`)]);
  }
  state.work.cancel = { at: error.retryable ? backoff(ctx, state) : now + ctx.settings.pollMaxMs };
  return state;
}
