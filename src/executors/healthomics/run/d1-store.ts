/** The steps' RunStore over D1 (src/db/run-updates.ts). */
import type { Db } from "../../../db/client";
import { appendRunLogs, applyRunChange, loadRun, upsertTasks } from "../../../db/run-updates";
import type { RunStore } from "./step-context";

/** The run's D1 record as the steps read and write it. */
export function d1Store(db: Db): RunStore {
  return {
    loadRun: (runId) => loadRun(db, runId),
    applyRunChange: (runId, change) => applyRunChange(db, runId, change),
    appendRunLogs: (runId, lines) => appendRunLogs(db, runId, lines),
    upsertTasks: (rows) => upsertTasks(db, rows),
  };
}
