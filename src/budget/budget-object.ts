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
import { bucketOf, budgetSettings, quotaOf, type BudgetOperation, type BudgetSettings } from "./budget-config";
import { backlog } from "./gcra";
import { bookCalls, grantSlot, idleLine, lineRate, throttleLine, type Booking, type CallPriority, type RateLine } from "./booking";
import { markGranted, nextStart, queueStats, type QueuedStart } from "./start-queue";

export type { Booking, CallPriority } from "./booking";

/** Most starts granted in one dispatcher alarm (a late alarm catches up, boundedly). */
const GRANTS_PER_ALARM = 50;

/** A row of the `buckets` table. */
type BucketRow = {
  name: string;
  tat: number;
  factor: number;
  last_throttle: number;
  throttles: number;
  booked: number;
  quiet_tat: number;
};

/** A named rate line, as the booking rules see it. */
type Bucket = RateLine & { name: string };

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
    // Columns added after the first release: objects created before get them (every queued run at
    // priority 0; no quiet call told to come back yet).
    const columns = (table: string) => this.ctx.storage.sql.exec<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`).toArray();
    if (!columns("start_queue").some((c) => c.name === "priority"))
      this.ctx.storage.sql.exec("ALTER TABLE start_queue ADD COLUMN priority INTEGER NOT NULL DEFAULT 0");
    if (!columns("buckets").some((c) => c.name === "quiet_tat")) this.ctx.storage.sql.exec("ALTER TABLE buckets ADD COLUMN quiet_tat REAL NOT NULL DEFAULT 0");
    this.ctx.storage.sql.exec(`
      DROP INDEX IF EXISTS start_queue_user;
      CREATE INDEX IF NOT EXISTS start_queue_order ON start_queue (user, priority DESC, submitted_at, run_id);
    `);
  }

  get #config(): BudgetSettings {
    this.#settings ??= budgetSettings(this.env);
    return this.#settings;
  }

  #bucket(name: string): Bucket {
    const row = this.ctx.storage.sql.exec<BucketRow>("SELECT * FROM buckets WHERE name = ?", name).toArray()[0];
    if (!row) return { name, ...idleLine() };
    return { name, tat: row.tat, factor: row.factor, lastThrottle: row.last_throttle, throttles: row.throttles, booked: row.booked, quietTat: row.quiet_tat };
  }

  #saveBucket(bucket: Bucket): void {
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO buckets (name, tat, factor, last_throttle, throttles, booked, quiet_tat) VALUES (?, ?, ?, ?, ?, ?, ?)",
      bucket.name,
      bucket.tat,
      bucket.factor,
      bucket.lastThrottle,
      bucket.throttles,
      bucket.booked,
      bucket.quietTat,
    );
  }

  /** Effective rate of a bucket now: quota × headroom × the AIMD factor. */
  #rate(bucket: Bucket, now: number): number {
    return lineRate(bucket, quotaOf(this.#config, bucket.name), this.#config.headroom, now);
  }

  /** Books `count` calls of `operation` (see Booking). `runId` records when a run was last polled. */
  async book(operation: BudgetOperation, priority: CallPriority, count = 1, runId?: string): Promise<Booking> {
    const now = Date.now();
    const bucket = this.#bucket(bucketOf(this.#config, operation));
    const booking = bookCalls(bucket, this.#rate(bucket, now), priority, count, now);
    this.#saveBucket(bucket);
    if (!booking.booked) return booking;
    if (runId && operation === "GetRun") this.ctx.storage.sql.exec("INSERT OR REPLACE INTO polls (run_id, at) VALUES (?, ?)", runId, booking.at);
    return booking;
  }

  /** A call of `operation` met ThrottlingException anyway (another tool shares the account): shrink, then recover slowly. */
  async throttled(operation: BudgetOperation): Promise<void> {
    const bucket = this.#bucket(bucketOf(this.#config, operation));
    throttleLine(bucket, Date.now());
    this.#saveBucket(bucket);
    log("warn", "budget.throttled", { operation, factor: bucket.factor, throttles: bucket.throttles });
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

  /** The dispatcher: grants StartRun slots fairly, then sleeps until the next slot. */
  override async alarm(): Promise<void> {
    for (let granted = 0; granted < GRANTS_PER_ALARM; ) {
      const next: QueuedStart | undefined = nextStart(this.ctx.storage.sql);
      if (!next) return; // queue empty: no alarm until the next enqueue
      const now = Date.now();
      const bucket = this.#bucket(bucketOf(this.#config, "StartRun"));
      const slot = grantSlot(bucket, this.#rate(bucket, now), now);
      if ("wait" in slot) {
        await this.ctx.storage.setAlarm(now + slot.wait);
        return;
      }
      this.#saveBucket(bucket);
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
    const buckets = this.ctx.storage.sql
      .exec<{ name: string }>("SELECT name FROM buckets")
      .toArray()
      .map((b) => b.name);
    const names = this.#config.mode === "shared" ? ["Shared"] : Object.keys(this.#config.quotas);
    const polls = this.ctx.storage.sql.exec<{ n: number; oldest: number | null }>("SELECT COUNT(*) AS n, MIN(at) AS oldest FROM polls").one();
    return {
      mode: this.#config.mode,
      headroom: this.#config.headroom,
      buckets: names.map((name) => {
        const bucket = buckets.includes(name) ? this.#bucket(name) : { name, ...idleLine() };
        return {
          name,
          quota: quotaOf(this.#config, name),
          rate: this.#rate(bucket, now),
          backlogMs: Math.round(backlog(bucket, now)),
          booked: bucket.booked,
          throttles: bucket.throttles,
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
