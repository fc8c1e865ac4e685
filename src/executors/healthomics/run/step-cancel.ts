/**
 * The cancel step: CancelRun on the HealthOmics run. The run then stays CANCELING until a poll
 * sees CANCELLED; if HealthOmics refuses because the run already finished (ConflictException),
 * the next poll records the run's real final state.
 */
import { appendRunLogs } from "../../../db/run-updates";
import type { RunState } from "./run-state";
import { backoff, describeOmicsError, logLine, type NextStep, type StepContext } from "./step-context";

/** Runs the cancel step. */
export async function stepCancel(ctx: StepContext, initial: RunState): Promise<NextStep> {
  const omicsRunId = initial.omicsRunId!;
  const wait = await ctx.budget.reserve("CancelRun", "urgent");
  if (wait !== null) return wait;
  const result = await ctx.client.cancelRun(omicsRunId);
  const state = (await ctx.load()) ?? initial;
  if (state.phase !== "started") return state.phase === "finished" ? null : ctx.now();

  if (result.ok) {
    state.cancelSent = true;
    state.attempt = 0;
    state.pollIntervalMs = ctx.settings.pollMinMs;
    await ctx.save(state);
    await appendRunLogs(ctx.db, ctx.runId, [logLine(ctx, `CancelRun sent to HealthOmics for run ${omicsRunId}.`)]);
    return ctx.now() + ctx.settings.pollMinMs;
  }
  const error = result.error;
  if (error.type === "ConflictException") {
    // Already finished (or already stopping): poll to record what really happened.
    state.cancelSent = true;
    await ctx.save(state);
    await appendRunLogs(ctx.db, ctx.runId, [logLine(ctx, `HealthOmics did not cancel run ${omicsRunId}: ${describeOmicsError(error)}`)]);
    return ctx.now();
  }
  if (error.type === "ResourceNotFoundException") {
    state.terminal = { status: "DELETED", note: `HealthOmics no longer knows run ${omicsRunId}; nothing left to cancel.` };
    await ctx.save(state);
    return ctx.now();
  }
  if (state.lastLoggedError !== error.type) {
    state.lastLoggedError = error.type;
    await appendRunLogs(ctx.db, ctx.runId, [logLine(ctx, `CancelRun failed, will retry: ${describeOmicsError(error)}`)]);
  }
  const next = error.retryable ? backoff(ctx, state) : ctx.now() + ctx.settings.pollMaxMs;
  await ctx.save(state);
  return next;
}
