/**
 * The prepare step of a run of submitted workflow files (runs.package_hash set): register the
 * package as a HealthOmics workflow (packages/register.ts: CreateWorkflow once, GetWorkflow until
 * ACTIVE, every call booked on the budget), then upload the attached files the parameters name to
 * the owner's own folder and remember the rewritten parameters for StartRun. Until it is done the
 * start waits; a FAILED workflow or a refused CreateWorkflow ends the run SYSTEM_ERROR with
 * HealthOmics' message, and parameters missing a required input of the now ACTIVE workflow end it
 * EXECUTOR_ERROR naming them.
 */
import { isFinal } from "../../../wes/states";
import { givenNames, missingMessage, missingRequired } from "../packages/param-check";
import type { RunState } from "./run-state";
import { backoff, describeOmicsError, iso, logLine, type StepContext } from "./step-context";

/** Runs the prepare step. */
export async function stepPrepare(ctx: StepContext, given: RunState): Promise<RunState> {
  const packages = ctx.packages;
  const run = await ctx.store.loadRun(ctx.runId);
  if (!run || isFinal(run.state)) return { ...given, phase: "finished", work: {} };
  const state: RunState = { ...given, work: { ...given.work } };
  const now = ctx.now();
  if (!packages || !run.packageHash) {
    delete state.work.prepare;
    state.work.start = { at: now };
    return state;
  }
  if (state.cancelRequested) {
    await ctx.store.applyRunChange(ctx.runId, {
      state: "CANCELED",
      endTime: iso(now),
      exitCode: 1,
      logLines: [logLine(ctx, "Canceled before it was submitted to HealthOmics.")],
    });
    return { ...state, phase: "finished", reportedState: "CANCELED", work: {} };
  }
  const operation = await packages.nextOperation(run.packageHash);
  if (operation) {
    const slot = await ctx.budget.take(operation, "urgent", 1, given.work.prepare);
    if (!slot.call) return { ...state, work: { ...state.work, prepare: slot.due } };
  }
  const outcome = await packages.register(run.packageHash);
  if (outcome.kind === "wait") return { ...state, work: { ...state.work, prepare: { at: now + outcome.afterMs } } };
  if (outcome.kind === "retry") {
    if (state.lastLoggedError !== outcome.error.type) {
      state.lastLoggedError = outcome.error.type;
      await ctx.store.appendRunLogs(ctx.runId, [logLine(ctx, `Registering the workflow failed, will retry: ${describeOmicsError(outcome.error)}`)]);
    }
    state.work.prepare = { at: backoff(ctx, state) };
    return state;
  }
  if (outcome.kind === "failed") {
    await ctx.store.applyRunChange(ctx.runId, { state: "SYSTEM_ERROR", endTime: iso(now), exitCode: 1, logLines: [logLine(ctx, outcome.message)] });
    await ctx.budget.forget();
    return { ...state, phase: "finished", reportedState: "SYSTEM_ERROR", work: {} };
  }
  const inputs = await packages.uploadInputs(run);
  if (!inputs.ok) {
    if (inputs.retryable) {
      state.work.prepare = { at: backoff(ctx, state) };
      return state;
    }
    await ctx.store.applyRunChange(ctx.runId, { state: "SYSTEM_ERROR", endTime: iso(now), exitCode: 1, logLines: [logLine(ctx, inputs.message)] });
    await ctx.budget.forget();
    return { ...state, phase: "finished", reportedState: "SYSTEM_ERROR", work: {} };
  }
  const missing = outcome.parameterTemplate ? missingRequired(outcome.parameterTemplate, givenNames(inputs.parameters)) : [];
  if (missing.length > 0) {
    // Checked on what StartRun would send. The request does not fit the user's own workflow:
    // EXECUTOR_ERROR, as for a workflow that fails on its inputs; SYSTEM_ERROR stays for what the
    // service or HealthOmics got wrong.
    const message = `${missingMessage(missing, outcome.parameterTemplate!)} The run was not started.`;
    await ctx.store.applyRunChange(ctx.runId, { state: "EXECUTOR_ERROR", endTime: iso(now), exitCode: 1, logLines: [logLine(ctx, message)] });
    await ctx.budget.forget();
    return { ...state, phase: "finished", reportedState: "EXECUTOR_ERROR", work: {} };
  }
  const lines = [`Workflow files registered as HealthOmics workflow ${outcome.workflowId} (package ${run.packageHash}).`];
  if (inputs.uploaded > 0) lines.push(`Uploaded ${inputs.uploaded} attached input file(s) to ${inputs.prefix}.`);
  await ctx.store.appendRunLogs(
    ctx.runId,
    lines.map((l) => logLine(ctx, l)),
  );
  delete state.work.prepare;
  state.attempt = 0;
  state.lastLoggedError = undefined;
  state.prepared = { workflowId: outcome.workflowId, parametersJson: JSON.stringify(inputs.parameters) };
  state.work.start = { at: ctx.now() };
  return state;
}
