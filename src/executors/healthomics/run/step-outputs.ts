/**
 * The outputs step: when HealthOmics reports a run COMPLETED, after the last task sync and before
 * the finish step writes COMPLETE, read its outputs from S3 (the output summary, or for Nextflow
 * the listing: outputs/read-outputs.ts) on the S3 budget line. The result waits in the object's
 * storage for the finish step. A transient S3 failure is retried a few times with back-off; then,
 * like a summary that cannot be read, the run completes anyway with a note.
 */
import type { OutputsResult } from "../outputs/read-outputs";
import type { RunState } from "./run-state";
import { runOutputPrefix } from "./start-input";
import { backoff, type StepContext } from "./step-context";

/** Storage key of the outputs read, for the finish step. */
export const OUTPUTS_READ = "outputsRead";
/** Storage key of the attempts made so far. */
const OUTPUTS_ATTEMPTS = "outputsAttempts";
/** Attempts before a retryable failure is given up as a note. */
export const MAX_OUTPUTS_ATTEMPTS = 4;
/** S3 calls one reading usually makes (a listing page and the summary), booked together. */
const CALLS = 2;

/** Runs the outputs step. */
export async function stepOutputs(ctx: StepContext, given: RunState): Promise<RunState> {
  const state: RunState = { ...given, work: { ...given.work } };
  const done = (): RunState => {
    delete state.work.outputs;
    state.work.finish = { at: ctx.now() };
    return state;
  };
  if (!ctx.outputs) return done();
  const slot = await ctx.budget.take("S3Read", "normal", CALLS, given.work.outputs);
  if (!slot.call) return { ...state, work: { ...state.work, outputs: slot.due } };

  const run = await ctx.store.loadRun(ctx.runId);
  const location = state.terminal?.runOutputUri ?? (run ? runOutputPrefix(ctx.settings, run.owner, ctx.runId) : undefined);
  const type = typeof run?.request?.workflow_type === "string" ? run.request.workflow_type : "";
  let read: OutputsResult = location ? await ctx.outputs(location, type) : { ok: false, note: "the run's output location is not known", retryable: false };

  if (!read.ok && read.retryable) {
    const attempts = ((await ctx.tasks.get<number>(OUTPUTS_ATTEMPTS)) ?? 0) + 1;
    await ctx.tasks.put({ [OUTPUTS_ATTEMPTS]: attempts });
    if (attempts < MAX_OUTPUTS_ATTEMPTS) {
      state.work.outputs = { at: backoff(ctx, state) };
      return state;
    }
    read = { ...read, note: `${read.note} (gave up after ${attempts} attempts)` };
  }
  state.attempt = 0;
  await ctx.tasks.put({ [OUTPUTS_READ]: read });
  return done();
}
