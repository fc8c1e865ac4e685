/**
 * The budget's booking rules on one operation's rate line, as pure functions: the Durable Object
 * (budget-object.ts) keeps its lines in SQLite and wraps these; the simulator keeps them in memory.
 */
import { afterThrottle, backlog, book, interval, recoveredFactor, type Line } from "./gcra";

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
export const QUIET_MAX_WAIT_MS = 1000;
/** Spare calls book only a slot this close to now (what a run counts as "now"). */
export const SPARE_MAX_WAIT_MS = 50;

/** One rate line with its AIMD state and counters. */
export interface RateLine extends Line {
  /** AIMD factor at the last halving (recovers with time: recoveredFactor). */
  factor: number;
  /** When the line was last halved (ms). */
  lastThrottle: number;
  /** ThrottlingExceptions reported. */
  throttles: number;
  /** Calls booked in all. */
  booked: number;
  /**
   * When the next quiet call turned away is told to come back. Those times are spread 1/rate
   * apart like slots, so quiet runs waiting for a busy line return a few per slot instead of all
   * at once (which cost a wake-up per waiting run per second: total work growing with the square
   * of the runs, found by the simulator at 3,000 runs).
   */
  quietTat: number;
}

/** A line nobody has used yet. */
export function idleLine(): RateLine {
  return { tat: 0, factor: 1, lastThrottle: 0, throttles: 0, booked: 0, quietTat: 0 };
}

/** Effective rate of a line at `now`: `quota` (requests/s) × `headroom` × its AIMD factor. */
export function lineRate(line: RateLine, quota: number, headroom: number, now: number): number {
  return quota * headroom * recoveredFactor(line.factor, line.lastThrottle, now);
}

/** Books `count` calls at `priority` on `line` (which advances); the booking answers for the last of them. */
export function bookCalls(line: RateLine, rate: number, priority: CallPriority, count: number, now: number): Booking {
  const waiting = backlog(line, now);
  if (priority === "quiet" && waiting > QUIET_MAX_WAIT_MS) {
    const at = Math.max(now + waiting, line.quietTat);
    line.quietTat = at + interval(rate);
    return { at, booked: false };
  }
  if (priority === "spare" && waiting > SPARE_MAX_WAIT_MS) return { at: now + waiting, booked: false };
  let at = now;
  for (let i = 0; i < count; i++) at = Math.max(at, book(line, now, rate));
  line.booked += count;
  return { at, booked: true };
}

/** A StartRun grant: the slot now if the line is free (booked), otherwise how long until it is. */
export function grantSlot(line: RateLine, rate: number, now: number): { wait: number } | { at: number } {
  const wait = backlog(line, now);
  if (wait > 0) return { wait };
  line.booked += 1;
  return { at: book(line, now, rate) };
}

/** Records a ThrottlingException on `line`: AIMD halving (once per window), and the count. */
export function throttleLine(line: RateLine, now: number): void {
  ({ factor: line.factor, halvedAt: line.lastThrottle } = afterThrottle(line.factor, line.lastThrottle, now));
  line.throttles += 1;
}
