/**
 * The runs' D1 records in memory for the simulator, written by the real steps through RunStore.
 * It applies the same guards as src/db/run-updates.ts (a final run never moves; a live state never
 * overwrites CANCELING) and counts what the Worker would log as `d1.write` lines: one statement
 * per call, with the rows it changed, which is what the benchmark counts.
 */
import type { RunChange } from "../src/db/run-updates";
import type { NewTaskRow, RunRow } from "../src/db/schema";
import type { RunStore } from "../src/executors/healthomics/run/step-context";
import { isFinal } from "../src/wes/states";

/** WES state → rank (as bench/lib/observe.mjs): a later rank implies the earlier ones have passed. */
export const RANK: Record<string, number> = {
  QUEUED: 0,
  INITIALIZING: 1,
  RUNNING: 2,
  CANCELING: 2,
  PAUSED: 2,
  COMPLETE: 3,
  EXECUTOR_ERROR: 3,
  SYSTEM_ERROR: 3,
  CANCELED: 3,
  PREEMPTED: 3,
};

/** What the simulator keeps of one run's record. */
export interface SimRecord {
  row: RunRow;
  statements: number;
  rows: number;
  /** When the record first showed each state rank (0–3). */
  firstSeen: (number | undefined)[];
}

export class SimStore implements RunStore {
  readonly records = new Map<string, SimRecord>();

  constructor(readonly now: () => number) {}

  /** POST /runs: the run's insert (one statement, one row). */
  insert(row: RunRow): void {
    this.records.set(row.id, { row, statements: 1, rows: 1, firstSeen: [this.now(), undefined, undefined, undefined] });
  }

  async loadRun(runId: string): Promise<RunRow | undefined> {
    return this.records.get(runId)?.row;
  }

  async applyRunChange(runId: string, change: RunChange): Promise<{ applied: boolean; state: string | undefined }> {
    const record = this.records.get(runId);
    if (!record) return { applied: false, state: undefined };
    const current = record.row.state;
    const blocked = isFinal(current) || (change.state !== undefined && !isFinal(change.state) && change.state !== "CANCELING" && current === "CANCELING");
    record.statements += 1;
    if (blocked) return { applied: false, state: current };
    record.rows += 1;
    if (change.state) {
      record.row = { ...record.row, state: change.state };
      const rank = RANK[change.state] ?? 0;
      for (let r = 0; r <= rank; r++) record.firstSeen[r] ??= this.now();
    }
    return { applied: true, state: change.state ?? current };
  }

  async appendRunLogs(runId: string, lines: string[]): Promise<void> {
    const record = this.records.get(runId);
    if (!record || lines.length === 0) return;
    record.statements += 1;
    record.rows += 1;
  }

  async upsertTasks(rows: NewTaskRow[]): Promise<void> {
    const record = rows[0] ? this.records.get(rows[0].runId) : undefined;
    if (!record) return;
    record.statements += 1;
    record.rows += rows.length;
  }
}
