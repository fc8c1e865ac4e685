/**
 * The fair start queue's SQL (in the budget object's storage): the next run to start is the head
 * of the queue of the user served least recently (round-robin across users, so one user's
 * 10,000-sample burst cannot hold everyone else back). A user's own queue is ordered by the
 * HealthOmics `priority` option (higher value first, as the model's DefaultRunSetting describes
 * it), then by submission: priority reorders a user's own runs, never their turn against others.
 */

/** A queued start. */
export interface QueuedStart {
  runId: string;
  user: string;
}

/** The next run to grant a StartRun slot, or undefined when nobody waits. */
export function nextStart(sql: SqlStorage): QueuedStart | undefined {
  const row = sql
    .exec<{ run_id: string; user: string }>(
      `SELECT h.run_id, h.user
         FROM (SELECT run_id, user, submitted_at,
                      ROW_NUMBER() OVER (PARTITION BY user ORDER BY priority DESC, submitted_at ASC, run_id ASC) AS place
                 FROM start_queue) h
         LEFT JOIN start_users u ON u.user = h.user
        WHERE h.place = 1
        ORDER BY COALESCE(u.served, 0) ASC, h.submitted_at ASC, h.run_id ASC
        LIMIT 1`,
    )
    .toArray()[0];
  return row ? { runId: row.run_id, user: row.user } : undefined;
}

/** Queue length, users waiting, and the oldest waiting submission. */
export function queueStats(sql: SqlStorage, now: number): { length: number; users: number; oldestSubmittedAt: number | null; oldestWaitMs: number } {
  const row = sql
    .exec<{ n: number; users: number; oldest: number | null }>(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT user) AS users, MIN(submitted_at) AS oldest FROM start_queue",
    )
    .one();
  return { length: row.n, users: row.users, oldestSubmittedAt: row.oldest, oldestWaitMs: row.oldest === null ? 0 : Math.max(0, now - row.oldest) };
}

/** Takes a run off the queue and records its user as just served (it goes to the back of the round). */
export function markGranted(sql: SqlStorage, start: QueuedStart, servedSeq: number): void {
  sql.exec("DELETE FROM start_queue WHERE run_id = ?", start.runId);
  sql.exec("INSERT INTO start_users (user, served) VALUES (?, ?) ON CONFLICT(user) DO UPDATE SET served = excluded.served", start.user, servedSeq);
}
