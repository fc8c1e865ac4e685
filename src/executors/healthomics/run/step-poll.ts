/**
 * The poll step: one GetRun. D1 is written only when the HealthOmics status changed; the poll
 * interval shrinks to the minimum on change and grows while nothing happens. A final status is
 * not written here: it schedules a last task sync and then the finish step.
 */
import { appendRunLogs, applyRunChange } from "../../../db/run-updates";
import { OMICS_FINAL, wesStateFor } from "./status-map";
import type { RunState } from "./run-state";
import { jittered, pollIntervalAfter } from "./schedule";
import { backoff, describeOmicsError, eventsFlowing, logLine, pollPriority, quietCeiling, type NextStep, type StepContext } from "./step-context";

/** Runs the poll step. */
export async function stepPoll(ctx: StepContext, initial: RunState): Promise<NextStep> {
  const omicsRunId = initial.omicsRunId!;
  const wait = await ctx.budget.reserve("GetRun", pollPriority(ctx, initial));
  if (wait !== null) return wait;
  const sentAt = ctx.now();
  const result = await ctx.client.getRun(omicsRunId);
  let state = (await ctx.load()) ?? initial;
  if (state.phase !== "started") return state.phase === "finished" ? null : ctx.now();
  const { pollMinMs, pollMaxMs } = ctx.settings;
  // A run event that came in while GetRun was on its way may announce a change this answer
  // predates: the poll stays due unless the answer shows the announced status.
  const unconfirmed = (seen?: string) =>
    state.lastRunEventAt !== undefined && state.lastRunEventAt >= sentAt && (state.announcedStatus === undefined || state.announcedStatus !== seen);

  if (!result.ok) {
    const error = result.error;
    if (error.type === "ResourceNotFoundException") {
      // Deleted (run ids are even reused later): end it with an explanation instead of polling forever.
      state.terminal = { status: "DELETED", note: `HealthOmics no longer knows run ${omicsRunId} (${error.message}); it was probably deleted.` };
      state.syncDue = false;
      state.pollDue = false;
      await ctx.save(state);
      return ctx.now();
    }
    if (state.lastLoggedError !== error.type) {
      await appendRunLogs(ctx.db, ctx.runId, [logLine(ctx, `GetRun failed, will retry: ${describeOmicsError(error)}`)]);
      state = (await ctx.load()) ?? state; // an event or cancel may have come in during the D1 write
      state.lastLoggedError = error.type;
    }
    state.pollDue = unconfirmed();
    // Final errors here (e.g. AccessDenied after a policy change) are retried slowly: never lose the run.
    const next = error.retryable ? backoff(ctx, state) : ctx.now() + pollMaxMs;
    await ctx.save(state);
    return next;
  }

  const run = result.value;
  const status = run.status ?? "UNKNOWN";
  const changed = status !== state.omicsStatus;
  if (OMICS_FINAL.has(status)) {
    state.attempt = 0;
    state.lastLoggedError = undefined;
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
    state.pollDue = false;
    await ctx.save(state);
    return ctx.now();
  }

  const now = ctx.now();
  if (changed) {
    const wesState = wesStateFor(status, undefined, state.cancelRequested);
    const message = run.statusMessage ? ` (${run.statusMessage})` : "";
    const written = await applyRunChange(ctx.db, ctx.runId, {
      state: wesState,
      omicsStatus: status,
      startTime: run.startTime,
      runName: run.name,
      logLines: [logLine(ctx, `HealthOmics status ${status}${message}.`)],
    });
    state = (await ctx.load()) ?? state; // an event or cancel may have come in during the D1 write
    if (state.phase !== "started") return state.phase === "finished" ? null : now;
    state.omicsStatus = status;
    state.reportedState = written.state ?? wesState;
    state.lastChangeAt = now;
    state.syncDue = true;
  } else if (status === "RUNNING" && now >= state.taskSyncDueAt) {
    state.syncDue = true;
  }
  state.attempt = 0;
  state.lastLoggedError = undefined;
  state.pollDue = unconfirmed(status);
  // An event this answer may predate keeps the interval at the minimum its nudge set.
  const flowing = eventsFlowing(ctx, state) && !state.pollDue;
  state.pollIntervalMs = pollIntervalAfter(state.pollIntervalMs, changed, flowing, pollMinMs, quietCeiling(ctx, state));
  await ctx.save(state);
  return state.syncDue || state.pollDue ? now : now + jittered(state.pollIntervalMs, ctx.random());
}
