/** What every lifecycle step gets: its dependencies, passed in so steps test without globals. */
import type { Db } from "../../../db/client";
import type { EventsSettings } from "../../../events/events-config";
import type { ExecutorSettings } from "../../../executor-config";
import type { HealthOmicsClient, OmicsError } from "../client/client";
import type { BudgetGate } from "./budget-gate";
import type { RunState } from "./run-state";
import { retryDelay } from "./schedule";

/** Dependencies and state access of one step. */
export interface StepContext {
  runId: string;
  db: Db;
  client: HealthOmicsClient;
  settings: ExecutorSettings;
  events: EventsSettings;
  budget: BudgetGate;
  storage: DurableObjectStorage;
  now: () => number;
  random: () => number;
  /** Re-reads the stored state: call after every await that leaves the object (a cancel may have come in). */
  load: () => Promise<RunState | undefined>;
  save: (state: RunState) => Promise<void>;
}

/** When the next step should run; `null` when the run is finished (no alarm). */
export type NextStep = number | null;

/** RFC 3339 UTC timestamp. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A `system_logs` line, time-stamped. */
export function logLine(ctx: StepContext, text: string): string {
  return `${iso(ctx.now())} ${text}`;
}

/** Short description of a HealthOmics error for logs (type and message, no secrets). */
export function describeOmicsError(error: OmicsError): string {
  return `${error.type}${error.status ? ` (HTTP ${error.status})` : ""}: ${error.message}`.slice(0, 600);
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

/**
 * How urgently a poll is wanted: cancelling, run-event-woken and recently changed runs first;
 * long-quiet runs (at the longest interval) last. Task events do not make a poll urgent: they
 * wake a task sync.
 */
export function pollPriority(ctx: StepContext, state: RunState): "urgent" | "normal" | "quiet" {
  const now = ctx.now();
  if (state.cancelRequested || (state.lastRunEventAt !== undefined && now - state.lastRunEventAt < 60_000)) return "urgent";
  if (now - state.lastChangeAt < 2 * ctx.settings.pollMinMs + 1000) return "urgent";
  return state.pollIntervalMs >= ctx.settings.pollMaxMs ? "quiet" : "normal";
}

/** Schedules a retry after a retryable failure and counts the attempt. */
export function backoff(ctx: StepContext, state: RunState): NextStep {
  state.attempt += 1;
  return ctx.now() + retryDelay(state.attempt, ctx.settings.pollMinMs, ctx.settings.pollMaxMs, ctx.random());
}
