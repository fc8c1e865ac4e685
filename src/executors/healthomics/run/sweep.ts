/**
 * The scheduled sweep (cron, every 5 minutes): finds live runs that have not reported for longer
 * than a quiet run ever should, and asks each one's Durable Object to make sure it has a pending
 * alarm — or to take the run over if its hand-over from POST /runs was lost. So no run is ever
 * stranded. Runs are checked least-recently-swept first, a bounded number per invocation. It also
 * re-arms the budget's start dispatcher if runs wait in its queue without a pending alarm.
 */
import { database } from "../../../db/client";
import { markSwept, runsToSweep } from "../../../db/run-updates";
import { describeError, log } from "../../../log";
import { budgetStub } from "../../../budget/stub";
import type { SweepResult } from "./run-object";

/** Most runs checked per sweep (each costs one Durable Object call). */
export const SWEEP_BATCH = 200;
/** A live run quiet for longer than this is checked (the longest poll interval is far shorter). */
export const QUIET_MS = 15 * 60_000;

/** Runs one sweep; returns what it found per run (for logs and tests). */
export async function sweepRuns(env: Env, now: number): Promise<Record<SweepResult | "error", number>> {
  const db = database(env.DB);
  const candidates = await runsToSweep(db, now - QUIET_MS, SWEEP_BATCH);
  const counts: Record<SweepResult | "error", number> = { scheduled: 0, rearmed: 0, "handed-over": 0, finished: 0, error: 0 };
  await Promise.all(
    candidates.map(async ({ id }) => {
      try {
        const stub = env.RUN_OBJECT.get(env.RUN_OBJECT.idFromName(id));
        counts[await stub.ensureScheduled(id)] += 1;
      } catch (error) {
        counts.error += 1;
        log("warn", "sweep.check_failed", { runId: id, error: describeError(error) });
      }
    }),
  );
  await markSwept(
    db,
    candidates.map((c) => c.id),
    now,
  );
  const budget = budgetStub(env);
  const dispatcherRearmed = await budget.ensureDispatching();
  await budget.recordSweep({ checked: candidates.length, ...counts, dispatcherRearmed: dispatcherRearmed ? 1 : 0 });
  if (candidates.length > 0) log("info", "sweep.done", { checked: candidates.length, ...counts });
  return counts;
}
