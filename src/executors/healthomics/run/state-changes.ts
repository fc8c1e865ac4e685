/**
 * The state changes a HealthOmics run's log lines record, for the dashboard's state timeline
 * (src/wes/run-overview.ts): the lines the poll and finish steps write for each HealthOmics
 * status they see, and the line a cancel request writes. Pure.
 */
import type { StateChange } from "../../executor";
import { wesStateFor } from "./status-map";

/** `<time> HealthOmics status <STATUS>…`, and the finish step's `…; WES state <STATE>.` */
const STATUS_LINE = /^(\S+) HealthOmics status ([A-Z_]+)(?:.*; WES state ([A-Z_]+)\.)?/;
/** `<time> Cancel requested by <user>.` (run-object.ts). */
const CANCEL_LINE = /^(\S+) Cancel requested by /;

/** Each state the lines show the run entering, in order, with the time the line gives (unchecked). */
export function stateChanges(lines: readonly string[]): StateChange[] {
  const changes: StateChange[] = [];
  let cancelRequested = false;
  for (const line of lines) {
    const cancel = CANCEL_LINE.exec(line);
    if (cancel) {
      cancelRequested = true;
      changes.push({ state: "CANCELING", time: cancel[1]! });
      continue;
    }
    const status = STATUS_LINE.exec(line);
    if (status) changes.push({ state: status[3] ?? wesStateFor(status[2]!, { cancelRequested }), time: status[1]! });
  }
  return changes;
}
