/**
 * HealthOmics call rates, in real units, against the service's budget (quota × headroom) and the
 * quota itself: the busiest 1-second window of real time (sliding), the busiest 60-second window
 * (the sustained rate), and the mean over the scenario.
 *
 * Bursts: the service's budget lets "one second's worth" of calls go at once (GCRA burst
 * floor(rate)), and the emulator's token buckets hold one second's worth too, as AWS's do. Both
 * seconds are wall-clock seconds, so at scale s < 1 a burst is 1/s times larger in real units
 * than in production (e.g. 8 StartRuns at once at scale 0.1, where production allows 1). The busiest
 * 1-s window can therefore exceed the quota at scale < 1 without any throttling; the sustained
 * (60 s) rate and the 429 count are the scale-independent checks.
 */
import { REAL_QUOTAS, realBudget } from "./scaling.mjs";
import { maxInWindow, perWindow, round } from "./stats.mjs";

/**
 * @param {{operation: string, at: string, status: number}[]} calls  request log entries
 * @param {number} scale
 * @param {number} fromMs  scenario start (epoch ms, wall)
 * @param {number} toMs    scenario end
 * @param {number} [seriesRealSeconds]  width of the time-series windows (real s)
 */
export function rateFigures(calls, scale, fromMs, toMs, seriesRealSeconds = 60) {
  const realSpan = (toMs - fromMs) / 1000 / scale;
  const out = {};
  for (const op of Object.keys(REAL_QUOTAS)) {
    const mine = calls.filter((c) => c.operation === op);
    const times = mine.map((c) => Date.parse(c.at));
    const max1s = maxInWindow(times, 1000 * scale);
    const quota = REAL_QUOTAS[op];
    out[op] = {
      calls: mine.length,
      throttled: mine.filter((c) => c.status === 429).length,
      quotaPerSecond: quota,
      budgetPerSecond: round(realBudget(op), 2),
      maxPer1sWindow: max1s,
      maxFractionOfQuota: round(max1s / quota, 2),
      maxPer60sWindowPerSecond: round(maxInWindow(times, 60_000 * scale) / 60, 3),
      meanPerSecond: round(mine.length / realSpan, 3),
      meanFractionOfQuota: round(mine.length / realSpan / quota, 3),
      // calls per `seriesRealSeconds` window of real time, for plotting
      series: perWindow(times, fromMs, toMs, seriesRealSeconds * 1000 * scale),
    };
  }
  return { realSeconds: round(realSpan), seriesRealSeconds, operations: out };
}

/** Operations whose sustained rate (busiest 60 s of real time) went above the quota. */
export function aboveQuota(rates) {
  return Object.entries(rates.operations)
    .filter(([, r]) => r.maxPer60sWindowPerSecond > r.quotaPerSecond)
    .map(([op, r]) => `${op}: ${r.maxPer60sWindowPerSecond} calls/s over the busiest minute (quota ${r.quotaPerSecond}/s)`);
}
