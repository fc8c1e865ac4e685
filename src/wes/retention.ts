/**
 * Retention (WES_RETENTION_DAYS): on every cron tick, one bounded batch of final runs that
 * finished more than N days ago is deleted exactly as DELETE /runs/{id} deletes them, with one log
 * line for the batch. Idempotent across ticks (a run deleted is no longer selected; one whose
 * deletion failed is selected again next tick) and safe beside a concurrent DELETE (both end in
 * the same conditional D1 batch: the second changes nothing).
 */
import { ConfigError } from "../settings/read";
import { database } from "../db/client";
import { expiredRuns } from "../db/run-delete";
import { describeError, log } from "../log";
import { retentionSettings } from "./ops-config";
import { deleteRun } from "./run-deletion";

const DAY_MS = 86_400_000;
/** Deletions in flight at once (each is a Durable Object call, S3 calls and one D1 batch). */
const CONCURRENCY = 5;

/** What one retention tick did. */
export interface RetentionResult {
  /** Runs selected (at most WES_RETENTION_BATCH). */
  selected: number;
  deleted: number;
  /** Deleted meanwhile by someone else (a DELETE request). */
  alreadyGone: number;
  failed: number;
}

/** Runs one retention batch; null when retention is off (or misconfigured, which is logged). */
export async function retentionTick(env: Env, now: number): Promise<RetentionResult | null> {
  let settings: ReturnType<typeof retentionSettings>;
  try {
    settings = retentionSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log("error", "retention.misconfigured", { problems: error.problems });
    return null;
  }
  if (settings.days === null) return null;
  const cutoff = now - settings.days * DAY_MS;
  const batch = await expiredRuns(database(env.DB), cutoff, settings.batch);
  const result: RetentionResult = { selected: batch.length, deleted: 0, alreadyGone: 0, failed: 0 };
  for (let i = 0; i < batch.length; i += CONCURRENCY) {
    await Promise.all(
      batch.slice(i, i + CONCURRENCY).map(async (run) => {
        try {
          const deleted = await deleteRun(env, run, { reason: "retention", by: null, now });
          if (deleted) result.deleted += 1;
          else result.alreadyGone += 1;
        } catch (error) {
          result.failed += 1;
          log("warn", "retention.delete_failed", { runId: run.id, error: describeError(error) });
        }
      }),
    );
  }
  if (batch.length > 0) {
    log(result.failed > 0 ? "warn" : "info", "retention.batch", { ...result, days: settings.days, cutoff: new Date(cutoff).toISOString() });
  }
  return result;
}
