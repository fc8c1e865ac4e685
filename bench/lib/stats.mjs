/** Small statistics helpers: percentiles, sums, per-window rates. */

/** The p-th percentile (0..100) by linear interpolation; NaN for an empty list. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** {n, p50, p95, p99, max, mean} of a list. */
export function summary(values) {
  const n = values.length;
  return {
    n,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: n ? values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY) : NaN,
    mean: n ? values.reduce((a, b) => a + b, 0) / n : NaN,
  };
}

/** Sum of a list. */
export function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

/** Counts per key. */
export function countBy(items, key) {
  const out = {};
  for (const item of items) {
    const k = key(item);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/**
 * The largest number of events inside any window of `windowMs` (sliding: every window that starts
 * at an event), for sorted or unsorted times in ms.
 */
export function maxInWindow(times, windowMs) {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** Counts per consecutive window of `windowMs` from `start` to `end` (a time series). */
export function perWindow(times, start, end, windowMs) {
  const n = Math.max(1, Math.ceil((end - start) / windowMs));
  const counts = new Array(n).fill(0);
  for (const t of times) {
    const i = Math.floor((t - start) / windowMs);
    if (i >= 0 && i < n) counts[i] += 1;
  }
  return counts;
}

/** Rounds for reports. */
export function round(x, digits = 1) {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
