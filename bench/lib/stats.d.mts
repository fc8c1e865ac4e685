/** Types of stats.mjs (shared with the simulator, sim/). */
export function percentile(values: number[], p: number): number;
export function summary(values: number[]): { n: number; p50: number; p95: number; p99: number; max: number; mean: number };
export function sum(values: number[]): number;
export function maxInWindow(times: number[], windowMs: number): number;
export function round(x: number, digits?: number): number;
