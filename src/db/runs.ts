/**
 * Queries on `runs` (and `attachments`) for the API. Visibility is enforced here: every read takes
 * the caller's scope, so a route cannot forget it. Another user's run is simply not found.
 */
import { and, count, desc, eq, inArray, isNull, lt, or } from "drizzle-orm";
import type { Db } from "./client";
import { attachments, runs, runTags, type NewRunRow, type RunRow } from "./schema";

/** Whose runs a query may see: one user's, or every run (admins). */
export type Scope = { user: string } | { all: true };

function visible(scope: Scope) {
  return "all" in scope ? undefined : eq(runs.owner, scope.user);
}

/** A file to store with a new run. */
export interface NewAttachment {
  path: string;
  contentType: string | null;
  data: Uint8Array;
}

/** Result of storing a submission: a new run, or the run an earlier request with the same Idempotency-Key created. */
export type InsertRunResult = { kind: "created"; run: RunRow } | { kind: "existing"; run: RunRow };

/**
 * Stores a new run, its tags (`run_tags`) and its attachments atomically (one D1 batch). With an idempotency key, a
 * second request with the same key finds the first run instead (unique index on owner + key).
 */
export async function insertRun(db: Db, row: NewRunRow, files: NewAttachment[]): Promise<InsertRunResult> {
  const byKey = async () =>
    row.idempotencyKey == null
      ? undefined
      : await db
          .select()
          .from(runs)
          .where(and(eq(runs.owner, row.owner), eq(runs.idempotencyKey, row.idempotencyKey)))
          .get();
  const earlier = await byKey();
  if (earlier) return { kind: "existing", run: earlier };
  const insert = db.insert(runs).values(row);
  // D1 binds at most 100 parameters per statement: 5 columns, so 20 tags per insert.
  const tagValues = Object.entries(row.tags).map(([key, value]) => ({ runId: row.id, key, value, owner: row.owner, createdAt: row.createdAt }));
  const tagRows = [];
  for (let i = 0; i < tagValues.length; i += 20) tagRows.push(db.insert(runTags).values(tagValues.slice(i, i + 20)));
  const attach = files.map((file) =>
    db.insert(attachments).values({ runId: row.id, path: file.path, contentType: file.contentType, size: file.data.byteLength, data: file.data }),
  );
  try {
    await db.batch([insert, ...tagRows, ...attach]);
  } catch (error) {
    // Lost a race for the same Idempotency-Key (unique index): the batch rolled back as a whole.
    const winner = await byKey();
    if (winner) return { kind: "existing", run: winner };
    throw error;
  }
  const created = await db.select().from(runs).where(eq(runs.id, row.id)).get();
  if (!created) throw new Error(`run ${row.id} was not stored`);
  return { kind: "created", run: created };
}

/** One run, if the scope may see it. */
export async function findRun(db: Db, scope: Scope, id: string): Promise<RunRow | undefined> {
  return await db
    .select()
    .from(runs)
    .where(and(eq(runs.id, id), visible(scope)))
    .get();
}

/** Number of runs per state within the scope (states without runs are absent). */
export async function countStates(db: Db, scope: Scope): Promise<Record<string, number>> {
  const rows = await db.select({ state: runs.state, n: count() }).from(runs).where(visible(scope)).groupBy(runs.state).all();
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** The run a HealthOmics run uuid belongs to (events identify runs by uuid: ids are reused). */
export async function findRunByOmicsUuid(db: Db, uuid: string): Promise<Pick<RunRow, "id" | "state"> | undefined> {
  return await db.select({ id: runs.id, state: runs.state }).from(runs).where(eq(runs.omicsRunUuid, uuid)).get();
}

/** WES states of runs that may still change (HealthOmics ids are reused, so only these are matched by id). */
const LIVE_STATES = ["QUEUED", "INITIALIZING", "RUNNING", "PAUSED", "CANCELING", "UNKNOWN"];
/** Most runs one id-matched event may wake (id reuse makes more than one possible, never many). */
const MAX_ID_MATCHES = 5;

/**
 * Live runs whose HealthOmics run has this id — and, when `arn` is given, this ARN (or no ARN
 * recorded) — for events that lack the run uuid (index runs_omics_run_id).
 */
export async function findLiveRunsByOmicsRunId(db: Db, runId: string, arn?: string): Promise<Array<Pick<RunRow, "id" | "state">>> {
  const byId = and(eq(runs.omicsRunId, runId), inArray(runs.state, LIVE_STATES));
  const where = arn === undefined ? byId : and(byId, or(eq(runs.omicsRunArn, arn), isNull(runs.omicsRunArn)));
  return await db.select({ id: runs.id, state: runs.state }).from(runs).where(where).limit(MAX_ID_MATCHES).all();
}

/** The oldest run still waiting to start (QUEUED), for the admin metrics. */
export async function oldestQueuedRun(db: Db): Promise<Pick<RunRow, "id" | "createdAt"> | undefined> {
  return await db.select({ id: runs.id, createdAt: runs.createdAt }).from(runs).where(eq(runs.state, "QUEUED")).orderBy(runs.createdAt).limit(1).get();
}
