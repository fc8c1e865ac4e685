/**
 * What a run's Durable Object keeps in its storage (key `state`). The layout carries a version:
 * an object created by older code during a week-long run is upgraded on read, never dropped.
 *
 * Version history:
 *  - v1: phase, HealthOmics ids, cancel flag and last status (the first persisted layout).
 *  - v2: adds the persisted schedule (poll interval, retry attempt, task-sync timing) and the
 *        last values reported to D1, so the object writes D1 only when something changed.
 *  - v3: budget slots are held per operation (`reservations`) instead of one `reservation`, and
 *        run and task events are told apart (`lastRunEventAt`, `lastTaskEventAt`).
 */
import { BUDGET_OPERATIONS, type BudgetOperation } from "../../../budget/budget-config";

/** Where the run is in its life. */
export type Phase =
  | "queued" // no HealthOmics run can exist yet (StartRun never sent, or definitely refused)
  | "starting" // StartRun sent without a definite answer yet: retries reuse the same requestId
  | "started" // HealthOmics knows the run; we poll it
  | "finished"; // final state recorded in D1; no alarm

/** Current stored layout. */
export interface RunState {
  version: 3;
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
  /** A poll wanted as soon as its slot allows: a run event announced a status no GetRun has shown yet. */
  pollDue?: boolean;
  /** The status the last run event announced (a task event announces RUNNING). */
  announcedStatus?: string;
  /** Set when HealthOmics reported a final status; the finish step records it after a last task sync. */
  terminal?: TerminalSnapshot;
  /** Last error already written to the run's system_logs (not repeated on every retry). */
  lastLoggedError?: string;
  /** When the last HealthOmics event of either kind arrived (polling slows to a safety net while events flow). */
  lastEventAt?: number;
  /** When the last Run Status Change event arrived (it brings a poll forward). */
  lastRunEventAt?: number;
  /** When the last Task Status Change event arrived (it brings a task sync forward). */
  lastTaskEventAt?: number;
  /**
   * Budget slots booked for later calls, one per operation (the alarm is set for the one the next
   * step needs); a start grant is a StartRun slot. Per operation, because a run can hold a poll's
   * slot while a task sync books its own: replacing one with the other would waste a slot that
   * still holds back every later booking of its line.
   */
  reservations?: Partial<Record<BudgetOperation, HeldSlot>>;
  /** The fair start queue granted this run a StartRun slot. */
  startGranted?: boolean;
  /** Pages the last ListRunTasks walk took (a task sync books that many slots). */
  taskPages?: number;
}

/** A booked budget slot. `rebooks`: how often it was already replaced because the run woke too late for it. */
export interface HeldSlot {
  at: number;
  rebooks?: number;
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

/** The v2 layout's single held slot (kept to upgrade objects written by older code). */
type RunStateV2 = Omit<RunState, "version" | "reservations" | "lastRunEventAt" | "lastTaskEventAt"> & {
  version: 2;
  reservation?: { operation: string; at: number; rebooks?: number };
};

/** A fresh state for a newly handed-over run. */
export function initialState(runId: string, now: number, pollMinMs: number): RunState {
  return {
    version: 3,
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
  if (value.version === 3) return raw as RunState;
  if (value.version === 2) {
    const { reservation, ...rest } = raw as RunStateV2;
    const state: RunState = { ...rest, version: 3 };
    // v2 did not tell event kinds apart: its last event counts as both (each only brings a step forward).
    if (rest.lastEventAt !== undefined) {
      state.lastRunEventAt = rest.lastEventAt;
      state.lastTaskEventAt = rest.lastEventAt;
    }
    if (reservation && isBudgetOperation(reservation.operation)) {
      const held: HeldSlot = { at: reservation.at };
      if (reservation.rebooks !== undefined) held.rebooks = reservation.rebooks;
      state.reservations = { [reservation.operation]: held };
    }
    return state;
  }
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
  throw new Error(`run state has unknown layout version ${String(value.version)}; this code understands versions 1 to 3`);
}

function isBudgetOperation(name: string): name is BudgetOperation {
  return (BUDGET_OPERATIONS as readonly string[]).includes(name);
}
