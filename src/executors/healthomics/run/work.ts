/**
 * A run's pending work as data: each kind of work it may need has a due time, and a budget slot
 * booked for the work's HealthOmics call is simply that work's due time (`booked`). News (a
 * cancel, an event, a start grant) only ever makes work due earlier — a booked slot counting as
 * earlier than any time not booked, since it is the earliest its call can actually go — and the
 * steps set their own next due times. decide.ts picks the step and the alarm from these alone.
 */

/**
 * Every kind of work, in the order the decision takes them when several are due at once. A new
 * kind (say, registering a workflow package before StartRun) is a name here, a rule in decide.ts,
 * a step module and its row in shell.ts's STEPS (docs/architecture.md, "Where to add").
 */
export const WORK_KINDS = ["remove", "prepare", "start", "cancel", "sync", "outputs", "finish", "poll"] as const;
/** A kind of work a run can have pending. */
export type WorkKind = (typeof WORK_KINDS)[number];

/** When one piece of work is due. */
export interface Due {
  /** Epoch ms. */
  at: number;
  /** `at` is a budget slot booked for this work's call: nothing can make it earlier. */
  booked?: true;
  /** How often this slot was re-booked because the run woke too late for it (budget-gate.ts). */
  rebooks?: number;
  /**
   * News asked for this work (e.g. a run event wants a poll): only the work's own step may put it
   * off again, never another step's schedule (a task sync re-schedules an ordinary poll, not this).
   */
  woken?: true;
}

/** The pending work of a run, at most one entry per kind. */
export type Work = Partial<Record<WorkKind, Due>>;

/** Due times this close to now count as now (a slot booked for "now" comes back a few ms ahead). */
export const NOW_TOLERANCE_MS = 50;

/**
 * `entry` made due by `at` at the latest: news only ever lowers a due time. A booked slot stays as
 * it is (it is already the earliest its call may go: re-booking would only queue it behind others).
 */
export function wantBy(entry: Due | undefined, at: number, options: { woken?: boolean } = {}): Due {
  const woken = options.woken || entry?.woken ? { woken: true as const } : {};
  if (!entry) return { at, ...woken };
  if (entry.booked) return { ...entry, ...woken };
  return { ...entry, at: Math.min(entry.at, at), ...woken };
}

/** Whether `entry` is due at `now`. */
export function isDue(entry: Due, now: number): boolean {
  return entry.at <= now + NOW_TOLERANCE_MS;
}
