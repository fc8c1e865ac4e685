/** WES states as the dashboard shows them (pure). */

/** Every WES 1.1 state. */
export const STATES = [
  "QUEUED",
  "INITIALIZING",
  "RUNNING",
  "PAUSED",
  "CANCELING",
  "COMPLETE",
  "EXECUTOR_ERROR",
  "SYSTEM_ERROR",
  "CANCELED",
  "PREEMPTED",
  "UNKNOWN",
] as const;

/** The states users filter by most, in the order of a run's life. */
export const FILTER_STATES = ["QUEUED", "INITIALIZING", "RUNNING", "CANCELING", "COMPLETE", "EXECUTOR_ERROR", "SYSTEM_ERROR", "CANCELED"] as const;

const FINAL = new Set(["COMPLETE", "EXECUTOR_ERROR", "SYSTEM_ERROR", "CANCELED", "PREEMPTED"]);

/** True when the run will not change any more. */
export function isFinal(state: string): boolean {
  return FINAL.has(state);
}

/** The label people read ("Executor error"). */
export function stateLabel(state: string): string {
  const text = state.toLowerCase().replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The colour family of a state (the label always says it too: colour is never the only cue). */
export function stateTone(state: string): "ok" | "active" | "waiting" | "bad" | "stopped" {
  if (state === "COMPLETE") return "ok";
  if (state === "RUNNING" || state === "INITIALIZING") return "active";
  if (state === "EXECUTOR_ERROR" || state === "SYSTEM_ERROR") return "bad";
  if (state === "CANCELED" || state === "CANCELING" || state === "PREEMPTED") return "stopped";
  return "waiting";
}
