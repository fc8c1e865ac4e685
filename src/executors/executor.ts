/**
 * The one interface between the WES layer (src/wes/, src/routes.ts, src/app.ts) and whatever
 * executes runs. The WES layer validates what the WES spec defines, stores the run in D1 and
 * hands it over; an executor says what it runs (service-info), checks what is its own in a
 * submission, takes runs over, cancels them and keeps them alive. The WES layer imports nothing
 * else from src/executors/ but this file and registry.ts (scripts/check-boundary.mjs enforces it).
 */
import type { RunRow } from "../db/schema";
import type { RunSubmission } from "../wes/submission";

/** What a cancel request did. */
export type CancelOutcome =
  | { kind: "canceled" } // nothing had started: the run is CANCELED and will never start
  | { kind: "canceling" } // execution is being stopped; the run is CANCELING
  | { kind: "final"; state: string }; // the run had already finished: nothing changed

/** The workflow languages an executor runs, as service-info lists them and POST /runs accepts them. */
export interface WorkflowLanguages {
  /** WES workflow type → its canonical versions and other spellings clients send for them. */
  types: Record<string, { versions: string[]; aliases: Record<string, string> }>;
  /** Other names of the types (matched case-insensitively), e.g. NEXTFLOW for NFL. */
  typeAliases: Record<string, string>;
  /** WES `workflow_engine` → the types it runs and its versions. */
  engines: Record<string, { types: string[]; versions: string[] }>;
  /**
   * Engines clients name that the executor does not run (`cwltool`, `toil`), by lower-case name →
   * the types they run: such a `workflow_engine` is recorded as sent, never refused.
   */
  clientEngines?: Record<string, string[]>;
}

/** One accepted `workflow_engine_parameters` entry, as service-info lists it. */
export interface EngineParameter {
  name: string;
  type: string;
  default_value?: string;
}

/** What the executor supports, for service-info and submission. */
export interface ExecutorDescription {
  languages: WorkflowLanguages;
  engineParameters: EngineParameter[];
  /** `supported_filesystem_protocols`. */
  filesystemProtocols: string[];
  /** service-info `tags` the executor adds (its name, its region, …). */
  tags: Record<string, string>;
}

/** Who submits. */
export interface Caller {
  user: string;
  groups?: readonly string[] | undefined;
  /** An admin may name any workflow, package workflows included (absent: not an admin). */
  admin?: boolean | undefined;
}

/** The ids of a submission being checked: the run id it will be stored under, and the request's. */
export interface Submitted {
  runId: string;
  requestId: string;
}

/**
 * An accepted submission: the executor's columns of the run row, and the run's name when the
 * executor knows it at submission (so GET /runs' name filter finds queued runs).
 */
export type Accepted = Pick<RunRow, "omicsWorkflowType" | "runName"> & Partial<Pick<RunRow, "packageHash" | "systemLogs">>;

/** One workflow users may run, as GET /workflows lists it (not a WES operation). */
export interface WorkflowEntry {
  /** What to send as `workflow_url` to run it. */
  workflow_url: string;
  id: string;
  /** PRIVATE (registered in this account) or READY2RUN. */
  type: "PRIVATE" | "READY2RUN";
  name?: string;
  description?: string;
  /** The executor's engine. */
  engine?: string;
  /** The WES `workflow_type` and the versions accepted for it (absent for an engine the service does not run). */
  workflow_type?: string;
  workflow_type_versions?: string[];
  created_at?: string;
  /** The parameter template: send these in `workflow_params`. */
  parameters: Array<{ name: string; description?: string; required: boolean }>;
}

/** The workflows users may run, or why there is no complete list right now. */
export type WorkflowList =
  | { kind: "ok"; workflows: WorkflowEntry[] }
  | { kind: "busy"; retryAfterSeconds: number; reason: string } // the route's 503 with Retry-After
  | { kind: "error"; message: string }; // the route's 502

/** A state a run entered and when (as its log lines say; the time is not checked). */
export interface StateChange {
  state: string;
  time: string;
}

/** The run a deletion names (its row, as far as forgetting it needs). */
export type DeletedRun = Pick<RunRow, "id" | "owner" | "omicsRunId">;

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

/** Executes stored runs. */
export interface RunExecutor {
  describe(): ExecutorDescription;
  /**
   * Checks the fields of a submission whose meaning is the executor's, during submission parsing
   * and in its order: the engine parameters (already strings), then `workflow_url` (which may
   * have to agree with them). Throws a 400 WesError naming the problem.
   */
  checkEngineParameters(params: Record<string, string>): void;
  checkWorkflowUrl(url: string, params: Record<string, string>): void;
  /**
   * Everything else that decides whether the executor takes the run (which storage the caller
   * may name, whether the workflow exists): a 4xx WesError if not, otherwise its columns.
   */
  validate(submission: RunSubmission, caller: Caller, ids: Submitted): Promise<Accepted>;
  /** Takes over a run that was just stored as QUEUED. Idempotent. */
  submit(runId: string): Promise<void>;
  /** Asks for a run to be cancelled on behalf of `by`. Idempotent while CANCELING. */
  cancel(runId: string, by: string): Promise<CancelOutcome>;
  /** The workflows users may run, for GET /workflows (the dashboard's submit form). */
  listWorkflows(): Promise<WorkflowList>;
  /** The state changes a run's `system_logs` record (the executor wrote them), for its state timeline. */
  stateChanges(logLines: readonly string[]): StateChange[];
  /** The periodic safety net (cron): makes sure no live run is stranded, and tidies the executor's own resources (HealthOmics: retires unused workflow packages). */
  sweep(now: number): Promise<Record<string, number>>;
  /**
   * Development only (src/dev/hooks.ts, for the chaos campaign): drops the in-memory state of
   * whatever drives the run, as the platform may at any moment, so that it carries on from
   * storage. Absent when an executor has nothing to evict.
   */
  evict?(runId: string): Promise<void>;
  /** Streams a run's or task's log (a log that does not exist yet is empty, not an error). */
  readLog(run: RunRow, request: LogRequest): Promise<LogAnswer>;
  /**
   * A time-limited download link for the object at `path` relative to the run's own output
   * prefix (already free of `..` and empty segments); `missing` unless that object exists.
   */
  outputLink(run: RunRow, path: string): Promise<DownloadAnswer>;
  /**
   * Deletion of a final run, before its D1 rows go: the executor removes everything it keeps or
   * stored for the run (its own state, the inputs it uploaded, and with `outputs` the run's
   * outputs), finishing in the background if it must, durably (a failure is retried, not lost).
   * From the moment this returns nothing brings the run back (a later hand-over, alarm, event or
   * sweep finds nothing to do). Idempotent: asking again while the removal is under way is harmless.
   */
  forget(run: DeletedRun, options: { outputs: boolean }): Promise<void>;
}
