/**
 * Where a run's own files lie in the ATTACHMENTS bucket: everything under `runs/<run_id>/`
 * (deleted with the run, run-deletion.ts), its `workflow_attachment` files under
 * `runs/<run_id>/attachments/<path>` (POST /runs streams them there; attachments-move.ts moves
 * older D1 blobs there). Package zips (`packages/`) lie outside, as runs share them.
 */

/** The run's folder. */
export function runFilesPrefix(runId: string): string {
  return `runs/${runId}/`;
}

/** The folder of the run's attachments. */
export function attachmentsPrefix(runId: string): string {
  return `${runFilesPrefix(runId)}attachments/`;
}

/** The key of one attachment. */
export function attachmentKey(runId: string, path: string): string {
  return `${attachmentsPrefix(runId)}${path}`;
}
