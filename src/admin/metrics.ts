/**
 * GET /admin/metrics — what operators need to see the API budget work (admins only): use and
 * throttles per HealthOmics operation and per CloudWatch Logs / S3 line, the start queue (length, oldest queued run), poll
 * staleness, runs by state, what the last scheduled sweep found (runs without a pending alarm),
 * deletions and retention, each user's counts against the per-user limits, and workflow packages
 * (active, being retired, retired).
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { identify, principalOf, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { countStates, oldestQueuedRun } from "../db/runs";
import { WesError } from "../errors";
import { budgetStub } from "../budget/stub";
import { opsMetrics } from "./ops-metrics";
import { isSideOperation } from "../settings/side-quotas";
import { packageCounts } from "../executors/healthomics/packages/store";
import { sourceSettings } from "../executors/healthomics/sources/sources-config";

type BucketStats = Awaited<ReturnType<ReturnType<typeof budgetStub>["stats"]>>["buckets"][number];

/** One budget line as the endpoint shows it. */
function lineView(b: BucketStats, key: "operation" | "line") {
  return {
    [key]: b.name,
    quota_per_second: b.quota,
    budget_per_second: Number(b.rate.toFixed(3)),
    share_of_quota: Number((b.rate / b.quota).toFixed(3)),
    calls_booked: b.booked,
    backlog_seconds: b.backlogMs / 1000,
    throttles: b.throttles,
  };
}

/** Path of the metrics endpoint. */
export const METRICS_PATH = "/admin/metrics";

/** Registers GET /admin/metrics. */
export function registerAdminMetrics(app: Hono<AppEnv>): void {
  app.get(METRICS_PATH, identify, requireUser, async (c) => {
    if (!principalOf(c).admin) throw new WesError(403, "Only admins (WES_ADMINS) may read the service metrics.");
    const now = Date.now();
    const db = database(c.env.DB);
    const [budget, states, oldest, ops, packages] = await Promise.all([
      budgetStub(c.env).stats(now),
      countStates(db, { all: true }),
      oldestQueuedRun(db),
      opsMetrics(c.env, db, now),
      packageCounts(db),
    ]);
    const retireDays = sourceSettings(c.env).retireDays;
    return c.json({
      time: new Date(now).toISOString(),
      healthomics_budget: {
        mode: budget.mode,
        headroom: budget.headroom,
        operations: budget.buckets.filter((b) => !isSideOperation(b.name)).map((b) => lineView(b, "operation")),
      },
      // CloudWatch Logs (run and task logs) and S3 reads (outputs): quotas of their own.
      logs_s3_budget: {
        headroom: budget.headroom,
        lines: budget.buckets.filter((b) => isSideOperation(b.name)).map((b) => lineView(b, "line")),
      },
      start_queue: {
        length: budget.startQueue.length,
        users: budget.startQueue.users,
        oldest_wait_seconds: budget.startQueue.oldestWaitMs / 1000,
      },
      runs_by_state: states,
      oldest_queued_run: oldest ? { run_id: oldest.id, queued_seconds: (now - oldest.createdAt) / 1000 } : null,
      polling: { runs_polled: budget.polledRuns, longest_since_last_poll_seconds: budget.longestSincePollMs / 1000 },
      last_sweep: budget.lastSweep,
      ...ops,
      workflow_packages: { ...packages, retire_days: retireDays > 0 ? retireDays : null },
    });
  });
}
