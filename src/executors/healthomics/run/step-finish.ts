/**
 * The finish step: records the final WES state once HealthOmics reported a final status (after a
 * last task sync), with `run_log.exit_code` derived (0 for COMPLETE, 1 otherwise), the run's
 * output location and HealthOmics identifiers in `outputs`, and the raw status, failure reason
 * and message in `system_logs`. The run has no work left afterwards.
 */
import { exitCodeFor } from "../../../wes/states";
import type { RunState } from "./run-state";
import { runOutputPrefix } from "./start-input";
import { wesStateFor } from "./status-map";
import { iso, logLine, type StepContext } from "./step-context";
import { OMICS_LOG_GROUP } from "./task-rows";

/**
 * Where the run wrote, when HealthOmics did not say (it normally reports `runOutputUri`): the
 * prefix StartRun was given, which depends on the owner.
 */
async function fallbackOutputLocation(ctx: StepContext): Promise<string | undefined> {
  const run = await ctx.store.loadRun(ctx.runId);
  return run ? runOutputPrefix(ctx.settings, run.owner, ctx.runId) : undefined;
}

/** Runs the finish step. */
export async function stepFinish(ctx: StepContext, state: RunState): Promise<RunState> {
  const terminal = state.terminal!;
  const wesState = wesStateFor(terminal.status, { failureReason: terminal.failureReason, cancelRequested: state.cancelRequested });
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
  const result = await ctx.store.applyRunChange(ctx.runId, {
    state: wesState,
    omicsStatus: terminal.status,
    omicsFailureReason: terminal.failureReason ?? null,
    omicsStatusMessage: terminal.statusMessage ?? null,
    startTime: terminal.startTime,
    endTime: terminal.stopTime ?? iso(ctx.now()),
    runName: terminal.name,
    exitCode: exitCodeFor(wesState),
    outputs,
    logLines: lines,
  });
  await ctx.budget.forget();
  return { ...state, phase: "finished", reportedState: result.state ?? wesState, work: {} };
}
