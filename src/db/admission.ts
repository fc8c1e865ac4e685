/**
 * Admission of a new run: the per-user limits of POST /runs and the tombstone of a deleted
 * submission, checked inside the D1 transaction that stores the run.
 *
 * The run's batch inserts the run and then, as its last statement, deletes it again when the
 * user is now over a limit or its Idempotency-Key belongs to a deleted run. D1 runs one write
 * transaction at a time, so the counts that statement sees include every run committed before it
 * and its own, and none that commits after: N concurrent submissions can never overshoot a limit
 * (the alternative, a count before the insert, lets all N see the same count). The delete
 * cascades to the run's tags and attachments; a refused submission leaves nothing behind.
 */
import { and, count, eq, gt, inArray, min, type SQL, sql } from "drizzle-orm";
import { LIVE_STATES } from "../wes/states";
import type { Db } from "./client";
import { runs, runTombstones } from "./schema";

/** Per-user limits; `null` is no limit. */
export interface Limits {
  maxActiveRuns: number | null;
  submissionsPerMinute: number | null;
}

/** The window of the per-minute limit. */
export const MINUTE_MS = 60_000;

/** Retry-After of the active-runs limit: runs end on their own schedule, so a fixed, polite wait. */
export const ACTIVE_RETRY_AFTER_SECONDS = 60;

/** Why a submission was not admitted. */
export type Refusal =
  | { kind: "deleted"; runId: string; deletedAt: number }
  | { kind: "active"; limit: number }
  | { kind: "per-minute"; limit: number; retryAfterSeconds: number };

/** What is being admitted. */
export interface Candidate {
  id: string;
  owner: string;
  idempotencyKey: string | null | undefined;
  createdAt: number;
}

/** `(SELECT count(*) FROM (query LIMIT cap))`: a count that reads at most `cap` rows whatever the table holds. */
function cappedCount(query: SQL, cap: number): SQL {
  return sql`(SELECT count(*) FROM (${query} LIMIT ${cap}))`;
}

/** Rows of the owner's live runs (index runs_owner_state_created, one range per state). */
function liveRuns(owner: string): SQL {
  return sql`SELECT 1 FROM ${runs} WHERE ${and(eq(runs.owner, owner), inArray(runs.state, [...LIVE_STATES]))}`;
}

/** Rows of the owner's submissions since `since`, deleted ones included (runs_owner_created, run_tombstones_owner_created). */
function recentSubmissions(owner: string, since: number): SQL {
  return sql`SELECT 1 FROM ${runs} WHERE ${and(eq(runs.owner, owner), gt(runs.createdAt, since))} UNION ALL SELECT 1 FROM ${runTombstones} WHERE ${and(eq(runTombstones.owner, owner), gt(runTombstones.createdAt, since))}`;
}

/** The condition under which the just-inserted candidate must be taken back, or undefined when nothing can refuse it. */
export function refusalCondition(candidate: Candidate, limits: Limits): SQL | undefined {
  const reasons: SQL[] = [];
  if (candidate.idempotencyKey != null) {
    reasons.push(
      sql`EXISTS (SELECT 1 FROM ${runTombstones} WHERE ${and(eq(runTombstones.owner, candidate.owner), eq(runTombstones.idempotencyKey, candidate.idempotencyKey))})`,
    );
  }
  if (limits.maxActiveRuns !== null) {
    reasons.push(sql`${cappedCount(liveRuns(candidate.owner), limits.maxActiveRuns + 1)} > ${limits.maxActiveRuns}`);
  }
  if (limits.submissionsPerMinute !== null) {
    const since = candidate.createdAt - MINUTE_MS;
    reasons.push(sql`${cappedCount(recentSubmissions(candidate.owner, since), limits.submissionsPerMinute + 1)} > ${limits.submissionsPerMinute}`);
  }
  return reasons.length === 0 ? undefined : sql.join(reasons, sql` OR `);
}

/** The last statement of the run's batch: takes the run back when `condition` holds (one row changed then). */
export function takeBack(db: Db, id: string, condition: SQL) {
  return db.delete(runs).where(and(eq(runs.id, id), sql`(${condition})`));
}

/** The tombstone of a deleted submission with this key, if any. */
export async function deletedSubmission(db: Db, owner: string, key: string): Promise<Refusal | undefined> {
  const row = await db
    .select({ runId: runTombstones.runId, deletedAt: runTombstones.deletedAt })
    .from(runTombstones)
    .where(and(eq(runTombstones.owner, owner), eq(runTombstones.idempotencyKey, key)))
    .get();
  return row && { kind: "deleted", runId: row.runId, deletedAt: row.deletedAt };
}

/**
 * Which limit refused a candidate that was taken back (read after the fact, so for the message
 * and Retry-After only; the decision itself was made in the transaction).
 */
export async function whichLimit(db: Db, candidate: Candidate, limits: Limits, now: number): Promise<Refusal> {
  if (candidate.idempotencyKey != null) {
    const deleted = await deletedSubmission(db, candidate.owner, candidate.idempotencyKey);
    if (deleted) return deleted;
  }
  if (limits.submissionsPerMinute !== null) {
    const since = now - MINUTE_MS;
    const [live, gone] = await Promise.all([
      db
        .select({ n: count(), oldest: min(runs.createdAt) })
        .from(runs)
        .where(and(eq(runs.owner, candidate.owner), gt(runs.createdAt, since)))
        .get(),
      db
        .select({ n: count(), oldest: min(runTombstones.createdAt) })
        .from(runTombstones)
        .where(and(eq(runTombstones.owner, candidate.owner), gt(runTombstones.createdAt, since)))
        .get(),
    ]);
    if ((live?.n ?? 0) + (gone?.n ?? 0) >= limits.submissionsPerMinute) {
      const oldest = Math.min(live?.oldest ?? now, gone?.oldest ?? now);
      return { kind: "per-minute", limit: limits.submissionsPerMinute, retryAfterSeconds: Math.max(1, Math.ceil((oldest + MINUTE_MS - now) / 1000)) };
    }
  }
  // The active-runs limit, or a per-minute limit whose window has moved on since: either way the
  // caller waits a little and tries again.
  if (limits.maxActiveRuns !== null) return { kind: "active", limit: limits.maxActiveRuns };
  return { kind: "per-minute", limit: limits.submissionsPerMinute ?? 0, retryAfterSeconds: 1 };
}
