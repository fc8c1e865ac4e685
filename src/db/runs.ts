/**
 * Queries on `runs` (and `attachments`) for the API. Visibility is enforced here: every read takes
 * the caller's scope, so a route cannot forget it. Another user's run is simply not found.
 */
import { and, count, desc, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { type Limits, type Refusal, refusalCondition, takeBack, whichLimit, deletedSubmission } from "./admission";
import type { Db } from "./client";
import { LIVE_STATES } from "../wes/states";
import { attachments, runs, runTags, type NewRunRow, type RunRow } from "./schema";

/** Whose runs a query may see: one user's, or every run (admins). */
export type Scope = { user: string } | { all: true };

function visible(scope: Scope) {
  return "all" in scope ? undefined : eq(runs.owner, scope.user);
}

/** A file to store with a new run: its bytes are in the ATTACHMENTS bucket under `objectKey`. */
export interface NewAttachment {
  path: string;
  contentType: string | null;
  size: number;
  objectKey: string;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
}

/**
 * Result of storing a submission: a new run, the run an earlier request with the same
 * Idempotency-Key created, or a refusal (the key belongs to a deleted run, or a per-user limit).
 */
export type InsertRunResult = { kind: "created"; run: RunRow } | { kind: "existing"; run: RunRow } | { kind: "refused"; refusal: Refusal };

const NO_LIMITS: Limits = { maxActiveRuns: null, submissionsPerMinute: null };

/**
 * Stores a new run, its tags (`run_tags`) and its attachments atomically (one D1 batch). With an idempotency key, a
 * second request with the same key finds the first run instead (unique index on owner + key), and
 * is never refused by the limits. The limits and the tombstone of a deleted submission are
 * checked inside the batch (src/db/admission.ts).
 */
export async function insertRun(db: Db, row: NewRunRow, files: NewAttachment[], limits: Limits = NO_LIMITS): Promise<InsertRunResult> {
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
  if (row.idempotencyKey != null) {
    const deleted = await deletedSubmission(db, row.owner, row.idempotencyKey);
    if (deleted) return { kind: "refused", refusal: deleted };
  }
  const insert = db.insert(runs).values(row);
  // D1 binds at most 100 parameters per statement: 5 columns, so 20 tags per insert.
  const tagValues = Object.entries(row.tags).map(([key, value]) => ({ runId: row.id, key, value, owner: row.owner, createdAt: row.createdAt }));
  const tagRows = [];
  for (let i = 0; i < tagValues.length; i += 20) tagRows.push(db.insert(runTags).values(tagValues.slice(i, i + 20)));
  const attach = files.map((file) =>
    db
      .insert(attachments)
      .values({ runId: row.id, path: file.path, contentType: file.contentType, size: file.size, objectKey: file.objectKey, sha256: file.sha256 }),
  );
  const candidate = { id: row.id, owner: row.owner, idempotencyKey: row.idempotencyKey, createdAt: row.createdAt };
  const condition = refusalCondition(candidate, limits);
  try {
    if (condition) {
      const results = await db.batch([insert, ...tagRows, ...attach, takeBack(db, row.id, condition)]);
      const takenBack = (results.at(-1) as D1Result).meta.changes > 0;
      if (takenBack) return { kind: "refused", refusal: await whichLimit(db, candidate, limits, Date.now()) };
    } else {
      await db.batch([insert, ...tagRows, ...attach]);
    }
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

/** The columns of a run a listing shows (RunSummary) and pages by: not the request, logs or outputs. */
export const SUMMARY_COLUMNS = {
  id: runs.id,
  state: runs.state,
  startTime: runs.startTime,
  endTime: runs.endTime,
  tags: runs.tags,
  createdAt: runs.createdAt,
};

/** A run as a listing shows it. */
export type RunSummaryRow = Pick<RunRow, keyof typeof SUMMARY_COLUMNS>;

/**
 * The reads every poll makes (GET /runs/{id}, its status, GET /runs), as prepared statements built
 * once per client: drizzle builds a query's SQL anew on every call, which cost as much CPU as the
 * rest of the route (docs/performance.md, "Overhead"). One statement per scope (a user's runs, or
 * every run) and, for pages, with and without a cursor.
 */
function prepareReads(db: Db) {
  const id = sql.placeholder("id");
  const user = sql.placeholder("user");
  const limit = sql.placeholder("limit");
  const k = sql.placeholder("k");
  const i = sql.placeholder("i");
  const own = eq(runs.owner, user);
  const after = or(lt(runs.createdAt, k), and(eq(runs.createdAt, k), lt(runs.id, i)));
  const page = (where: SQL | undefined) =>
    db.select(SUMMARY_COLUMNS).from(runs).where(where).orderBy(desc(runs.createdAt), desc(runs.id)).limit(limit).prepare();
  return {
    run: {
      own: db
        .select()
        .from(runs)
        .where(and(eq(runs.id, id), own))
        .prepare(),
      all: db.select().from(runs).where(eq(runs.id, id)).prepare(),
    },
    state: {
      own: db
        .select({ id: runs.id, state: runs.state })
        .from(runs)
        .where(and(eq(runs.id, id), own))
        .prepare(),
      all: db.select({ id: runs.id, state: runs.state }).from(runs).where(eq(runs.id, id)).prepare(),
    },
    page: { own: page(own), all: page(undefined), ownAfter: page(and(own, after)), allAfter: page(after) },
  };
}

const prepared = new WeakMap<Db, ReturnType<typeof prepareReads>>();

function reads(db: Db): ReturnType<typeof prepareReads> {
  let statements = prepared.get(db);
  if (!statements) {
    statements = prepareReads(db);
    prepared.set(db, statements);
  }
  return statements;
}

/** One run, if the scope may see it. */
export async function findRun(db: Db, scope: Scope, id: string): Promise<RunRow | undefined> {
  const { run } = reads(db);
  return "all" in scope ? await run.all.get({ id }) : await run.own.get({ id, user: scope.user });
}

/** The state of one run, if the scope may see it (GET /runs/{id}/status reads nothing else). */
export async function findRunState(db: Db, scope: Scope, id: string): Promise<Pick<RunRow, "id" | "state"> | undefined> {
  const { state } = reads(db);
  return "all" in scope ? await state.all.get({ id }) : await state.own.get({ id, user: scope.user });
}

/** A page of runs, newest first (creation time, then id, both descending), after `cursor`. */
export async function listRuns(db: Db, scope: Scope, limit: number, cursor?: { k: number; i: string }): Promise<RunSummaryRow[]> {
  const { page } = reads(db);
  if ("all" in scope) return cursor ? await page.allAfter.all({ limit, k: cursor.k, i: cursor.i }) : await page.all.all({ limit });
  return cursor ? await page.ownAfter.all({ limit, user: scope.user, k: cursor.k, i: cursor.i }) : await page.own.all({ limit, user: scope.user });
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

/** Most runs one id-matched event may wake (id reuse makes more than one possible, never many). */
const MAX_ID_MATCHES = 5;

/**
 * Live runs whose HealthOmics run has this id — and, when `arn` is given, this ARN (or no ARN
 * recorded) — for events that lack the run uuid (index runs_omics_run_id).
 */
export async function findLiveRunsByOmicsRunId(db: Db, runId: string, arn?: string): Promise<Array<Pick<RunRow, "id" | "state">>> {
  // Only runs that may still change: HealthOmics ids are reused.
  const byId = and(eq(runs.omicsRunId, runId), inArray(runs.state, [...LIVE_STATES]));
  const where = arn === undefined ? byId : and(byId, or(eq(runs.omicsRunArn, arn), isNull(runs.omicsRunArn)));
  return await db.select({ id: runs.id, state: runs.state }).from(runs).where(where).limit(MAX_ID_MATCHES).all();
}

/** The oldest run still waiting to start (QUEUED), for the admin metrics. */
export async function oldestQueuedRun(db: Db): Promise<Pick<RunRow, "id" | "createdAt"> | undefined> {
  return await db.select({ id: runs.id, createdAt: runs.createdAt }).from(runs).where(eq(runs.state, "QUEUED")).orderBy(runs.createdAt).limit(1).get();
}
