/**
 * When the run's next alarm fires. Pure functions of the stored schedule, so the policy is
 * unit-tested without a clock: poll soon after a change, slow down geometrically while nothing
 * changes (bounded by POLL_MIN_SECONDS..POLL_MAX_SECONDS), back off exponentially with jitter
 * after throttling, 5xx and network errors.
 */

/** Poll-interval growth while a run is quiet. */
export const QUIET_GROWTH = 1.5;

/** Interval after a look at the run (a poll or a task sync): back to the minimum on change, otherwise grown and capped. */
export function nextPollInterval(previousMs: number, { changed, minMs, maxMs }: { changed: boolean; minMs: number; maxMs: number }): number {
  if (changed) return minMs;
  return Math.min(maxMs, Math.max(minMs, Math.round(previousMs * QUIET_GROWTH)));
}

/** What decides the interval after a poll. */
export interface PollOutcome {
  /** The poll saw a new status. */
  changed: boolean;
  /** HealthOmics events are arriving for the run (the next change will be announced). */
  eventsFlowing: boolean;
  minMs: number;
  /** The longest interval: POLL_MAX_SECONDS, or the events safety net while events flow. */
  ceilingMs: number;
}

/**
 * Interval after a poll (GetRun). As nextPollInterval, except while HealthOmics events flow for
 * the run: the next change will be announced too, so a change seen needs no close watch and the
 * interval goes straight to the ceiling, the safety net. (A run event sets the interval to the
 * minimum before the poll it wakes; if that poll cannot see the change yet, because GetRun lags
 * the event or the event was stale, the interval grows from the minimum as usual.)
 */
export function pollIntervalAfter(previousMs: number, { changed, eventsFlowing, minMs, ceilingMs }: PollOutcome): number {
  return changed && eventsFlowing ? Math.max(minMs, ceilingMs) : nextPollInterval(previousMs, { changed, minMs, maxMs: ceilingMs });
}

/** Share of an interval it may move either way, so runs submitted together do not poll in lockstep. */
export const JITTER = 0.1;

/** `ms` ± JITTER, from `random` in [0, 1). */
export function jittered(ms: number, random: number): number {
  return Math.max(0, Math.round(ms * (1 - JITTER + 2 * JITTER * random)));
}

/** Doublings counted at most (keeps the arithmetic finite for any attempt count). */
const MAX_DOUBLINGS = 20;

/**
 * Delay before retrying after a retryable failure: exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" (half fixed, half random) so a storm of failures spreads out.
 */
export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, MAX_DOUBLINGS));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** First and longest wait before retrying a StartRun refused for the account's run quota. */
export const QUOTA_RETRY_BASE_MS = 30_000;
export const QUOTA_RETRY_MAX_MS = 600_000;

/** Delay before retrying a StartRun refused for the account's run quota (ServiceQuotaExceeded). */
export function quotaRetryDelay(attempt: number, random: number): number {
  return retryDelay(attempt, QUOTA_RETRY_BASE_MS, QUOTA_RETRY_MAX_MS, random);
}
