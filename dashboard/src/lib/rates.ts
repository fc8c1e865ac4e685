/**
 * Calls per second per operation from successive /admin/metrics samples (pure): `calls_booked` is
 * a counter, so the rate is its growth over the time between two samples.
 */
import type { ServiceMetrics } from "./types";

/** One sample: when, and each operation's counter. */
export interface Sample {
  at: number;
  booked: Record<string, number>;
}

/** Samples kept (five minutes at one every five seconds). */
export const HISTORY = 60;

/** Adds a sample, keeping the last HISTORY. */
export function addSample(history: Sample[], metrics: ServiceMetrics): Sample[] {
  const sample: Sample = {
    at: Date.parse(metrics.time),
    booked: Object.fromEntries(metrics.healthomics_budget.operations.map((o) => [o.operation, o.calls_booked])),
  };
  const last = history[history.length - 1];
  if (last && last.at === sample.at) return history;
  return [...history, sample].slice(-HISTORY);
}

/** Rates (calls/s) of `operation` between consecutive samples, oldest first. A counter that went down (a restart) counts as 0. */
export function rates(history: Sample[], operation: string): number[] {
  const out: number[] = [];
  for (let i = 1; i < history.length; i++) {
    const a = history[i - 1]!;
    const b = history[i]!;
    const seconds = (b.at - a.at) / 1000;
    const delta = (b.booked[operation] ?? 0) - (a.booked[operation] ?? 0);
    out.push(seconds > 0 && delta > 0 ? delta / seconds : 0);
  }
  return out;
}
