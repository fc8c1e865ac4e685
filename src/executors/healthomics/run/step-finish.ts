/**
 * The finish step: records the final WES state once HealthOmics reported a final status (after a
 * last task sync), with `run_log.exit_code` derived (0 for COMPLETE, 1 otherwise), the run's
 * output location and HealthOmics identifiers in `outputs`, and the raw status, failure reason
 * and message in `system_logs`.
 */
import { applyRunChange, loadRun } from "../../../db/run-updates";
import { exitCodeFor } from "../../../wes/states";
import type { RunState } from "./run-state";
import { runOutputPrefix } from "./start-input";
import { wesStateFor } from "./status-map";
import { logLine, type NextStep, type StepContext } from "./step-context";
import { OMICS_LOG_GROUP } from "./task-rows";

/**
 * Where the run wrote, when HealthOmics did not say (it normally reports `runOutputUri`): the
 * prefix StartRun was given, which depends on the owner.
 */
async function fallbackOutputLocation(ctx: StepContext): Promise<string | undefined> {
  const run = await loadRun(ctx.db, ctx.runId);
  return run ? runOutputPrefix(ctx.settings, run.owner, ctx.runId) : undefined;
}

/** Runs the finish step (the run ends here: no further alarm). */
export async function stepFinish(ctx: StepContext, state: RunState): Promise<NextStep> {
  const terminal = state.terminal!;
  const wesState = wesStateFor(terminal.status, terminal.failureReason, state.cancelRequested);
  const lines: string[] = [];
  if (terminal.note) lines.push(logLine(ctx, terminal.note));
  const details = [terminal.failureReason ? `failure reason ${terminal.failureReason}` : "", terminal.statusMessage ? `message: ${terminal.statusMessage}` : ""]
    .filter(Boolean)
    .join(", ");
  lines.push(logLine(ctx, `HealthOmics status ${terminal.status}${details ? ` (${details})` : ""}; WES state ${wesState}.`));
  const outputs: Record<string, unknown> = {};
  if (state.omicsRunId && terminal.status !== "DELETED") {
    if (wesState === "COMPLETE") outputs.output_location = terminal.runOutputUri ?? (await fallbackOutputLocation(ctx));
    outputs.healthomics = {
      run_id: state.omicsRunId,
      run_uuid: state.omicsRunUuid,
      run_arn: state.omicsRunArn,
      workflow_id: terminal.workflowId,
      run_output_uri: terminal.runOutputUri,
      log_group: OMICS_LOG_GROUP,
      run_log_stream: `run/${state.omicsRunId}`,
      engine_log_stream: `run/${state.omicsRunId}/engine`,
    };
  }
  const result = await applyRunChange(ctx.db, ctx.runId, {
    state: wesState,
    omicsStatus: terminal.status,
    omicsFailureReason: terminal.failureReason ?? null,
    omicsStatusMessage: terminal.statusMessage ?? null,
    startTime: terminal.startTime,
    endTime: terminal.stopTime ?? new Date(ctx.now()).toISOString(),
    runName: terminal.name,
    exitCode: exitCodeFor(wesState),
    outputs,
    logLines: lines,
  });
  state.phase = "finished";
  state.reportedState = result.state ?? wesState;
  await ctx.save(state);
  await ctx.budget.forget();
  return null;
}
