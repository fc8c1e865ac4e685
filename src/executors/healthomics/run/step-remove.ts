/**
 * The remove step of a run being deleted (phase `removing`, state.removal; run-object.ts `forget`
 * starts it): first the HealthOmics run (DeleteRun, when the operator asked for it, on its budget
 * line; "not found" counts as done), then each S3 folder (the inputs the service uploaded, or with
 * WES_DELETE_OUTPUTS the run's whole folder): a batch of keys listed (S3Read line), then deleted
 * (S3Write line), until a listing comes back empty. One budgeted call class per step, each bounded,
 * so a huge folder takes many steps and no step nears a Worker's subrequest limit. When nothing is
 * left the step drops its work and the loop wipes the object (shell.ts).
 *
 * A failure never loses the deletion: a transient one is retried with back-off; a refusal (say
 * AccessDenied when IAM lacks the permission) or too many failures gives that part up with an
 * error log line, and the rest goes on. The run's D1 rows are gone by then, so the Worker log is
 * where an operator reads what was left behind.
 */
import { describeError, log } from "../../../log";
import { deleteKeys, listBatch } from "../aws/s3-prefix-delete";
import type { Removal, RunState } from "./run-state";
import { backoff, describeOmicsError, type StepContext } from "./step-context";

/** Keys one step lists and then deletes (a DeleteObject each): under the Free plan's 50 subrequests per invocation. */
export const REMOVE_BATCH = 40;
/** Consecutive retryable failures of one part before it is given up. */
export const MAX_REMOVE_ATTEMPTS = 10;

/** Runs the remove step. */
export async function stepRemove(ctx: StepContext, given: RunState): Promise<RunState> {
  const original = given.removal ?? { since: ctx.now(), folders: [], deleted: 0, gaveUp: [] };
  const removal: Removal = { ...original, folders: [...original.folders], gaveUp: [...original.gaveUp] };
  const state: RunState = { ...given, removal, work: { ...given.work } };
  const held = given.work.remove;
  const wait = (due: NonNullable<RunState["work"]["remove"]>): RunState => ({ ...state, work: { ...state.work, remove: due } });
  const again = (): RunState => {
    state.attempt = 0;
    return { ...state, work: { ...state.work, remove: { at: ctx.now() } } };
  };
  /** A failed part: retried later while it may succeed, otherwise given up (`skip`) with a log line. */
  const failed = (part: string, error: string, retryable: boolean, skip: () => void): RunState => {
    if (retryable && state.attempt + 1 < MAX_REMOVE_ATTEMPTS) {
      const at = backoff(ctx, state);
      log("warn", "run.remove_retry", { runId: ctx.runId, part, error, attempt: state.attempt });
      return { ...state, work: { ...state.work, remove: { at } } };
    }
    skip();
    removal.gaveUp.push(`${part}: ${error}`);
    log("error", "run.remove_gave_up", { runId: ctx.runId, part, error, attempts: state.attempt + 1 });
    return again();
  };

  try {
    if (removal.omicsRunId !== undefined) {
      const id = removal.omicsRunId;
      const slot = await ctx.budget.take("DeleteRun", "normal", 1, held);
      if (!slot.call) return wait(slot.due);
      const result = await ctx.client.deleteRun(id);
      if (result.ok || result.error.type === "ResourceNotFoundException") {
        delete removal.omicsRunId;
        return again();
      }
      // A run HealthOmics is still stopping cannot be deleted yet (ConflictException): wait for it.
      const retryable = result.error.retryable || result.error.type === "ConflictException";
      return failed(`HealthOmics run ${id}`, `DeleteRun: ${describeOmicsError(result.error)}`, retryable, () => delete removal.omicsRunId);
    }

    const folder = removal.folders[0];
    if (folder !== undefined) {
      const nextFolder = () => {
        delete removal.keys;
        removal.folders.shift();
      };
      if (!ctx.s3) return failed(folder, "no S3 access here", false, nextFolder);
      if (!removal.keys) {
        const slot = await ctx.budget.take("S3Read", "normal", 1, held);
        if (!slot.call) return wait(slot.due);
        const listed = await listBatch(ctx.s3, folder, REMOVE_BATCH);
        if (!listed.ok) return failed(folder, listed.error, listed.retryable, nextFolder);
        if (listed.keys.length === 0) nextFolder();
        else removal.keys = listed.keys;
        return again();
      }
      const slot = await ctx.budget.take("S3Write", "normal", removal.keys.length, held);
      if (!slot.call) return wait(slot.due);
      const result = await deleteKeys(ctx.s3, folder, removal.keys);
      removal.deleted += result.deleted;
      if (result.ok) {
        delete removal.keys;
        return again();
      }
      removal.keys = result.remaining;
      return failed(folder, result.error, result.retryable, nextFolder);
    }
  } catch (error) {
    // The budget or S3 threw (an RPC or network failure): the same back-off, so the alarm that
    // carries the deletion is never dropped by the platform's own retry limit.
    return failed("the removal", describeError(error), true, () => {
      delete removal.omicsRunId;
      removal.folders = [];
      delete removal.keys;
    });
  }

  log(removal.gaveUp.length > 0 ? "error" : "info", "run.removed", {
    runId: ctx.runId,
    deletedObjects: removal.deleted,
    gaveUp: removal.gaveUp,
    tookMs: ctx.now() - removal.since,
  });
  delete state.work.remove;
  return state;
}
