/**
 * What every lifecycle step gets: its dependencies as narrow interfaces, so a step runs the same
 * in the Durable Object, in a unit test with fakes and in the simulator (sim/). A step takes the
 * state decide() chose it for and returns the state after it, with its own work's next due time;
 * it never sets the alarm and never saves (run-object.ts does both), except the start step, which
 * must save "starting" before StartRun leaves the object.
 */
import type { RegisterOutcome } from "../packages/register";
import type { UploadOutcome } from "../packages/run-inputs";
import type { RunChange } from "../../../db/run-updates";
import type { NewTaskRow, RunRow } from "../../../db/schema";
import type { EventsSettings } from "../../../events/events-config";
import type { ExecutorSettings } from "../../../executor-config";
import type { HealthOmicsClient, OmicsError } from "../client/client";
import type { PrefixStore } from "../aws/s3-prefix-delete";
import type { OutputsResult } from "../outputs/read-outputs";
import type { BudgetGate } from "./budget-gate";
import type { RunState } from "./run-state";
import { retryDelay } from "./schedule";

/** The HealthOmics calls a run makes. */
export type RunCalls = Pick<HealthOmicsClient, "startRun" | "getRun" | "listAllRunTasks" | "getRunTask" | "cancelRun" | "deleteRun">;

/** The run's D1 record, as the steps read and write it (db/run-updates.ts in the Worker). */
export interface RunStore {
  loadRun(runId: string): Promise<RunRow | undefined>;
  /** A guarded state change (never moves a final run; a live state never overwrites CANCELING). */
  applyRunChange(runId: string, change: RunChange): Promise<{ applied: boolean; state: string | undefined }>;
  appendRunLogs(runId: string, lines: string[]): Promise<void>;
  upsertTasks(rows: NewTaskRow[]): Promise<void>;
}

/** What the task sync remembers between syncs (the object's key-value storage in the Worker). */
export interface TaskMemory {
  get<T>(key: string): Promise<T | undefined>;
  put(entries: Record<string, unknown>): Promise<void>;
}

/** Reads a completed run's outputs from S3 (outputs/read-outputs.ts in the Worker). */
export type OutputReader = (runOutputUri: string, workflowType: string) => Promise<OutputsResult>;

/** Dependencies of one step. */
/** What the prepare step needs (packages/run-packages.ts in the Worker). */
export interface PackageSteps {
  nextOperation(hash: string): Promise<"CreateWorkflow" | "GetWorkflow" | undefined>;
  register(hash: string): Promise<RegisterOutcome>;
  uploadInputs(run: RunRow): Promise<UploadOutcome>;
}

export interface StepContext {
  runId: string;
  store: RunStore;
  client: RunCalls;
  settings: ExecutorSettings;
  events: EventsSettings;
  budget: BudgetGate;
  /** Registering submitted workflow files; absent where no run has any (the simulator). */
  packages?: PackageSteps;
  tasks: TaskMemory;
  /** Reads outputs; without one (the simulator), completed runs keep only the service's facts. */
  outputs?: OutputReader | undefined;
  /** S3, for deleting a removed run's folders (aws/s3.ts in the Worker); absent in the simulator. */
  s3?: PrefixStore | undefined;
  now: () => number;
  random: () => number;
  /**
   * The state as stored now, including news that came in while the step waited. Only the start
   * step needs it (what it may send depends on a cancel that just arrived); the object replays
   * news that arrives after this read onto the step's result.
   */
  load: () => Promise<RunState | undefined>;
  save: (state: RunState) => Promise<void>;
}

/** A lifecycle step: the state after it (its own work re-scheduled or done). */
export type Step = (ctx: StepContext, state: RunState) => Promise<RunState>;

/** RFC 3339 UTC timestamp. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A `system_logs` line, time-stamped. */
export function logLine(ctx: StepContext, text: string): string {
  return `${iso(ctx.now())} ${text}`;
}

/** Longest error description written to a run's log. */
const MAX_ERROR_TEXT = 600;

/** Short description of a HealthOmics error for logs (type and message, no secrets). */
export function describeOmicsError(error: OmicsError): string {
  return `${error.type}${error.status ? ` (HTTP ${error.status})` : ""}: ${error.message}`.slice(0, MAX_ERROR_TEXT);
}

/** Whether HealthOmics events are arriving for this run (one within `events.activeForMs`). */
export function eventsFlowing(ctx: StepContext, state: RunState): boolean {
  return state.lastEventAt !== undefined && ctx.now() - state.lastEventAt < ctx.events.activeForMs;
}

/**
 * The longest quiet poll interval: POLL_MAX_SECONDS, or the events safety-net interval while
 * HealthOmics events are arriving for this run (events wake it when something changes).
 */
export function quietCeiling(ctx: StepContext, state: RunState): number {
  return eventsFlowing(ctx, state) ? Math.max(ctx.settings.pollMaxMs, ctx.events.safetyPollMs) : ctx.settings.pollMaxMs;
}

/** A run event this recent makes its poll urgent. */
export const RUN_EVENT_URGENT_MS = 60_000;
/** A change makes the next polls urgent for this many minimum poll intervals (plus a second). */
const RECENT_CHANGE_POLLS = 2;

/**
 * How urgently a poll is wanted: cancelling, run-event-woken and recently changed runs first;
 * long-quiet runs (at the longest interval) last. Task events do not make a poll urgent: they
 * wake a task sync.
 */
export function pollPriority(ctx: StepContext, state: RunState): "urgent" | "normal" | "quiet" {
  const now = ctx.now();
  if (state.cancelRequested || (state.lastRunEventAt !== undefined && now - state.lastRunEventAt < RUN_EVENT_URGENT_MS)) return "urgent";
  if (now - state.lastChangeAt < RECENT_CHANGE_POLLS * ctx.settings.pollMinMs + 1000) return "urgent";
  return state.pollIntervalMs >= ctx.settings.pollMaxMs ? "quiet" : "normal";
}

/** When to retry after a retryable failure (the attempt is counted). */
export function backoff(ctx: StepContext, state: RunState): number {
  state.attempt += 1;
  return ctx.now() + retryDelay(state.attempt, ctx.settings.pollMinMs, ctx.settings.pollMaxMs, ctx.random());
}

/**
 * After a task sync or a cancel: an ordinary poll (not a booked slot, not one news asked for) is
 * due `delay` from now. Contact with HealthOmics about the run moves its safety-net poll on.
 */
export function reschedulePoll(state: RunState, at: number): void {
  const poll = state.work.poll;
  if (state.terminal || poll?.booked || poll?.woken) return;
  state.work.poll = { at };
}
