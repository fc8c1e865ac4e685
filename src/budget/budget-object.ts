/**
 * The deployment's HealthOmics API budget: one Durable Object (named "global") that every run
 * object asks before each HealthOmics call, so the limits hold across all runs and isolates.
 *
 * - Polls and other calls `book` a slot on their operation's rate line (gcra.ts): call now, or set
 *   the alarm for the slot and call then. Quiet runs do not book while the line is busy: they are
 *   told to come back later, so at saturation active runs are served first.
 * - Starts go through a fair queue: runs `enqueueStart`; this object's alarm grants StartRun slots
 *   round-robin across users (submission order within a user) and wakes the granted run.
 * - A ThrottlingException reported by a run halves that bucket's rate; it recovers slowly (AIMD).
 *
 * State lives in the object's SQLite storage (tables `buckets`, `start_queue`, `start_users`,
 * `polls`); see docs/architecture.md.
 */
import { DurableObject } from "cloudflare:workers";
import { log } from "../log";
import { bucketNames, bucketOf, budgetSettings, quotaOf, type BudgetLine, type BudgetSettings } from "./budget-config";
import { afterThrottle, backlog, book, burstFor, recoveredFactor, type Line } from "./gcra";
import { markGranted, nextStart, queueStats, type QueuedStart } from "./start-queue";

/**
 * How urgently a call is wanted. `quiet` calls do not book while the line is busy; `spare` calls
 * (optional extras) take only a slot that is free now, and otherwise are not made.
 */
export type CallPriority = "urgent" | "normal" | "quiet" | "spare";

/** Answer to a booking: call at `at` (booked), or ask again at `at` (not booked). */
export interface Booking {
  at: number;
  booked: boolean;
}

/** Quiet calls do not book when the line is booked further ahead than this. */
const QUIET_MAX_WAIT_MS = 1000;
/** Spare calls book only a slot this close to now (what a run's budget gate counts as "now"). */
const SPARE_MAX_WAIT_MS = 50;
/** Most starts granted in one dispatcher alarm (a late alarm catches up, boundedly). */
const GRANTS_PER_ALARM = 50;

type BucketRow = {
  name: string;
  tat: number;
  factor: number;
  last_throttle: number;
  throttles: number;
  booked: number;
};

/** The budget Durable Object. */
export class BudgetObject extends DurableObject<Env> {
  #settings: BudgetSettings | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS buckets (name TEXT PRIMARY KEY, tat REAL NOT NULL, factor REAL NOT NULL, last_throttle INTEGER NOT NULL, throttles INTEGER NOT NULL, booked INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS start_queue (run_id TEXT PRIMARY KEY, user TEXT NOT NULL, submitted_at INTEGER NOT NULL, enqueued_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS start_users (user TEXT PRIMARY KEY, served INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS polls (run_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS sweeps (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL, summary TEXT NOT NULL);
    `);
    // Added after the first release: objects created before it get the column (every queued run at priority 0).
    const columns = this.ctx.storage.sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('start_queue')").toArray();
    if (!columns.some((c) => c.name === "priority")) this.ctx.storage.sql.exec("ALTER TABLE start_queue ADD COLUMN priority INTEGER NOT NULL DEFAULT 0");
    this.ctx.storage.sql.exec(`
      DROP INDEX IF EXISTS start_queue_user;
      CREATE INDEX IF NOT EXISTS start_queue_order ON start_queue (user, priority DESC, submitted_at, run_id);
    `);
  }

  get #config(): BudgetSettings {
    this.#settings ??= budgetSettings(this.env);
    return this.#settings;
  }

  #bucket(name: string): BucketRow {
    const row = this.ctx.storage.sql.exec<BucketRow>("SELECT * FROM buckets WHERE name = ?", name).toArray()[0];
    return row ?? { name, tat: 0, factor: 1, last_throttle: 0, throttles: 0, booked: 0 };
  }

  #saveBucket(row: BucketRow): void {
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO buckets (name, tat, factor, last_throttle, throttles, booked) VALUES (?, ?, ?, ?, ?, ?)",
      row.name,
      row.tat,
      row.factor,
      row.last_throttle,
      row.throttles,
      row.booked,
    );
  }

  /** Effective rate of a bucket now: quota × headroom × the AIMD factor. */
  #rate(row: BucketRow, now: number): number {
    const factor = recoveredFactor(row.factor, row.last_throttle, now);
    return quotaOf(this.#config, row.name) * this.#config.headroom * factor;
  }

  /** Books `count` calls of `operation` (see Booking). `runId` records when a run was last polled. */
  async book(operation: BudgetLine, priority: CallPriority, count = 1, runId?: string): Promise<Booking> {
    const now = Date.now();
    const row = this.#bucket(bucketOf(this.#config, operation));
    const rate = this.#rate(row, now);
    const burst = burstFor(rate);
    const waiting = backlog(row as Line, now, rate, burst);
    if (priority === "quiet" && waiting > QUIET_MAX_WAIT_MS) return { at: now + waiting, booked: false };
    if (priority === "spare" && waiting > SPARE_MAX_WAIT_MS) return { at: now + waiting, booked: false };
    let at = now;
    for (let i = 0; i < count; i++) at = Math.max(at, book(row as Line, now, rate, burst));
    row.booked += count;
    this.#saveBucket(row);
    if (runId && operation === "GetRun") this.ctx.storage.sql.exec("INSERT OR REPLACE INTO polls (run_id, at) VALUES (?, ?)", runId, at);
    return { at, booked: true };
  }

  /** A call of `operation` met ThrottlingException anyway (another tool shares the account): shrink, then recover slowly. */
  async throttled(operation: BudgetLine): Promise<void> {
    const now = Date.now();
    const row = this.#bucket(bucketOf(this.#config, operation));
    // last_throttle is the last halving: recovery counts from it, and the next halving waits a window.
    ({ factor: row.factor, halvedAt: row.last_throttle } = afterThrottle(row.factor, row.last_throttle, now));
    row.throttles += 1;
    this.#saveBucket(row);
    log("warn", "budget.throttled", { operation, factor: row.factor, throttles: row.throttles });
  }

  /**
   * Queues a run for StartRun (idempotent); the dispatcher wakes it with `grantStart` when its turn
   * comes. `priority` is the run's HealthOmics priority option (0 when unset).
   */
  async enqueueStart(runId: string, user: string, submittedAt: number, priority = 0): Promise<void> {
    this.ctx.storage.sql.exec(
      "INSERT OR IGNORE INTO start_queue (run_id, user, submitted_at, enqueued_at, priority) VALUES (?, ?, ?, ?, ?)",
      runId,
      user,
      submittedAt,
      Date.now(),
      priority,
    );
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now());
  }

  /** Removes a run from the start queue (it was cancelled or finished). */
  async dequeueStart(runId: string): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM start_queue WHERE run_id = ?", runId);
    this.ctx.storage.sql.exec("DELETE FROM polls WHERE run_id = ?", runId);
  }

  /** Forgets a finished run's poll record. */
  async forget(runId: string): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM polls WHERE run_id = ?", runId);
  }

  /** The dispatcher: grants StartRun slots fairly, then sleeps until the next slot. */
  override async alarm(): Promise<void> {
    for (let granted = 0; granted < GRANTS_PER_ALARM; ) {
      const next: QueuedStart | undefined = nextStart(this.ctx.storage.sql);
      if (!next) return; // queue empty: no alarm until the next enqueue
      const now = Date.now();
      const row = this.#bucket(bucketOf(this.#config, "StartRun"));
      const rate = this.#rate(row, now);
      const wait = backlog(row as Line, now, rate, burstFor(rate));
      if (wait > 0) {
        await this.ctx.storage.setAlarm(now + wait);
        return;
      }
      book(row as Line, now, rate, burstFor(rate));
      row.booked += 1;
      this.#saveBucket(row);
      markGranted(this.ctx.storage.sql, next, now * 1000 + granted);
      const stub = this.env.RUN_OBJECT.get(this.env.RUN_OBJECT.idFromName(next.runId));
      try {
        if (await stub.grantStart(now)) granted += 1;
      } catch (error) {
        // The run object will re-enqueue itself from its safety alarm; the slot is simply unused.
        log("warn", "budget.grant_failed", { runId: next.runId, error: String(error).slice(0, 200) });
      }
    }
    await this.ctx.storage.setAlarm(Date.now());
  }

  /**
   * Used by the scheduled sweep: makes sure the dispatcher's alarm is pending while runs wait in
   * the start queue, so a lost alarm delays starts by one sweep interval at most (the runs' own
   * safety re-enqueue is the second line). Returns whether it had to re-arm.
   */
  async ensureDispatching(): Promise<boolean> {
    if ((await this.ctx.storage.getAlarm()) !== null) return false;
    if (this.ctx.storage.sql.exec("SELECT 1 FROM start_queue LIMIT 1").toArray().length === 0) return false;
    await this.ctx.storage.setAlarm(Date.now());
    log("warn", "budget.dispatcher_rearmed", { queued: queueStats(this.ctx.storage.sql, Date.now()).length });
    return true;
  }

  /** Keeps what the last scheduled sweep found (shown by the admin endpoint). */
  async recordSweep(summary: Record<string, number>): Promise<void> {
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO sweeps (id, at, summary) VALUES (1, ?, ?)", Date.now(), JSON.stringify(summary));
  }

  /** Figures for the admin endpoint. */
  async stats(now = Date.now()): Promise<BudgetStats> {
    const buckets = this.ctx.storage.sql.exec<BucketRow>("SELECT * FROM buckets ORDER BY name").toArray();
    const names = bucketNames(this.#config);
    const polls = this.ctx.storage.sql.exec<{ n: number; oldest: number | null }>("SELECT COUNT(*) AS n, MIN(at) AS oldest FROM polls").one();
    return {
      mode: this.#config.mode,
      headroom: this.#config.headroom,
      buckets: names.map((name) => {
        const row = buckets.find((b) => b.name === name) ?? this.#bucket(name);
        const rate = this.#rate(row, now);
        return {
          name,
          quota: quotaOf(this.#config, name),
          rate,
          backlogMs: Math.round(backlog(row as Line, now, rate, burstFor(rate))),
          booked: row.booked,
          throttles: row.throttles,
        };
      }),
      startQueue: queueStats(this.ctx.storage.sql, now),
      polledRuns: polls.n,
      longestSincePollMs: polls.oldest === null ? 0 : Math.max(0, now - polls.oldest),
      lastSweep: this.#lastSweep(),
    };
  }

  #lastSweep(): BudgetStats["lastSweep"] {
    const row = this.ctx.storage.sql.exec<{ at: number; summary: string }>("SELECT at, summary FROM sweeps WHERE id = 1").toArray()[0];
    return row ? { at: new Date(row.at).toISOString(), ...(JSON.parse(row.summary) as Record<string, number>) } : null;
  }
}

/** What GET /admin/metrics shows of the budget. */
export interface BudgetStats {
  mode: string;
  headroom: number;
  buckets: Array<{ name: string; quota: number; rate: number; backlogMs: number; booked: number; throttles: number }>;
  startQueue: { length: number; users: number; oldestSubmittedAt: number | null; oldestWaitMs: number };
  polledRuns: number;
  longestSincePollMs: number;
  /** Last sweep: runs checked, re-armed (had no pending alarm), handed over, errors. */
  lastSweep: ({ at: string } & Record<string, number | string>) | null;
}
