/**
 * Which run a HealthOmics event concerns. The key is the HealthOmics run `uuid` (`detail.uuid` of
 * a run event, `detail.runUuid` of a task event): run ids are reused after deletion, uuids never.
 * Only when an event lacks it does the match fall back, among **live** runs (a reused id cannot
 * wake a finished run), to the run ARN (`detail.arn` of a run event, `detail.runArn` of a task
 * event — a task event's own `detail.arn` is the task's) and then to the HealthOmics run id
 * (`detail.runId`), through the `runs_omics_run_id` index. Every fallback is logged.
 */
import type { Db } from "../db/client";
import { findLiveRunsByOmicsRunId, findRunByOmicsUuid } from "../db/runs";
import { log } from "../log";

/** The runs an event wakes, and how they were found; or what the event lacks. */
export type RunMatch = { kind: "found"; by: "uuid" | "arn" | "runId"; runIds: string[] } | { kind: "invalid"; needs: string };

const RUN_ARN = /^arn:aws[a-z-]*:omics:[a-z0-9-]+:[0-9]{12}:run\/([0-9]{1,18})$/;
const RUN_ID = /^[0-9]{1,18}$/;

function text(detail: ReadonlyMap<string, unknown>, key: string): string | undefined {
  const value = detail.get(key);
  return typeof value === "string" && value !== "" && value.length <= 256 ? value : undefined;
}

/** Finds the run(s) of one event's `detail` (own keys only). */
export async function matchRuns(db: Db, kind: "run" | "task", detail: ReadonlyMap<string, unknown>, requestId?: string): Promise<RunMatch> {
  const uuidKey = kind === "run" ? "uuid" : "runUuid";
  const arnKey = kind === "run" ? "arn" : "runArn";
  const uuid = detail.get(uuidKey);
  if (typeof uuid === "string" && uuid !== "") {
    if (uuid.length > 128) return { kind: "invalid", needs: `detail.${uuidKey} of at most 128 characters` };
    const run = await findRunByOmicsUuid(db, uuid);
    return { kind: "found", by: "uuid", runIds: run ? [run.id] : [] };
  }
  const arn = text(detail, arnKey);
  const arnMatch = arn === undefined ? null : RUN_ARN.exec(arn);
  const runId = text(detail, "runId");
  let found: RunMatch;
  if (arnMatch) {
    const runs = await findLiveRunsByOmicsRunId(db, arnMatch[1]!, arn);
    found = { kind: "found", by: "arn", runIds: runs.map((r) => r.id) };
  } else if (runId !== undefined && RUN_ID.test(runId)) {
    const runs = await findLiveRunsByOmicsRunId(db, runId);
    found = { kind: "found", by: "runId", runIds: runs.map((r) => r.id) };
  } else {
    return { kind: "invalid", needs: `detail.${uuidKey} (or, without it, detail.${arnKey} or detail.runId)` };
  }
  log("warn", "events.matched_without_uuid", { requestId, kind, by: found.by, value: found.by === "arn" ? arn : runId, runIds: found.runIds });
  return found;
}
