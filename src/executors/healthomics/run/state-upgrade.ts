/**
 * Reads every stored layout of a run's state into the current one (run-state.ts). Objects written
 * by older code during a week-long run are upgraded when read, never dropped; an unknown (future)
 * version is refused loudly instead of being misread. Each older layout is described here exactly
 * as it was stored.
 */
import { isBudgetOperation, type BudgetOperation } from "../../../budget/budget-config";
import { initialState, type Phase, type RunState, type TerminalSnapshot } from "./run-state";
import type { Due, Work } from "./work";

/** v1: phase, HealthOmics ids, cancel flag and last status (the first persisted layout). */
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

/** A v2/v3 held budget slot. */
interface HeldSlotV3 {
  at: number;
  rebooks?: number;
}

/** v3: the schedule as flags and one alarm time, and budget slots held per operation. */
export interface RunStateV3 {
  version: 3;
  runId: string;
  phase: Phase;
  omicsRunId?: string;
  omicsRunUuid?: string;
  omicsRunArn?: string;
  omicsStatus?: string;
  cancelRequested: boolean;
  cancelRequestedBy?: string;
  cancelSent: boolean;
  attempt: number;
  pollIntervalMs: number;
  /** The pending alarm's time. */
  nextAt?: number;
  taskSyncDueAt: number;
  taskSyncIntervalMs: number;
  reportedState: string;
  lastChangeAt: number;
  quotaNoted?: boolean;
  /** A task sync is wanted before the next poll. */
  syncDue?: boolean;
  /** A run event announced a status no GetRun has shown yet: poll as soon as the slot allows. */
  pollDue?: boolean;
  announcedStatus?: string;
  terminal?: TerminalSnapshot;
  lastLoggedError?: string;
  lastEventAt?: number;
  lastRunEventAt?: number;
  lastTaskEventAt?: number;
  reservations?: Partial<Record<BudgetOperation, HeldSlotV3>>;
  /** The start queue granted a StartRun slot (held in `reservations.StartRun`). */
  startGranted?: boolean;
  taskPages?: number;
}

/** v4: as v5 without the `removing` phase and its `removal` record. */
export type RunStateV4 = Omit<RunState, "version" | "removal"> & { version: 4 };

/** v2: as v3 with one held slot for any operation, and one time for the last event of either kind. */
type RunStateV2 = Omit<RunStateV3, "version" | "reservations" | "lastRunEventAt" | "lastTaskEventAt"> & {
  version: 2;
  reservation?: { operation: string; at: number; rebooks?: number };
};

/** Reads any stored layout into the current one; `undefined` when nothing is stored. */
export function upgradeState(raw: unknown, now: number, pollMinMs: number): RunState | undefined {
  if (raw === undefined || raw === null) return undefined;
  const version = (raw as { version?: unknown }).version;
  if (version === 5) return raw as RunState;
  if (version === 4) return fromV4(raw as RunStateV4);
  if (version === 3) return fromV4(fromV3(raw as RunStateV3, now));
  if (version === 2) return fromV4(fromV3(fromV2(raw as RunStateV2), now));
  if (version === 1) return fromV1(raw as RunStateV1, now, pollMinMs);
  throw new Error(`run state has unknown layout version ${String(version)}; this code understands versions 1 to 5`);
}

/**
 * v4 → v5: the same fields. Version 5 added the `removing` phase and its `removal` record; a v4
 * state never has them. The version changed so that older code, which would read a removing
 * run as one still to start, refuses it loudly instead (state-upgrade of that code).
 */
function fromV4(v4: RunStateV4): RunState {
  return { ...v4, version: 5 };
}

/** v2 → v3: the single held slot becomes its operation's; the last event counts as both kinds. */
function fromV2(v2: RunStateV2): RunStateV3 {
  const { reservation, ...rest } = v2;
  const state: RunStateV3 = { ...rest, version: 3 };
  if (rest.lastEventAt !== undefined) {
    state.lastRunEventAt = rest.lastEventAt;
    state.lastTaskEventAt = rest.lastEventAt;
  }
  if (reservation && isBudgetOperation(reservation.operation)) {
    const held: HeldSlotV3 = { at: reservation.at };
    if (reservation.rebooks !== undefined) held.rebooks = reservation.rebooks;
    state.reservations = { [reservation.operation]: held };
  }
  return state;
}

/** A v3 held slot as the due time of its work. */
function bookedDue(slot: HeldSlotV3): Due {
  return slot.rebooks === undefined ? { at: slot.at, booked: true } : { at: slot.at, booked: true, rebooks: slot.rebooks };
}

/**
 * v3 → v4: the flags and the one alarm time become due times. v3 kept one alarm (`nextAt`) for
 * whichever step came next: that step's work is due then; a held slot is its work's due time;
 * a poll waiting behind a task sync is due one poll interval after it (the sync re-schedules it).
 */
function fromV3(v3: RunStateV3, now: number): RunStateV4 {
  const { version: _version, nextAt, taskSyncDueAt, syncDue, pollDue, reservations = {}, startGranted, ...facts } = v3;
  const next = nextAt ?? now;
  const work: Work = {};
  if (v3.phase === "queued" || v3.phase === "starting") {
    const grant = reservations.StartRun;
    work.start = startGranted ? (grant ? bookedDue(grant) : { at: next, booked: true }) : { at: next };
  } else if (v3.phase === "started") {
    const cancelling = v3.cancelRequested && !v3.cancelSent && !v3.terminal;
    if (cancelling) work.cancel = reservations.CancelRun ? bookedDue(reservations.CancelRun) : { at: next };
    if (syncDue) work.sync = reservations.ListRunTasks ? bookedDue(reservations.ListRunTasks) : { at: next };
    if (v3.terminal) work.finish = { at: next };
    else if (reservations.GetRun) work.poll = { ...bookedDue(reservations.GetRun), ...(pollDue ? { woken: true as const } : {}) };
    else if (pollDue) work.poll = { at: next, woken: true };
    else work.poll = { at: syncDue || cancelling ? next + v3.pollIntervalMs : next };
  }
  return { ...facts, version: 4, periodicSyncAt: taskSyncDueAt, work };
}

/** v1 → v4: a fresh schedule (a poll due now) around what v1 knew. */
function fromV1(v1: RunStateV1, now: number, pollMinMs: number): RunState {
  const state: RunState = {
    ...initialState(v1.runId, now, pollMinMs),
    phase: v1.phase,
    cancelRequested: v1.cancelRequested,
    cancelSent: v1.cancelSent ?? false,
    // v1 did not record what it reported; UNKNOWN makes the next poll write the real state to D1.
    reportedState: "UNKNOWN",
  };
  if (v1.omicsRunId) state.omicsRunId = v1.omicsRunId;
  if (v1.omicsRunUuid) state.omicsRunUuid = v1.omicsRunUuid;
  if (v1.omicsStatus) state.omicsStatus = v1.omicsStatus;
  if (v1.phase === "started") {
    state.work = { poll: { at: now } };
    if (v1.cancelRequested && !state.cancelSent) state.work.cancel = { at: now };
  } else if (v1.phase === "finished") {
    state.work = {};
  }
  return state;
}
