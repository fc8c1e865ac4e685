/**
 * Deleting a final run from D1: its tombstone is written and its rows (run, tags, tasks,
 * attachments) removed in one batch, every statement conditional on the run being final, so a
 * live run is never touched and a second deletion (a concurrent DELETE, the retention sweep on
 * its next tick) changes nothing.
 */
import { and, eq, exists, inArray, lt, sql } from "drizzle-orm";
import { FINAL_STATES } from "../wes/states";
import type { Db } from "./client";
import { attachments, type DeletionReason, runs, runTags, runTombstones, tasks } from "./schema";

const FINAL = [...FINAL_STATES];

/** Who deletes, and why. */
export interface Deletion {
  reason: DeletionReason;
  /** The user who asked (owner or admin); null for retention. */
  by: string | null;
  now: number;
}

/**
 * Removes a final run's rows and leaves its tombstone. Returns true when this call deleted it,
 * false when there was nothing to delete (already deleted, never existed, or not final).
 */
export async function deleteRunRows(db: Db, runId: string, deletion: Deletion): Promise<boolean> {
  const finalRun = and(eq(runs.id, runId), inArray(runs.state, FINAL));
  const tombstoned = exists(db.select({ one: sql`1` }).from(runTombstones).where(eq(runTombstones.runId, runId)));
  const [written] = await db.batch([
    db
      .insert(runTombstones)
      .select(
        db
          .select({
            runId: runs.id,
            owner: runs.owner,
            idempotencyKey: runs.idempotencyKey,
            createdAt: runs.createdAt,
            deletedAt: sql`${deletion.now}`.as("deleted_at"),
            reason: sql`${deletion.reason}`.as("reason"),
            deletedBy: sql`${deletion.by}`.as("deleted_by"),
          })
          .from(runs)
          .where(finalRun),
      )
      .onConflictDoNothing(),
    // Only what this run owns, and only once its tombstone exists (so only a final run's).
    db.delete(runTags).where(and(eq(runTags.runId, runId), tombstoned)),
    db.delete(tasks).where(and(eq(tasks.runId, runId), tombstoned)),
    db.delete(attachments).where(and(eq(attachments.runId, runId), tombstoned)),
    db.delete(runs).where(and(finalRun, tombstoned)),
  ]);
  return (written as D1Result).meta.changes > 0;
}

/** Whether a run id has a tombstone: the run was deleted and must never come back. */
export async function isDeleted(db: Db, runId: string): Promise<boolean> {
  const row = await db.select({ runId: runTombstones.runId }).from(runTombstones).where(eq(runTombstones.runId, runId)).get();
  return row !== undefined;
}

/** A final run old enough for retention. */
export interface ExpiredRun {
  id: string;
  owner: string;
  omicsRunId: string | null;
}

/**
 * Up to `limit` final runs whose last change (their finish) is before `cutoff`, in no particular
 * order: index runs_state_updated gives one range per final state and the query stops at `limit`
 * rows, whatever the backlog (an ORDER BY across the states would sort all of it).
 */
export async function expiredRuns(db: Db, cutoff: number, limit: number): Promise<ExpiredRun[]> {
  return await db
    .select({ id: runs.id, owner: runs.owner, omicsRunId: runs.omicsRunId })
    .from(runs)
    .where(and(inArray(runs.state, FINAL), lt(runs.updatedAt, cutoff)))
    .limit(limit)
    .all();
}
