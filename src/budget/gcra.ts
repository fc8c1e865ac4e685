/**
 * Booking slots on a rate line (the generic cell rate algorithm, used as a scheduler): every
 * request is given the earliest time it may call so that calls are spaced exactly 1/rate apart —
 * no 1-second window holds more than rate + 1 calls. A caller told to wait does not ask again: it
 * sets its alarm for the slot and calls then. Nobody busy-waits, and N waiting callers are spread
 * 1/rate apart. Also the AIMD factor that shrinks a line after throttles. Pure arithmetic.
 */

/** A line: the theoretical arrival time of the next call. */
export interface Line {
  /** Theoretical arrival time (ms); slots are booked from here. */
  tat: number;
}

/** Interval between calls at `rate` per second, in ms. */
export function interval(rate: number): number {
  return 1000 / rate;
}

/** Books one call: returns its slot (≥ now) and advances the line. An idle line banks no slots. */
export function book(line: Line, now: number, rate: number): number {
  const slot = Math.max(now, line.tat);
  line.tat = slot + interval(rate);
  return slot;
}

/** How far ahead the line is booked (0 when idle): the wait a new call would get. */
export function backlog(line: Line, now: number): number {
  return Math.max(0, line.tat - now);
}

/** Share of the rate a line gains back per RECOVERY_PERIOD_MS without a throttle (additive increase). */
export const RECOVERY_STEP = 0.05;
/** How often a throttled line gains RECOVERY_STEP back. */
export const RECOVERY_PERIOD_MS = 10_000;
/** The smallest share a line is cut to (multiplicative decrease stops here). */
export const FACTOR_FLOOR = 0.1;
/**
 * Throttles within this time of the last halving count as the same congestion signal: calls sent
 * together are throttled together, and a dozen 429s from one bunch must not cut the rate to the
 * floor. Equal to the recovery period, so pressure that persists halves once per period.
 */
export const THROTTLE_WINDOW_MS = RECOVERY_PERIOD_MS;

/** The AIMD factor at `now`: recovered by RECOVERY_STEP for every RECOVERY_PERIOD_MS since the last halving, up to 1. */
export function recoveredFactor(factor: number, lastThrottleAt: number, now: number): number {
  if (factor >= 1) return 1;
  const periods = Math.floor(Math.max(0, now - lastThrottleAt) / RECOVERY_PERIOD_MS);
  return Math.min(1, factor + periods * RECOVERY_STEP);
}

/**
 * A line after a ThrottlingException from traffic outside our control: its factor halved (not
 * below FACTOR_FLOOR) and `halvedAt` = now — unless it was halved less than THROTTLE_WINDOW_MS
 * ago. `halvedAt` is also where recovery counts from.
 */
export function afterThrottle(factor: number, halvedAt: number, now: number): { factor: number; halvedAt: number } {
  if (now - halvedAt < THROTTLE_WINDOW_MS) return { factor, halvedAt };
  return { factor: Math.max(FACTOR_FLOOR, recoveredFactor(factor, halvedAt, now) / 2), halvedAt: now };
}
