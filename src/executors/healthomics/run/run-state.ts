/**
 * What a run's Durable Object keeps in its storage (key `state`): facts about the run and its
 * HealthOmics counterpart, the adaptive schedule, and its pending work (work.ts). The layout
 * carries a version; state-upgrade.ts reads every older layout, because an object written by
 * older code during a week-long run must survive a deploy. Version history: docs/architecture.md.
 */
import type { Work } from "./work";

/** Where the run is in its life. */
export type Phase =
  | "queued" // no HealthOmics run can exist yet (StartRun never sent, or definitely refused)
  | "starting" // StartRun sent without a definite answer yet: retries reuse the same requestId
  | "started" // HealthOmics knows the run; we poll it
  | "finished" // final state recorded in D1; no work, no alarm
  | "removing"; // the run is being deleted: only its removal work remains, then the object wipes itself

/** The current stored layout. */
export interface RunState {
  version: 5;
  runId: string;
  phase: Phase;
  omicsRunId?: string;
  omicsRunUuid?: string;
  omicsRunArn?: string;
  /** Last HealthOmics status seen. */
  omicsStatus?: string;
  cancelRequested: boolean;
  cancelRequestedBy?: string;
  /** CancelRun accepted (202) by HealthOmics, or refused because the run had already ended. */
  cancelSent: boolean;
  /** Consecutive retryable failures (drives backoff); 0 after a success. */
  attempt: number;
  /** Current adaptive poll interval (ms). */
  pollIntervalMs: number;
  /** Current task-sync interval (ms). */
  taskSyncIntervalMs: number;
  /** A poll that sees the run RUNNING at or after this time makes a task sync due (periodic syncs ride on polls). */
  periodicSyncAt: number;
  /** WES state last written to D1. */
  reportedState: string;
  /** Last time anything changed (ms). */
  lastChangeAt: number;
  /** Whether a "waiting for run quota" note was already logged for the current wait. */
  quotaNoted?: boolean;
  /** The status the last run event announced (a task event announces RUNNING). */
  announcedStatus?: string;
  /** Set when HealthOmics reported a final status; the finish step records it after a last task sync. */
  terminal?: TerminalSnapshot;
  /** Last error already written to the run's system_logs (not repeated on every retry). */
  lastLoggedError?: string;
  /** When the last HealthOmics event of either kind arrived (polling slows to a safety net while events flow). */
  lastEventAt?: number;
  /** When the last Run Status Change event (or news that the run moved on) arrived. */
  lastRunEventAt?: number;
  /** When the last Task Status Change event arrived. */
  lastTaskEventAt?: number;
  /** Pages the last ListRunTasks walk took (a task sync books that many slots). */
  taskPages?: number;
  /** A run of submitted workflow files, once prepared: its HealthOmics workflow and the parameters with attached inputs rewritten to S3. */
  prepared?: Prepared;
  /** Set when the run is being deleted (phase `removing`): what is left to remove. */
  removal?: Removal;
  /** Pending work and when each is due; empty once finished. */
  work: Work;
}

/**
 * What deleting a run leaves for its object to remove, in this order: the HealthOmics run, then
 * the S3 folders one by one (each listed and deleted a bounded batch at a time). Each part is
 * dropped from the record once done (or given up), so a retried step carries on where it was.
 */
export interface Removal {
  /** When the deletion was asked (ms). */
  since: number;
  /** The HealthOmics run still to delete (DeleteRun); absent when not asked for or done. */
  omicsRunId?: string;
  /** S3 folders (`s3://bucket/prefix/`) still to empty; the first is the one in progress. */
  folders: string[];
  /** Keys of the first folder listed and not yet deleted (one batch). */
  keys?: string[];
  /** Objects deleted so far. */
  deleted: number;
  /** Parts given up (a refusal such as AccessDenied, or too many failures), for the last log line. */
  gaveUp: string[];
}

/**
 * A prepared run of submitted workflow files: its HealthOmics workflow, and its parameters with
 * attached inputs rewritten to S3 (JSON text: the state crosses RPC, which types no free-form objects).
 */
export interface Prepared {
  workflowId: string;
  parametersJson: string;
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

/** A fresh state for a newly handed-over run: its start is due now. */
export function initialState(runId: string, now: number, pollMinMs: number): RunState {
  return {
    version: 5,
    runId,
    phase: "queued",
    cancelRequested: false,
    cancelSent: false,
    attempt: 0,
    pollIntervalMs: pollMinMs,
    taskSyncIntervalMs: pollMinMs,
    periodicSyncAt: now,
    reportedState: "QUEUED",
    lastChangeAt: now,
    work: { start: { at: now } },
  };
}
