/**
 * The poll step: one GetRun. D1 is written only when the HealthOmics status changed; the poll
 * interval shrinks to the minimum on change and grows while nothing happens. A final status is
 * not written here: it schedules a last task sync and then the finish step.
 */
import { appendRunLogs, applyRunChange } from "../db/run-updates";
import { OMICS_FINAL, wesStateFor } from "./status-map";
import type { RunState } from "./run-state";
import { jittered, pollIntervalAfter } from "./schedule";
import { backoff, describeOmicsError, eventsFlowing, logLine, pollPriority, quietCeiling, type NextStep, type StepContext } from "./step-context";

/** Runs the poll step. */
export async function stepPoll(ctx: StepContext, initial: RunState): Promise<NextStep> {
  const omicsRunId = initial.omicsRunId!;
  const wait = await ctx.budget.reserve("GetRun", pollPriority(ctx, initial));
  if (wait !== null) return wait;
  const result = await ctx.client.getRun(omicsRunId);
  const state = (await ctx.load()) ?? initial;
  if (state.phase !== "started") return state.phase === "finished" ? null : ctx.now();
  const { pollMinMs, pollMaxMs } = ctx.settings;

  if (!result.ok) {
    const error = result.error;
    if (error.type === "ResourceNotFoundException") {
      // Deleted (run ids are even reused later): end it with an explanation instead of polling forever.
      state.terminal = { status: "DELETED", note: `HealthOmics no longer knows run ${omicsRunId} (${error.message}); it was probably deleted.` };
      state.syncDue = false;
      await ctx.save(state);
      return ctx.now();
    }
    if (state.lastLoggedError !== error.type) {
      state.lastLoggedError = error.type;
      await appendRunLogs(ctx.db, ctx.runId, [logLine(ctx, `GetRun failed, will retry: ${describeOmicsError(error)}`)]);
    }
    // Final errors here (e.g. AccessDenied after a policy change) are retried slowly: never lose the run.
    const next = error.retryable ? backoff(ctx, state) : ctx.now() + pollMaxMs;
    await ctx.save(state);
    return next;
  }

  const run = result.value;
  const status = run.status ?? "UNKNOWN";
  const changed = status !== state.omicsStatus;
  state.attempt = 0;
  state.lastLoggedError = undefined;
  if (OMICS_FINAL.has(status)) {
    state.omicsStatus = status;
    state.terminal = {
      status,
      failureReason: run.failureReason,
      statusMessage: run.statusMessage,
      startTime: run.startTime,
      stopTime: run.stopTime,
      name: run.name,
      runOutputUri: run.runOutputUri,
      workflowId: run.workflowId,
    };
    state.syncDue = true;
    await ctx.save(state);
    return ctx.now();
  }

  const now = ctx.now();
  if (changed) {
    const wesState = wesStateFor(status, undefined, state.cancelRequested);
    const message = run.statusMessage ? ` (${run.statusMessage})` : "";
    const result = await applyRunChange(ctx.db, ctx.runId, {
      state: wesState,
      omicsStatus: status,
      startTime: run.startTime,
      runName: run.name,
      logLines: [logLine(ctx, `HealthOmics status ${status}${message}.`)],
    });
    state.omicsStatus = status;
    state.reportedState = result.state ?? wesState;
    state.lastChangeAt = now;
    state.syncDue = true;
  } else if (status === "RUNNING" && now >= state.taskSyncDueAt) {
    state.syncDue = true;
  }
  state.pollIntervalMs = pollIntervalAfter(state.pollIntervalMs, changed, eventsFlowing(ctx, state), pollMinMs, quietCeiling(ctx, state));
  await ctx.save(state);
  return state.syncDue ? now : now + jittered(state.pollIntervalMs, ctx.random());
}
