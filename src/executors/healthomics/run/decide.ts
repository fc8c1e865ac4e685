/**
 * The run scheduler's one decision: given the state and the time, which step runs now (if any)
 * and when the object's alarm fires next. Pure, so every scenario is a row of a table
 * (test/unit/run-decide.test.ts); the Durable Object only loads, decides, runs the step, saves and
 * sets the alarm (run-object.ts).
 *
 * Work is ready when its entry exists and its rule allows it (READY). An exclusive kind that is
 * ready holds every other kind back. Among ready work that is due, a booked budget slot goes
 * first (earliest slot first): its time has come, and a slot left unused still holds back every
 * later booking of its line. Otherwise the order of WORK_KINDS decides. The alarm is set for the
 * earliest ready due time.
 */
import type { RunState } from "./run-state";
import { isDue, WORK_KINDS, type Due, type WorkKind } from "./work";

/** When work of a kind may run, and whether it then holds every other kind back. */
interface Rule {
  ready: (state: RunState) => boolean;
  exclusive?: true;
}

/** The rule of each kind of work. A new kind of work adds its rule here. */
const READY: Record<WorkKind, Rule> = {
  // A run being deleted has nothing else left to do (step-remove.ts).
  remove: { ready: (s) => s.phase === "removing", exclusive: true },
  // Submitted workflow files: register them (and upload attached inputs) before the start.
  prepare: { ready: (s) => s.phase === "queued", exclusive: true },
  // Until HealthOmics has the run, there is nothing else to do.
  start: { ready: (s) => s.phase === "queued" || s.phase === "starting", exclusive: true },
  // A cancel goes before everything else; it is moot once HealthOmics reported a final status.
  cancel: { ready: (s) => s.phase === "started" && s.cancelRequested && !s.cancelSent && !s.terminal, exclusive: true },
  sync: { ready: (s) => s.phase === "started" },
  // The final state is written after the last task sync.
  // A completed run's outputs are read after the last task sync, before the final state is written
  // (so a client that sees COMPLETE also sees the outputs).
  outputs: { ready: (s) => s.phase === "started" && s.terminal?.status === "COMPLETED" && s.work.sync === undefined },
  finish: { ready: (s) => s.phase === "started" && s.terminal !== undefined && s.work.sync === undefined && s.work.outputs === undefined },
  poll: { ready: (s) => s.phase === "started" && s.terminal === undefined },
};

/** What the object does now. */
export interface Decision {
  /** The step to run now, if any work is due. */
  step?: WorkKind;
  /** When the alarm should fire (the earliest ready due time); undefined when the run is finished. */
  alarmAt?: number;
}

/**
 * The work that may run, in WORK_KINDS order. A live or removing run always has some: if a bug
 * ever left its phase's own work (start, poll, finish or remove) without an entry, that work counts
 * as due now, so a mistake costs a call, never a run (or a deletion).
 */
export function readyWork(state: RunState, now: number): Array<[WorkKind, Due]> {
  if (state.phase === "finished") return [];
  const ready: Array<[WorkKind, Due]> = [];
  for (const kind of WORK_KINDS) {
    const entry = state.work[kind];
    if (!entry || !READY[kind].ready(state)) continue;
    if (READY[kind].exclusive) return [[kind, entry]];
    ready.push([kind, entry]);
  }
  if (ready.length > 0) return ready;
  const own: WorkKind = state.phase === "removing" ? "remove" : state.phase === "started" ? (state.terminal ? "finish" : "poll") : "start";
  return [[own, { at: now }]];
}

/** The decision for `state` at `now`. */
export function decide(state: RunState, now: number): Decision {
  const ready = readyWork(state, now);
  if (ready.length === 0) return {};
  const alarmAt = Math.min(...ready.map(([, due]) => due.at));
  const due = ready.filter(([, entry]) => isDue(entry, now));
  const slots = due.filter(([, entry]) => entry.booked).sort(([, a], [, b]) => a.at - b.at);
  const first = slots[0] ?? due[0];
  return first ? { step: first[0], alarmAt } : { alarmAt };
}
