/**
 * Deleting a final run, as DELETE /runs/{id} and retention both do it, in three steps:
 * 1. the executor takes over removing what it keeps or stored for the run (`forget`: for
 *    HealthOmics its run object's state, the S3 inputs it uploaded, with WES_DELETE_OUTPUTS the
 *    outputs, with HEALTHOMICS_DELETE_RUNS the HealthOmics run) — recorded durably at once and
 *    finished in the background by the run's object, whose alarm retries any failure;
 * 2. the run's files in the ATTACHMENTS bucket (`runs/<run_id>/…`: its `workflow_attachment`
 *    files; never `packages/`, whose zips other runs share);
 * 3. D1 removes the rows and keeps a tombstone. D1 goes last because it is the commit point: if
 *    an earlier step fails, the run is still listed and the deletion can simply be asked again
 *    (the next retention tick does). Every step is idempotent.
 * So a DELETE answers as soon as the removal is recorded, not when a large output folder is gone.
 */
import { database } from "../db/client";
import { type Deletion, deleteRunRows } from "../db/run-delete";
import type { DeletedRun } from "../executors/executor";
import { runExecutor } from "../executors/registry";
import { deletionSettings } from "./ops-config";
import { runFilesPrefix } from "./run-files";

/** Deletes every object under the run's folder of the ATTACHMENTS bucket (at most 200 attachments: a page or two). */
export async function deleteRunFiles(bucket: R2Bucket, runId: string): Promise<number> {
  const prefix = runFilesPrefix(runId);
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list(cursor ? { prefix, cursor } : { prefix });
    const keys = page.objects.map((o) => o.key).filter((key) => key.startsWith(prefix));
    if (keys.length > 0) await bucket.delete(keys);
    deleted += keys.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor !== undefined);
  return deleted;
}

/** Deletes a final run; true when this call removed its rows (false: already gone). */
export async function deleteRun(env: Env, run: DeletedRun, deletion: Deletion): Promise<boolean> {
  await runExecutor(env).forget(run, { outputs: deletionSettings(env).outputs });
  await deleteRunFiles(env.ATTACHMENTS, run.id);
  return await deleteRunRows(database(env.DB), run.id, deletion);
}
