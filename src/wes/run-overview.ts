/**
 * The run overview: what a list of runs shows at a glance and WES' RunSummary leaves out (when
 * it was submitted, which workflow, its name; the owner for admins), and a run's state timeline.
 * Not a WES schema: served by the service's own GET /overview/runs routes (docs/usage.md), so
 * the WES answers stay exactly as the specification declares them.
 */
import type { RunRow } from "../db/schema";
import type { StateChange } from "../executors/executor";
import { isFinal } from "./states";
import type { RunSummary, Viewer } from "./views";
import { runSummary } from "./views";

/** One run as the overview lists it. */
export interface RunOverview extends RunSummary {
  /** When the run was submitted (RFC 3339). */
  submitted_at: string;
  workflow_type: string;
  workflow_type_version: string;
  workflow_url: string;
  /** The run's name (requested, or given by HealthOmics), when known. */
  name?: string;
  /** Who submitted it: admins only (users see only their own runs). */
  owner?: string;
}

/** A moment the run entered a state. */
export interface TimelineEntry {
  state: string;
  time: string;
}

/** One run with its state timeline. */
export interface RunOverviewDetail extends RunOverview {
  timeline: TimelineEntry[];
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The overview of a run row as `viewer` may see it. */
export function runOverview(row: RunRow, viewer: Viewer): RunOverview {
  const request = row.request;
  const overview: RunOverview = {
    ...runSummary(row),
    submitted_at: new Date(row.createdAt).toISOString(),
    workflow_type: text(request.workflow_type),
    workflow_type_version: text(request.workflow_type_version),
    workflow_url: text(request.workflow_url),
  };
  if (row.runName) overview.name = row.runName;
  if (viewer.admin) overview.owner = row.owner;
  return overview;
}

function isTime(value: string): boolean {
  return !Number.isNaN(Date.parse(value));
}

/**
 * When the run entered each state, oldest first: QUEUED at submission, then each state change
 * the executor read from the run's log lines (`RunExecutor.stateChanges`), and the final state at
 * the run's end. A poll may skip short phases, so states can be missing, never invented:
 * consecutive repeats are merged, and nothing follows a final state.
 */
export function runTimeline(row: RunRow, changes: readonly StateChange[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ state: "QUEUED", time: new Date(row.createdAt).toISOString() }];
  const push = (state: string, time: string) => {
    const last = entries[entries.length - 1]!;
    if (last.state === state || isFinal(last.state) || !isTime(time)) return;
    entries.push({ state, time: new Date(time).toISOString() });
  };
  for (const change of changes) push(change.state, change.time);
  if (isFinal(row.state)) {
    const last = entries[entries.length - 1]!;
    if (last.state !== row.state) push(row.state, row.endTime ?? new Date(row.updatedAt).toISOString());
  }
  return entries;
}
