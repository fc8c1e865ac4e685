/** Types of seed-model.mjs (shared with the simulator, sim/). */
export interface TimelineLike {
  transitions: { status: string; at: string }[];
  tasks: { transitions: { status: string; at: string }[] }[];
}
export const SEED_POLL_SECONDS: number;
export const SEED_STALENESS: { p50: number; p95: number; p99: number; max: number; mean: number };
export const MEASURED: Record<string, number>;
export function seedOnTimeline(
  timeline: TimelineLike,
  scale: number,
): {
  calls: { StartRun: number; GetRun: number };
  d1: { statements: number; rows: number };
  staleness: { status: string; wallMs: number }[];
  finalSeenAt: number;
};
