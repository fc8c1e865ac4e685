/** Figures of deletion, retention and fair use for GET /admin/metrics. */
import { and, count, desc, eq, gt, inArray, max } from "drizzle-orm";
import { LIVE_STATES } from "../wes/states";
import { MINUTE_MS } from "./admission";
import type { Db } from "./client";
import { runs, runTombstones } from "./schema";

/** Most users listed by the fair-use figures (the busiest first). */
export const MAX_USERS_LISTED = 100;

/** One user's counts against the per-user limits. */
export interface UserUsage {
  user: string;
  activeRuns: number;
  submissionsLastMinute: number;
}

/**
 * Queued and active runs per user (runs_state_created: every live run is read once) and
 * submissions in the last minute per user (runs_created and run_tombstones_owner_created ranges),
 * the busiest users first.
 */
export async function usageByUser(db: Db, now: number): Promise<UserUsage[]> {
  const since = now - MINUTE_MS;
  const [active, recent, recentDeleted] = await Promise.all([
    db
      .select({ user: runs.owner, n: count() })
      .from(runs)
      .where(inArray(runs.state, [...LIVE_STATES]))
      .groupBy(runs.owner)
      .all(),
    db.select({ user: runs.owner, n: count() }).from(runs).where(gt(runs.createdAt, since)).groupBy(runs.owner).all(),
    db.select({ user: runTombstones.owner, n: count() }).from(runTombstones).where(gt(runTombstones.createdAt, since)).groupBy(runTombstones.owner).all(),
  ]);
  const users = new Map<string, UserUsage>();
  const entry = (user: string) => {
    let usage = users.get(user);
    if (!usage) {
      usage = { user, activeRuns: 0, submissionsLastMinute: 0 };
      users.set(user, usage);
    }
    return usage;
  };
  for (const row of active) entry(row.user).activeRuns = row.n;
  for (const row of [...recent, ...recentDeleted]) entry(row.user).submissionsLastMinute += row.n;
  return [...users.values()]
    .sort((a, b) => b.activeRuns - a.activeRuns || b.submissionsLastMinute - a.submissionsLastMinute || (a.user < b.user ? -1 : 1))
    .slice(0, MAX_USERS_LISTED);
}

/** Deletions since `since` by reason, and the last one's time (run_tombstones_reason_deleted). */
export async function deletionsSince(db: Db, since: number): Promise<{ request: number; retention: number; lastRetentionAt: number | null }> {
  const byReason = (reason: "request" | "retention") =>
    db
      .select({ n: count(), last: max(runTombstones.deletedAt) })
      .from(runTombstones)
      .where(and(eq(runTombstones.reason, reason), gt(runTombstones.deletedAt, since)))
      .get();
  const [request, retention, lastRetention] = await Promise.all([
    byReason("request"),
    byReason("retention"),
    db
      .select({ at: runTombstones.deletedAt })
      .from(runTombstones)
      .where(eq(runTombstones.reason, "retention"))
      .orderBy(desc(runTombstones.deletedAt))
      .limit(1)
      .get(),
  ]);
  return { request: request?.n ?? 0, retention: retention?.n ?? 0, lastRetentionAt: lastRetention?.at ?? null };
}
