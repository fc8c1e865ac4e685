/** WES run states (official `State` enum) and which of them are final. */

/** Every WES 1.1.0 state, in the spec's order. */
export const WES_STATES = [
  "UNKNOWN",
  "QUEUED",
  "INITIALIZING",
  "RUNNING",
  "PAUSED",
  "COMPLETE",
  "EXECUTOR_ERROR",
  "SYSTEM_ERROR",
  "CANCELED",
  "CANCELING",
  "PREEMPTED",
] as const;

/** A WES run state. */
export type WesState = (typeof WES_STATES)[number];

/** States a run never leaves. */
export const FINAL_STATES: ReadonlySet<WesState> = new Set(["COMPLETE", "EXECUTOR_ERROR", "SYSTEM_ERROR", "CANCELED", "PREEMPTED"]);

/** States a run may still leave (every other state). */
export const LIVE_STATES: readonly WesState[] = WES_STATES.filter((state) => !FINAL_STATES.has(state));

/** True when the run has reached a state it never leaves. */
export function isFinal(state: string): boolean {
  return FINAL_STATES.has(state as WesState);
}

/** `run_log.exit_code` derived from a final state (0 for COMPLETE, 1 otherwise); clients such as Toil decide success from it. */
export function exitCodeFor(state: WesState): number | undefined {
  if (!isFinal(state)) return undefined;
  return state === "COMPLETE" ? 0 : 1;
}
