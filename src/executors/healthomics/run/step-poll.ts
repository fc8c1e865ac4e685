/**
 * The poll step: one GetRun. D1 is written only when the HealthOmics status changed; the poll
 * interval shrinks to the minimum on change and grows while nothing happens. A change or (while
 * the run is RUNNING) the periodic sync time makes a task sync due; a final status is only
 * remembered, and a last task sync and the finish step follow.
 */
import type { RunState } from "./run-state";
import { jittered, pollIntervalAfter } from "./schedule";
import { OMICS_FINAL, wesStateFor } from "./status-map";
import { backoff, describeOmicsError, eventsFlowing, logLine, pollPriority, quietCeiling, type StepContext } from "./step-context";
import { wantBy } from "./work";

/** Runs the poll step. */
export async function stepPoll(ctx: StepContext, given: RunState): Promise<RunState> {
  const omicsRunId = given.omicsRunId!;
  const slot = await ctx.budget.take("GetRun", pollPriority(ctx, given), 1, given.work.poll);
  if (!slot.call) return { ...given, work: { ...given.work, poll: given.work.poll?.woken ? { ...slot.due, woken: true } : slot.due } };
  const result = await ctx.client.getRun(omicsRunId);
  const now = ctx.now();
  const state: RunState = { ...given, work: { ...given.work } };
  const { pollMinMs, pollMaxMs } = ctx.settings;

  if (!result.ok) {
    const error = result.error;
    if (error.type === "ResourceNotFoundException") {
      // Deleted (run ids are even reused later): end it with an explanation instead of polling forever.
      state.terminal = { status: "DELETED", note: `HealthOmics no longer knows run ${omicsRunId} (${error.message}); it was probably deleted.` };
      state.work = { finish: { at: now } };
      return state;
    }
    if (state.lastLoggedError !== error.type) {
      state.lastLoggedError = error.type;
      await ctx.store.appendRunLogs(ctx.runId, [logLine(ctx, `GetRun failed, will retry: ${describeOmicsError(error)}`)]);
    }
    // Final errors here (e.g. AccessDenied after a policy change) are retried slowly: never lose the run.
    state.work.poll = { at: error.retryable ? backoff(ctx, state) : now + pollMaxMs };
    return state;
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
    const { poll: _poll, cancel: _cancel, ...rest } = state.work;
    state.work = { ...rest, sync: wantBy(rest.sync, now), finish: { at: now } };
    return state;
  }

  if (changed) {
    const wesState = wesStateFor(status, { cancelRequested: state.cancelRequested });
    const message = run.statusMessage ? ` (${run.statusMessage})` : "";
    const written = await ctx.store.applyRunChange(ctx.runId, {
      state: wesState,
      omicsStatus: status,
      startTime: run.startTime,
      runName: run.name,
      logLines: [logLine(ctx, `HealthOmics status ${status}${message}.`)],
    });
    state.omicsStatus = status;
    state.reportedState = written.state ?? wesState;
    state.lastChangeAt = now;
  }
  if (changed || (status === "RUNNING" && now >= state.periodicSyncAt)) state.work.sync = wantBy(state.work.sync, now);
  state.pollIntervalMs = pollIntervalAfter(state.pollIntervalMs, {
    changed,
    eventsFlowing: eventsFlowing(ctx, state),
    minMs: pollMinMs,
    ceilingMs: quietCeiling(ctx, state),
  });
  state.work.poll = { at: now + jittered(state.pollIntervalMs, ctx.random()) };
  return state;
}
