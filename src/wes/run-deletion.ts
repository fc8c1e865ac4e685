/**
 * Deleting a final run, as DELETE /runs/{id} and retention both do it: first the executor forgets
 * the run (its Durable Object's storage and alarm, what it stored in S3 for the run), then D1
 * removes the rows and keeps a tombstone. D1 goes last because it is the commit point: if the
 * executor's part fails, the run is still listed and the deletion can simply be asked again (the
 * next retention tick does). Every part is idempotent.
 */
import { database } from "../db/client";
import { type Deletion, deleteRunRows } from "../db/run-delete";
import { runExecutor } from "../executors/registry";

/** Deletes a final run; true when this call removed its rows (false: already gone). */
export async function deleteRun(env: Env, runId: string, deletion: Deletion): Promise<boolean> {
  await runExecutor(env).forget(runId);
  return await deleteRunRows(database(env.DB), runId, deletion);
}
