/**
 * Booking slots on a rate line (the generic cell rate algorithm, used as a scheduler): every
 * request is given the earliest time it may call so that, over any window, calls never exceed
 * `rate` per second with at most `burst` at once. A caller told to wait does not ask again: it
 * sets its alarm for the slot and calls then. Nobody busy-waits, and N waiting callers are spread
 * 1/rate apart. Pure arithmetic, unit-tested.
 */

/** A bucket's line: the theoretical arrival time of the next call. */
export interface Line {
  /** Theoretical arrival time (ms); slots are booked from here. */
  tat: number;
}

/** Interval between calls at `rate` per second, in ms. */
export function interval(rate: number): number {
  return 1000 / rate;
}

/**
 * Books one call: returns the slot (≥ now) and advances the line. `burst` calls may share the
 * first instant when the line has been idle.
 */
export function book(line: Line, now: number, rate: number, burst: number): number {
  const t = interval(rate);
  const tolerance = Math.max(0, burst - 1) * t;
  const slot = Math.max(now, line.tat - tolerance);
  line.tat = Math.max(line.tat, now) + t;
  return slot;
}

/** How far ahead the line is booked (0 when idle): the wait a new call would get. */
export function backlog(line: Line, now: number, rate: number, burst: number): number {
  const tolerance = Math.max(0, burst - 1) * interval(rate);
  return Math.max(0, line.tat - tolerance - now);
}

/**
 * Burst allowed on a line: one call. Slots are then spaced exactly 1/rate apart, so no 1-second
 * window holds more than rate + 1 calls (a burst of a second's worth doubled that in the
 * benchmark's 1-s windows while staying inside the quota's token bucket).
 */
export function burstFor(_rate: number): number {
  return 1;
}

/**
 * Additive-increase / multiplicative-decrease of a bucket's share after ThrottlingException from
 * traffic outside our control: halve on a throttle (not below `floor`), then recover by `step`
 * for every `periodMs` without one.
 */
export function recoveredFactor(factor: number, lastThrottleAt: number, now: number, step = 0.05, periodMs = 10_000): number {
  if (factor >= 1) return 1;
  const periods = Math.floor(Math.max(0, now - lastThrottleAt) / periodMs);
  return Math.min(1, factor + periods * step);
}

/**
 * Throttles within this time of the last halving count as the same congestion signal: one bunch
 * of calls (a stalled isolate catching up) is throttled over several seconds, and halving for
 * each second of it took the benchmark's rate to the floor and booked its line minutes ahead.
 * Equal to the recovery period, so pressure that persists halves once per period.
 */
export const THROTTLE_WINDOW_MS = 10_000;

/**
 * A bucket after a throttle: its factor halved (not below `floor`) and `halvedAt` = now — unless
 * it was halved less than THROTTLE_WINDOW_MS ago: calls sent together are throttled together, and
 * a dozen 429s from one bunch must not cut the rate to the floor. Throttles that keep coming halve
 * it once per window. `halvedAt` is also where recovery counts from.
 */
export function afterThrottle(factor: number, halvedAt: number, now: number, floor = 0.1): { factor: number; halvedAt: number } {
  if (now - halvedAt < THROTTLE_WINDOW_MS) return { factor, halvedAt };
  return { factor: Math.max(floor, recoveredFactor(factor, halvedAt, now) / 2), halvedAt: now };
}
