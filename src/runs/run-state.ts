/**
 * What a run's Durable Object keeps in its storage (key `state`). The layout carries a version:
 * an object created by older code during a week-long run is upgraded on read, never dropped.
 *
 * Version history:
 *  - v1: phase, HealthOmics ids, cancel flag and last status (the first persisted layout).
 *  - v2: adds the persisted schedule (poll interval, retry attempt, task-sync timing) and the
 *        last values reported to D1, so the object writes D1 only when something changed.
 */

/** Where the run is in its life. */
export type Phase =
  | "queued" // no HealthOmics run can exist yet (StartRun never sent, or definitely refused)
  | "starting" // StartRun sent without a definite answer yet: retries reuse the same requestId
  | "started" // HealthOmics knows the run; we poll it
  | "finished"; // final state recorded in D1; no alarm

/** Current stored layout. */
export interface RunState {
  version: 2;
  runId: string;
  phase: Phase;
  omicsRunId?: string;
  omicsRunUuid?: string;
  omicsRunArn?: string;
  /** Last HealthOmics status seen. */
  omicsStatus?: string;
  cancelRequested: boolean;
  cancelRequestedBy?: string;
  /** CancelRun accepted (202) by HealthOmics. */
  cancelSent: boolean;
  /** Consecutive retryable failures (drives backoff); 0 after a success. */
  attempt: number;
  /** Current adaptive poll interval (ms). */
  pollIntervalMs: number;
  /** When the next step should run (mirrors the alarm; used by the sweep and `describe`). */
  nextAt?: number;
  /** Task sync: due time and current interval. */
  taskSyncDueAt: number;
  taskSyncIntervalMs: number;
  /** WES state last written to D1. */
  reportedState: string;
  /** Last time anything changed (ms). */
  lastChangeAt: number;
  /** Whether a "waiting for run quota" note was already logged for the current wait. */
  quotaNoted?: boolean;
  /** Task sync wanted before the next poll (status changed, tasks active, or the run ended). */
  syncDue?: boolean;
  /** Set when HealthOmics reported a final status; the finish step records it after a last task sync. */
  terminal?: TerminalSnapshot;
  /** Last error already written to the run's system_logs (not repeated on every retry). */
  lastLoggedError?: string;
  /** When the last HealthOmics event for this run arrived (polling slows to a safety net while events flow). */
  lastEventAt?: number;
  /**
   * A budget slot booked for the next call (the alarm is set for it); a start grant is one too.
   * `rebooks`: how often the slot was already replaced because the run woke too late for it.
   */
  reservation?: { operation: string; at: number; rebooks?: number };
  /** The fair start queue granted this run a StartRun slot. */
  startGranted?: boolean;
  /** Pages the last ListRunTasks walk took (a task sync books that many slots). */
  taskPages?: number;
}

/** What the finish step needs from the last GetRun of a run that ended. */
export interface TerminalSnapshot {
  status: string;
  failureReason?: string;
  statusMessage?: string;
  startTime?: string;
  stopTime?: string;
  name?: string;
  runOutputUri?: string;
  workflowId?: string;
  /** Why we stopped without HealthOmics saying so (e.g. the run was deleted). */
  note?: string;
}

/** The v1 layout (kept to upgrade objects written by older code). */
export interface RunStateV1 {
  version: 1;
  runId: string;
  phase: Phase;
  omicsRunId?: string;
  omicsRunUuid?: string;
  omicsStatus?: string;
  cancelRequested: boolean;
  cancelSent?: boolean;
}

/** A fresh state for a newly handed-over run. */
export function initialState(runId: string, now: number, pollMinMs: number): RunState {
  return {
    version: 2,
    runId,
    phase: "queued",
    cancelRequested: false,
    cancelSent: false,
    attempt: 0,
    pollIntervalMs: pollMinMs,
    taskSyncDueAt: now,
    taskSyncIntervalMs: pollMinMs,
    reportedState: "QUEUED",
    lastChangeAt: now,
  };
}

/** Reads any stored layout into the current one; unknown (future) versions are refused loudly. */
export function upgradeState(raw: unknown, now: number, pollMinMs: number): RunState | undefined {
  if (raw === undefined || raw === null) return undefined;
  const value = raw as { version?: unknown };
  if (value.version === 2) return raw as RunState;
  if (value.version === 1) {
    const v1 = raw as RunStateV1;
    const state: RunState = {
      ...initialState(v1.runId, now, pollMinMs),
      phase: v1.phase,
      cancelRequested: v1.cancelRequested,
      cancelSent: v1.cancelSent ?? false,
      // v1 did not record what it reported; UNKNOWN makes the next poll write the real state.
      reportedState: "UNKNOWN",
    };
    if (v1.omicsRunId) state.omicsRunId = v1.omicsRunId;
    if (v1.omicsRunUuid) state.omicsRunUuid = v1.omicsRunUuid;
    if (v1.omicsStatus) state.omicsStatus = v1.omicsStatus;
    return state;
  }
  throw new Error(`run state has unknown layout version ${String(value.version)}; this code understands versions 1 and 2`);
}
