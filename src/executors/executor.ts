/**
 * The one narrow interface between the API routes and whatever executes runs. Routes store intent
 * in D1 and hand the run over; the executor owns it from then on (design.md §2). The HealthOmics
 * executor is the run's Durable Object (src/runs/run-object.ts); another backend would implement
 * the same calls.
 */
import type { RunRow } from "../db/schema";

/** What a cancel request did. */
export type CancelOutcome =
  | { kind: "canceled" } // nothing had started: the run is CANCELED and will never start
  | { kind: "canceling" } // execution is being stopped; the run is CANCELING
  | { kind: "final"; state: string }; // the run had already finished: nothing changed

/** Executes stored runs. */
/**
 * The key of WES `outputs` that holds the service's own facts about a run's outputs (its output
 * location, the executor's identifiers, the output files with their paths for download links),
 * beside the engine's outputs at the top level. No WDL output (`Workflow.name`) or CWL output id
 * can contain a colon, so no engine output can take it.
 */
export const RUN_OUTPUTS_KEY = "wes:run";

/** Which log of a run a client asks for, and how much of it. */
export interface LogRequest {
  /** A task of the run (already checked to belong to it), or the run's own log. */
  taskId?: string | undefined;
  stream: "stdout" | "stderr";
  /** Only the last N lines. */
  tail?: number | undefined;
  /** At most N lines from the head. */
  limit?: number | undefined;
  /** Whether the caller is an admin (the service's own added lines are masked for others). */
  admin: boolean;
}

/** A log as text streamed page by page, or why it cannot be read now. */
export type LogAnswer =
  | { kind: "text"; body: ReadableStream<Uint8Array> }
  // The log source's call budget is busy: answer 503 with Retry-After (never a partial log).
  | { kind: "busy"; retryAfterSeconds: number }
  | { kind: "unavailable"; message: string };

/** A download link for one output file, or why there is none. */
export type DownloadAnswer =
  | { kind: "link"; url: string; expiresAt: string }
  | { kind: "missing" }
  | { kind: "busy"; retryAfterSeconds: number }
  | { kind: "unavailable"; message: string };

export interface RunExecutor {
  /** Takes over a run that was just stored as QUEUED. Idempotent. */
  submit(runId: string): Promise<void>;
  /** Asks for a run to be cancelled on behalf of `by`. Idempotent while CANCELING. */
  cancel(runId: string, by: string): Promise<CancelOutcome>;
  /** Streams a run's or task's log (a log that does not exist yet is empty, not an error). */
  readLog(run: RunRow, request: LogRequest): Promise<LogAnswer>;
  /**
   * A time-limited download link for the object at `path` relative to the run's own output
   * prefix (already free of `..` and empty segments); `missing` unless that object exists.
   */
  outputLink(run: RunRow, path: string): Promise<DownloadAnswer>;
}
