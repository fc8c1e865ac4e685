/**
 * What deleting a run asks its object to remove (run-object.ts `forget`), worked out where the
 * settings are read (the executor's `forget`): the run's S3 folder — only `inputs/`, the files the
 * service uploaded for it, or with the outputs setting the whole `users/<owner>/runs/<run_id>/`
 * folder, HealthOmics' output folder included — and, with HEALTHOMICS_DELETE_RUNS, its HealthOmics
 * run. Workflow packages (`packages/<hash>.zip`, shared between runs) lie outside both folders.
 */
import type { ExecutorSettings } from "../../../executor-config";
import { runOutputPrefix } from "./start-input";

/** The removal a run's object is asked for. */
export interface RemovalRequest {
  runId: string;
  /** S3 folders (`s3://bucket/prefix/`) to empty. */
  folders: string[];
  /** Also delete the HealthOmics run (DeleteRun). */
  deleteOmicsRun: boolean;
  /** The HealthOmics run id as D1 has it (the object falls back on its own). */
  omicsRunId?: string;
}

/** The removal of `run`: its inputs (or, with `outputs`, its whole folder) and, if set, its HealthOmics run. */
export function removalRequest(
  settings: ExecutorSettings,
  run: { id: string; owner: string; omicsRunId: string | null },
  options: { outputs: boolean },
): RemovalRequest {
  const folder = runOutputPrefix(settings, run.owner, run.id);
  const request: RemovalRequest = { runId: run.id, folders: [options.outputs ? folder : `${folder}inputs/`], deleteOmicsRun: settings.deleteRuns === true };
  if (run.omicsRunId) request.omicsRunId = run.omicsRunId;
  return request;
}
