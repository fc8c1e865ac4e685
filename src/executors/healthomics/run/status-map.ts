/**
 * HealthOmics run status → WES state, as tabled in docs/aws_healthomics_usage.md ("How
 * HealthOmics statuses map to WES states"). Pure: unit-tested in test/unit/status-map.test.ts.
 */
import type { WesState } from "../../../wes/states";

/** Failure reasons that mean the workflow itself failed (EXECUTOR_ERROR); any other is SYSTEM_ERROR. */
export const WORKFLOW_FAILURE_REASONS: ReadonlySet<string> = new Set([
  "RUN_TASK_FAILED",
  "WORKFLOW_RUN_FAILED",
  "OUT_OF_MEMORY_ERROR",
  "FILE_SYSTEM_OUT_OF_SPACE",
  "TASK_TIMED_OUT",
  "RUN_TIMED_OUT",
]);

/** HealthOmics statuses after which a run never changes. */
export const OMICS_FINAL: ReadonlySet<string> = new Set(["COMPLETED", "FAILED", "CANCELLED", "DELETED"]);

/** What besides the status decides the WES state. */
export interface StatusContext {
  /** The run's failure reason (FAILED only): a workflow's own failure is EXECUTOR_ERROR. */
  failureReason?: string | undefined;
  /** A cancel was requested: a live run shows CANCELING, a deleted one CANCELED. */
  cancelRequested?: boolean;
}

/**
 * The WES state for a HealthOmics status. Once a cancel was requested, a live run shows
 * CANCELING (never RUNNING again) until HealthOmics reports a final status.
 */
export function wesStateFor(status: string, { failureReason, cancelRequested = false }: StatusContext = {}): WesState {
  switch (status) {
    case "COMPLETED":
      return "COMPLETE";
    case "FAILED":
      return failureReason && WORKFLOW_FAILURE_REASONS.has(failureReason) ? "EXECUTOR_ERROR" : "SYSTEM_ERROR";
    case "CANCELLED":
      return "CANCELED";
    case "DELETED":
      return cancelRequested ? "CANCELED" : "SYSTEM_ERROR";
    default:
      break;
  }
  if (cancelRequested) return "CANCELING";
  switch (status) {
    case "PENDING":
      return "QUEUED";
    case "STARTING":
      return "INITIALIZING";
    case "RUNNING":
    case "STOPPING": // STOPPING precedes COMPLETED and FAILED too
      return "RUNNING";
    default:
      return "UNKNOWN";
  }
}
