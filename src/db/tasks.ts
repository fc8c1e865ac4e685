/** Queries on `tasks` for the API (the run's visibility is checked by the caller first). */
import { and, asc, eq, gt, or } from "drizzle-orm";
import type { Db } from "./client";
import { tasks, type TaskRow } from "./schema";

/** A page of a run's tasks in HealthOmics order, after `cursor`. */
export async function listTasks(db: Db, runId: string, limit: number, cursor?: { k: number; i: string }): Promise<TaskRow[]> {
  const after = cursor ? or(gt(tasks.position, cursor.k), and(eq(tasks.position, cursor.k), gt(tasks.id, cursor.i))) : undefined;
  return await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.runId, runId), after))
    .orderBy(asc(tasks.position), asc(tasks.id))
    .limit(limit)
    .all();
}

/** One task of a run. */
export async function findTask(db: Db, runId: string, taskId: string): Promise<TaskRow | undefined> {
  return await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.runId, runId), eq(tasks.id, taskId)))
    .get();
}
