/**
 * When the run's next alarm fires. Pure functions of the stored schedule, so the policy is
 * unit-tested without a clock: poll soon after a change, slow down geometrically while nothing
 * changes (bounded by POLL_MIN_SECONDS..POLL_MAX_SECONDS), back off exponentially with jitter
 * after throttling, 5xx and network errors.
 */

/** Poll-interval growth while a run is quiet. */
export const QUIET_GROWTH = 1.5;

/** Interval after a poll: back to the minimum on change, otherwise grown and capped. */
export function nextPollInterval(previousMs: number, changed: boolean, minMs: number, maxMs: number): number {
  if (changed) return minMs;
  return Math.min(maxMs, Math.max(minMs, Math.round(previousMs * QUIET_GROWTH)));
}

/**
 * Interval after a poll (GetRun). As nextPollInterval, except while HealthOmics events flow for
 * the run: the next change will be announced too, so a change seen needs no close watch and the
 * interval goes straight to the ceiling, the safety net. (A run event sets the interval to the
 * minimum before the poll it wakes; if that poll cannot see the change yet, because GetRun lags
 * the event or the event was stale, the interval grows from the minimum as usual.)
 */
export function pollIntervalAfter(previousMs: number, changed: boolean, eventsFlowing: boolean, minMs: number, ceilingMs: number): number {
  return changed && eventsFlowing ? Math.max(minMs, ceilingMs) : nextPollInterval(previousMs, changed, minMs, ceilingMs);
}

/** ±10% jitter so runs submitted together do not poll in lockstep. */
export function jittered(ms: number, random: number): number {
  return Math.max(0, Math.round(ms * (0.9 + 0.2 * random)));
}

/**
 * Delay before retrying after a retryable failure: exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" (half fixed, half random) so a storm of failures spreads out.
 */
export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** Delay before retrying a StartRun refused for the account's run quota (ServiceQuotaExceeded). */
export function quotaRetryDelay(attempt: number, random: number): number {
  return retryDelay(attempt, 30_000, 600_000, random);
}
