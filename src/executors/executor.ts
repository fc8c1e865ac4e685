/**
 * The one narrow interface between the API routes and whatever executes runs. Routes store intent
 * in D1 and hand the run over; the executor owns it from then on (design.md §2). The HealthOmics
 * executor is the run's Durable Object (src/runs/run-object.ts); another backend would implement
 * the same two calls.
 */

/** What a cancel request did. */
export type CancelOutcome =
  | { kind: "canceled" } // nothing had started: the run is CANCELED and will never start
  | { kind: "canceling" } // execution is being stopped; the run is CANCELING
  | { kind: "final"; state: string }; // the run had already finished: nothing changed

/** Executes stored runs. */
export interface RunExecutor {
  /** Takes over a run that was just stored as QUEUED. Idempotent. */
  submit(runId: string): Promise<void>;
  /** Asks for a run to be cancelled on behalf of `by`. Idempotent while CANCELING. */
  cancel(runId: string, by: string): Promise<CancelOutcome>;
  /**
   * Deletion of a final run: forgets everything the executor keeps for it. Idempotent; never
   * brings the run back (a later hand-over, alarm, event or sweep finds nothing to do).
   */
  forget(runId: string): Promise<void>;
}
