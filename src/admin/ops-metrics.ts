/** The `deletions`, `retention` and `fair_use` sections of GET /admin/metrics. */
import type { Db } from "../db/client";
import { deletionsSince, usageByUser } from "../db/ops-stats";
import { fairUseLimits, retentionSettings } from "../wes/ops-config";

const DAY_MS = 86_400_000;

/** The sections, in the API's snake_case. */
export async function opsMetrics(env: Env, db: Db, now: number) {
  const retention = retentionSettings(env);
  const limits = fairUseLimits(env);
  const [deletions, users] = await Promise.all([deletionsSince(db, now - DAY_MS), usageByUser(db, now)]);
  return {
    deletions: { last_24h: { by_request: deletions.request, by_retention: deletions.retention } },
    retention: {
      days: retention.days,
      batch_per_tick: retention.batch,
      deleted_last_24h: deletions.retention,
      last_deleted_at: deletions.lastRetentionAt === null ? null : new Date(deletions.lastRetentionAt).toISOString(),
    },
    fair_use: {
      max_active_runs_per_user: limits.maxActiveRuns,
      submissions_per_minute_per_user: limits.submissionsPerMinute,
      users: users.map((u) => ({ user: u.user, active_runs: u.activeRuns, submissions_last_minute: u.submissionsLastMinute })),
    },
  };
}
