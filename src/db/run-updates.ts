/**
 * Writes the run's Durable Object makes to D1 — only when something changed (the object compares
 * before calling). Every state write is conditional on the run not being final yet, so a late or
 * duplicated step can never move a finished run, and CANCELING never goes back to a live state.
 */
import { and, asc, eq, inArray, lt, notInArray, sql, type SQL } from "drizzle-orm";
import { log } from "../log";
import { FINAL_STATES, LIVE_STATES, type WesState } from "../wes/states";
import type { Db } from "./client";
import { runs, tasks, type NewTaskRow, type RunRow } from "./schema";

const FINAL: WesState[] = [...FINAL_STATES];
const LIVE: WesState[] = [...LIVE_STATES];

/** `system_logs` with lines appended atomically in SQL (no read-modify-write race). */
function appendLogs(lines: string[]): SQL {
  let expression: SQL = sql`${runs.systemLogs}`;
  for (const line of lines) expression = sql`json_insert(${expression}, '$[#]', ${line})`;
  return expression;
}

/** A change to record on a run. Absent fields are left as they are. */
export interface RunChange {
  state?: WesState;
  omicsRunId?: string;
  omicsRunUuid?: string;
  omicsRunArn?: string;
  omicsStatus?: string;
  omicsFailureReason?: string | null;
  omicsStatusMessage?: string | null;
  startTime?: string;
  endTime?: string;
  runName?: string;
  exitCode?: number;
  outputs?: Record<string, unknown>;
  canceledBy?: string;
  cancelRequestedAt?: number;
  logLines?: string[];
}

/**
 * Applies `change` unless the run is already final (and, when `onlyFrom` is given, only from
 * those states). Returns the state the run has afterwards, and whether the write happened.
 */
export async function applyRunChange(
  db: Db,
  runId: string,
  change: RunChange,
  onlyFrom?: WesState[],
): Promise<{ applied: boolean; state: WesState | undefined }> {
  const { logLines, ...columns } = change;
  const set: Record<string, unknown> = { ...columns, updatedAt: Date.now() };
  if (logLines && logLines.length > 0) set.systemLogs = appendLogs(logLines);
  // A run that is CANCELING stays CANCELING until a final state arrives.
  const guard =
    change.state && !FINAL_STATES.has(change.state) && change.state !== "CANCELING"
      ? and(notInArray(runs.state, FINAL), sql`${runs.state} <> 'CANCELING'`)
      : notInArray(runs.state, FINAL);
  const where = and(eq(runs.id, runId), guard, onlyFrom ? inArray(runs.state, onlyFrom) : undefined);
  const result = await db.update(runs).set(set).where(where).run();
  const applied = (result.meta.changes ?? 0) > 0;
  log("info", "d1.write", { runId, table: "runs", rows: result.meta.changes ?? 0, state: change.state });
  if (applied && change.state) return { applied, state: change.state };
  const row = await db.select({ state: runs.state }).from(runs).where(eq(runs.id, runId)).get();
  return { applied, state: row?.state };
}

/** Appends log lines to a run whatever its state (e.g. why a queued start is waiting). */
export async function appendRunLogs(db: Db, runId: string, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  await db
    .update(runs)
    .set({ systemLogs: appendLogs(lines), updatedAt: Date.now() })
    .where(eq(runs.id, runId))
    .run();
  log("info", "d1.write", { runId, table: "runs", rows: 1 });
}

/** The run row the object needs to start (request, resolved workflow type, state). */
export async function loadRun(db: Db, runId: string): Promise<RunRow | undefined> {
  return await db.select().from(runs).where(eq(runs.id, runId)).get();
}

/** Inserts or updates tasks by (run, task id), in one batch of statements. */
export async function upsertTasks(db: Db, rows: NewTaskRow[]): Promise<void> {
  if (rows.length === 0) return;
  const statements = rows.map((row) =>
    db
      .insert(tasks)
      .values(row)
      .onConflictDoUpdate({
        target: [tasks.runId, tasks.id],
        set: {
          position: row.position,
          name: row.name,
          status: row.status,
          startTime: row.startTime,
          endTime: row.endTime,
          exitCode: row.exitCode,
          systemLogs: row.systemLogs,
          stdout: row.stdout,
          stderr: row.stderr,
          updatedAt: row.updatedAt,
        },
      }),
  );
  // D1 batches run as one transaction; keep each batch to a modest size.
  for (let i = 0; i < statements.length; i += 50) {
    const chunk = statements.slice(i, i + 50);
    await db.batch(chunk as [(typeof chunk)[0], ...typeof chunk]);
  }
  log("info", "d1.write", { runId: rows[0]!.runId, table: "tasks", rows: rows.length });
}

/**
 * Live runs the scheduled sweep should check: not updated since `quietBefore`, least recently
 * swept first (the sweep rotates through all of them, `limit` per invocation).
 */
export async function runsToSweep(db: Db, quietBefore: number, limit: number): Promise<Array<{ id: string; state: string }>> {
  return await db
    .select({ id: runs.id, state: runs.state })
    .from(runs)
    .where(and(inArray(runs.state, LIVE), lt(runs.updatedAt, quietBefore)))
    .orderBy(sql`${runs.sweptAt} IS NOT NULL`, asc(runs.sweptAt))
    .limit(limit)
    .all();
}

/** Records that the sweep checked these runs. */
export async function markSwept(db: Db, ids: string[], at: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 90) {
    await db
      .update(runs)
      .set({ sweptAt: at })
      .where(inArray(runs.id, ids.slice(i, i + 90)))
      .run();
  }
}
